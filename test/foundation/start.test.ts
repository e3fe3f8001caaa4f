import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolve_ } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKindUnderTest, dropScratchDatabases, scratchDatabaseUrl } from '../support/database';

/** `npm start` builds (tsconfig.build.json) and runs the compiled server; built once here. */
const MAIN = join('dist', 'src', 'main.js');
beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'pipe' });
}, 120_000);

async function tablesIn(dbUrl: string): Promise<string[]> {
  if (dbUrl.startsWith('sqlite:')) {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(dbUrl.slice('sqlite:'.length), { readonly: true });
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    db.close();
    return rows.map((r) => r.name);
  }
  const connection = await createConnection({ uri: dbUrl });
  const [rows] = await connection.query('SHOW TABLES');
  await connection.end();
  return (rows as Array<Record<string, string>>).map((r) => Object.values(r)[0]);
}

afterAll(async () => dropScratchDatabases());

/** Runs the built server as `npm start` does, with exactly the given environment. */
function runMain(env: Record<string, string>, untilLine?: RegExp, cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [resolve_(MAIN)], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (untilLine && untilLine.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm start', () => {
  it('stops with one clear line when DB_URL is nonsense', async () => {
    const result = await runMain({ DB_URL: 'nonsense' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'config error: DB_URL: must be sqlite:<path> or mysql://user:pass@host:port/database',
    ]);
  });

  it('stops with one clear line when LOG_LEVEL is not a level, like every other variable', async () => {
    const result = await runMain({ LOG_LEVEL: 'loud' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['config error: LOG_LEVEL: one of fatal, error, warn, info, debug, trace, silent']);
  });

  it('stops with one clear line when WECOM_CORP_ID comes without WECOM_CORP_SECRET', async () => {
    const result = await runMain({ WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WEBHOOK_SECRET: 's' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'config error: WECOM_CORP_SECRET: required when WECOM_CORP_ID, WECOM_AGENT_ID are set',
    ]);
  });

  it('stops with one clear line, creating no folder, when DB_URL names a SQLite file in a folder that does not exist', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'huifang-start-')), 'nonexistent', 'dir');
    const result = await runMain({ DB_URL: `sqlite:${join(missing, 'x.sqlite')}` });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([`start failed: the folder of the SQLite file named by DB_URL does not exist: ${missing} (create it first)`]);
    expect(existsSync(join(missing, '..'))).toBe(false);
  });

  it('creates ./data for the default SQLite file, and answers /healthz from it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'huifang-start-'));
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const result = await runMain({ PORT: port }, /\/healthz/, cwd);
    expect(result.stdout).toContain('Huifang is running on sqlite');
    expect(existsSync(join(cwd, 'data', 'huifang.sqlite'))).toBe(true);
  });

  it(`migrates a new, empty ${dbKindUnderTest()} database, answers /healthz and prints the URL`, async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const dbUrl = await scratchDatabaseUrl('hf_start');
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: port, DB_URL: dbUrl },
    });
    const printed = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('/healthz')) resolve(out);
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    child.kill('SIGTERM');
    expect(printed).toContain(`http://localhost:${port}`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: dbKindUnderTest() });
    expect(await tablesIn(dbUrl)).toContain('visits');
  });

  it('stops the server when `npm start` itself gets SIGTERM (a container or service stop)', async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const npm = spawn('npm', ['start'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'silent', PORT: port, DB_URL: await scratchDatabaseUrl('hf_start') },
    });
    await new Promise<void>((resolve) => {
      let out = '';
      npm.stdout.on('data', (d) => {
        out += d;
        if (out.includes('/healthz')) resolve();
      });
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    npm.kill('SIGTERM');
    await exited;
    // The server went with it: nothing answers on the port any more (a server left running by
    // a shell between npm and node would still answer).
    let answered = true;
    for (let i = 0; i < 50 && answered; i++) {
      answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => true,
        () => false,
      );
      if (answered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answered).toBe(false);
  }, 60_000);
});
