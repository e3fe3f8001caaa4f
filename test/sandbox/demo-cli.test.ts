import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IsNull, Not } from 'typeorm';
import { Customer, Office, StaffMember, Visit, WarrantyRepair, WorkOrder } from '../../entities';
import { openDatabase } from '../../src/db/data-source';
import { openTestDatabase, testDbTarget } from '../support/database';

/** Runs `npm run demo` (`tsx src/sandbox/demo.cli.ts`) with exactly the given environment. */
function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/demo.cli.ts'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      cwd: process.cwd(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  it('seeds the configured database with the demo office and its week, once a day, and exits', async () => {
    const target = testDbTarget();
    // An empty, migrated database (on MySQL the suite's own, emptied), left for the command.
    await (await openTestDatabase(target)).destroy();
    const dbUrl = target.kind === 'sqlite' ? `sqlite:${target.path}` : target.url;

    const first = await runDemo({ DB_URL: dbUrl });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // The week ends now (the real clock): how many are sampled depends on whether it spans a quarter's start.
    const planned = /office office-1 with 5 staff and 20 residents, 23 new work orders, (\d+) visits planned/.exec(first.stdout);
    expect(planned, first.stdout).not.toBeNull();
    expect(first.stdout).toContain('30 customers imported and 30 campaign calls planned');
    const again = await runDemo({ DB_URL: dbUrl });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 new work orders, 0 visits planned, 30 customers imported and 0 campaign calls planned/);
    expect(again.stdout).toContain("Nothing new: this database already holds today's demo week (23 work orders sent by an earlier npm run demo or npm start)");
    expect(first.stdout).not.toContain('Nothing new');

    const db = await openDatabase(target);
    try {
      expect(await db.getRepository(Office).countBy({ id: 'office-1' })).toBe(1);
      expect(await db.getRepository(StaffMember).countBy({ officeId: 'office-1', active: true })).toBe(5);
      expect(await db.getRepository(WorkOrder).countBy({ officeId: 'office-1' })).toBe(23);
      expect(await db.getRepository(Visit).countBy({ officeId: 'office-1', workOrderId: Not(IsNull()) })).toBe(Number(planned![1]));
      // The demo construction project, its warranty visits and its one open repair, seeded once.
      expect(await db.getRepository(Visit).countBy({ projectId: 'demo-project' })).toBeGreaterThan(0);
      expect(await db.getRepository(WarrantyRepair).countBy({ projectId: 'demo-project' })).toBe(1);
      // This week's campaign: 30 customers imported once, one call each, planned once.
      expect(await db.getRepository(Customer).countBy({ officeId: 'office-1' })).toBe(30);
      expect(await db.getRepository(Visit).countBy({ officeId: 'office-1', kind: 'campaign' })).toBe(30);
    } finally {
      await db.destroy();
    }
  });

  it('refuses to seed demo residents where WeCom is configured', async () => {
    const result = await runDemo({ WECOM_CORP_ID: 'ww1', WECOM_CORP_SECRET: 's', WECOM_AGENT_ID: '1000002', WEBHOOK_SECRET: 'w', DB_URL: 'sqlite::memory:' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm run demo seeds only in sandbox mode');
  });
});
