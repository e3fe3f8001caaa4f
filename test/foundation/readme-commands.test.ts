import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDbUrl } from '../../src/db/db-url';
import { dbKindUnderTest } from '../support/database';

/**
 * Every `npm …` command the README names is a script of package.json, and runs — from a fresh
 * clone of the repository (what a newcomer has), with this checkout's node_modules linked in so
 * nothing is installed. On SQLite every script runs; on MySQL the ones that touch the database
 * run against a new database of the server under test.
 */
const ROOT = process.cwd();
const NOT_SCRIPTS = new Set(['install', 'ci']);
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

function commandsInReadme(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const names = new Set<string>();
  for (const match of readme.matchAll(/\bnpm (?:run )?([a-z][\w:-]*)/g)) {
    if (!NOT_SCRIPTS.has(match[1]!) && match[1] !== 'run') names.add(match[1]!);
  }
  return [...names].sort();
}

let clone = '';
let scratch = '';
const createdDatabases: string[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'huifang-readme-'));
  clone = join(scratch, 'huifang');
  try {
    execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: 'pipe' });
  } catch {
    // Not a git checkout (an unpacked copy): the files as they are, without what is built or installed.
    cpSync(ROOT, clone, { recursive: true, filter: (src) => !/\/(node_modules|dist|data|\.git)(\/|$)/.test(src.slice(ROOT.length)) });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
}, 60_000);

afterAll(async () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (createdDatabases.length === 0) return;
  const admin = await createConnection({ uri: serverUrl() });
  for (const name of createdDatabases) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.end();
});

function serverUrl(): string {
  const target = parseDbUrl(process.env.DB_URL ?? '');
  if (target?.kind !== 'mysql') throw new Error('DB_URL names no MySQL server');
  return target.url;
}

/**
 * A database nobody has used: a SQLite file in the clone's own folder (a folder the operator
 * names must exist), or a new schema on the server under test.
 */
async function freshDbUrl(label: string): Promise<string> {
  if (dbKindUnderTest() === 'sqlite') return `sqlite:${join(clone, `${label}.sqlite`)}`;
  const name = `hf_readme_${label}_${process.pid}_${Date.now() % 100000}`;
  const admin = await createConnection({ uri: serverUrl() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  createdDatabases.push(name);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run <script> [-- args]` in the clone with only the given environment, at low
 * priority, killed after `limitMs`. With `ready`, the process group is stopped (SIGTERM) once `ready` says so.
 */
function npmRun(script: string, args: string[], env: Record<string, string>, limitMs: number, ready?: (stdout: string) => Promise<boolean>): Promise<Run> {
  return new Promise((resolve) => {
    // At low priority (nice): compiles and the nested runs must not starve the test runner itself.
    const child = spawn('nice', ['-n', '10', 'npm', 'run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: clone,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'silent', ...env },
      detached: true,
    });
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(stop, limitMs);
    let stdout = '';
    let stderr = '';
    let checking = false;
    child.stdout.on('data', async (d) => {
      stdout += d;
      if (!ready || checking) return;
      checking = true;
      if (await ready(stdout)) stop();
      checking = false;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the commands the README names', () => {
  it('are all scripts of package.json', () => {
    const named = commandsInReadme();
    expect(named).toEqual(expect.arrayContaining(['start', 'test', 'demo', 'migration:run', 'bench']));
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
    // build and typecheck run below as the first steps of start and test, not once more on their own.
    expect(scripts.start).toMatch(/\bnpm run build\b/);
    expect(scripts.test).toMatch(/^npm run typecheck\b/);
  });

  it(`npm run migration:run migrates a new ${dbKindUnderTest()} database, then finds nothing to do`, async () => {
    const env = { DB_URL: await freshDbUrl('migrate') };
    const first = await npmRun('migration:run', [], env, 60_000);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\) to the \w+ database: InitialSchema/);
    const again = await npmRun('migration:run', [], env, 60_000);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date');
  }, 130_000);

  it(`npm run demo seeds the demo office into a new ${dbKindUnderTest()} database`, async () => {
    const run = await npmRun('demo', [], { DB_URL: await freshDbUrl('demo') }, 120_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Demo seeded on \w+: office office-1 with 5 staff/);
  }, 130_000);

  it('npm start checks the configuration before it builds: a mistake stops it at once, with one line', async () => {
    const run = await npmRun('start', [], { PORT: 'eighty' }, 60_000);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['config error: PORT: "eighty" is not a port number (1–65535)']);
    // Nothing was compiled: the fresh clone still has no dist/.
    expect(existsSync(join(clone, 'dist'))).toBe(false);
  }, 70_000);

  it('npm start builds (npm run build), serves /healthz and stops on SIGTERM', async () => {
    const port = await freePort();
    let healthy = false;
    const run = await npmRun('start', [], { PORT: String(port), DB_URL: await freshDbUrl('start') }, 150_000, async (out) => {
      if (!out.includes('/healthz')) return false;
      healthy = (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
      return true;
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`http://localhost:${port}/healthz`);
    expect(healthy).toBe(true);
  }, 160_000);

  if (dbKindUnderTest() === 'sqlite') {
    // The rest touch no database of their own (or only their own SQLite files): once is enough.
    it('npm test type-checks (npm run typecheck) and runs vitest (here on one file), npm run test:unit the rules', async () => {
      const test = await npmRun('test', ['test/rules/index.test.ts'], {}, 200_000);
      expect(test.stdout + test.stderr).toMatch(/Tests\s+\d+ passed/);
      expect(test.code).toBe(0);
      const unit = await npmRun('test:unit', [], {}, 120_000);
      expect(unit.code).toBe(0);
    }, 330_000);

    it('npm run bench -- webhook measures the webhook and checks its database (SQLite only, one second)', async () => {
      // Only the webhook scenario: the taps and statistics scenarios take minutes by design.
      const run = await npmRun(
        'bench',
        ['webhook'],
        { BENCH_TARGETS: 'sqlite', BENCH_SECONDS: '1', BENCH_WARMUP_SECONDS: '0', BENCH_CONNECTIONS: '5', BENCH_STATS: '0' },
        240_000,
      );
      expect(run.stdout).toContain('webhook on SQLite');
      expect(run.code).toBe(0);
    }, 250_000);
  }
});
