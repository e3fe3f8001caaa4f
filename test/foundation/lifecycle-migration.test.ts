import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations';
import { VisitLifecycle1765000000000 } from '../../src/db/migrations/1765000000000-visit-lifecycle';
import { sqlInstant } from '../../src/reports/sql-values';
import { open, ownTarget } from '../support/migration-database';

/**
 * The lifecycle migration moves data written under the first edition of the rules: repair
 * works, quarters by window close, quotas counted again, incomplete teams, closed visits —
 * without losing a row, and leaving archived quarters exactly as they were. It runs on a
 * database of its own (a sibling database on MySQL, a file on SQLite), migrated to just
 * before the lifecycle migration and filled with rows in the old shape.
 */

const T = (iso: string) => new Date(iso);

describe('the lifecycle migration over data of the first edition', () => {
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => drop?.());

  it('moves repairs, quarters, quotas, teams and closings to the new rules without losing a row, archived quarters untouched', async () => {
    const own = await ownTarget();
    drop = own.drop;
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(VisitLifecycle1765000000000));
    const old = await open(own.target, before);
    // Raw statements bind instants as each driver stores them.
    const instant = (d: Date) => (own.target.kind === 'mysql' ? d : d.toISOString().replace('T', ' ').replace('Z', ''));
    const now = instant(T('2026-12-20T02:00:00Z'));
    await old.query(`INSERT INTO offices (id, name, timeZone, createdAt, updatedAt) VALUES ('office-1', '一号', 'Asia/Shanghai', ?, ?)`, [now, now]);
    await old.query(`INSERT INTO quarter_archives (officeId, quarter, lockedAt, fileName, fileSize, fileSha256) VALUES ('office-1', '2026-Q3', ?, 'q3.xlsx', 1, 'x')`, [instant(T('2026-10-10T00:00:00Z'))]);
    const order = (id: string, kind: string, quarter: string, completedAt: Date, sampling = 'selected') =>
      old.query(
        `INSERT INTO work_orders (id, officeId, kind, severity, department, state, completedAt, quarter, completions, sampling, samplingReason, lastEventAt, lastEventId, createdAt, updatedAt)
         VALUES (?, 'office-1', ?, ?, ?, 'completed', ?, ?, 1, ?, 'quota', ?, ?, ?, ?)`,
        [id, kind, kind === 'complaint' ? 'general' : null, kind === 'complaint' ? 'security' : null, ...[completedAt].map(instant), quarter, sampling, ...[completedAt].map(instant), `e-${id}`, ...[completedAt, completedAt].map(instant)],
      );
    const visitRow = async (workOrderId: string, kind: string, status: string, quarter: string, opensAt: Date, closesAt: Date, extra: Record<string, unknown> = {}) => {
      const columns = ['officeId', 'workOrderId', 'generation', 'kind', 'purpose', 'status', 'quarter', 'opensAt', 'closesAt', 'late', 'createdAt', 'updatedAt', ...Object.keys(extra)];
      const values = ['office-1', workOrderId, 1, kind, 'main', status, quarter, ...[opensAt, closesAt].map(instant), 0, ...[opensAt, opensAt].map(instant), ...Object.values(extra).map((v) => (v instanceof Date ? instant(v) : v))];
      await old.query(`INSERT INTO visits (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values);
      return Number((await old.query(`SELECT MAX(id) AS id FROM visits`))[0].id);
    };
    // Repair works planned under the old rule (the month window): completed 15 December, visited in January.
    await order('WO-R1', 'repair', '2026-Q4', T('2026-12-15T02:00:00Z'));
    const r1 = await visitRow('WO-R1', 'repair', 'planned', '2026-Q4', T('2027-01-14T16:00:00Z'), T('2027-02-15T15:59:59.999Z'));
    // One not sampled: it counts in the quarter of the window it would have had.
    await order('WO-R2', 'repair', '2026-Q4', T('2026-12-16T02:00:00Z'), 'not_sampled');
    await old.query(`INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) VALUES ('office-1', 'repair', '2026-Q4', 2, 1)`);
    // A general complaint planned "unassigned" though its specialist was there.
    // (Its window lies in the past of any clock running this test, so it is overdue now.)
    await order('WO-C1', 'complaint', '2026-Q4', T('2026-10-08T02:00:00Z'));
    const c1 = await visitRow('WO-C1', 'complaint', 'unassigned', '2026-Q4', T('2026-10-08T02:00:00Z'), T('2026-10-11T15:59:59.999Z'));
    await old.query(`INSERT INTO visit_assignees (visitId, staffId, officeId, role) VALUES (?, 'sp1', 'office-1', 'specialist')`, [c1]);
    // A visit closed on review.
    await order('WO-H1', 'help', '2026-Q4', T('2026-12-01T02:00:00Z'));
    const h1 = await visitRow('WO-H1', 'help', 'closed', '2026-Q4', T('2026-12-01T02:00:00Z'), T('2026-12-08T15:59:59.999Z'), {
      recordedAt: T('2026-12-02T02:00:00Z'),
      reviewedAt: T('2026-12-03T02:00:00Z'),
      verdict: 'ok',
    });
    // A visit with the manager: its handling gets a deadline.
    await order('WO-E1', 'help', '2026-Q4', T('2026-12-02T02:00:00Z'));
    const e1 = await visitRow('WO-E1', 'help', 'escalated', '2026-Q4', T('2026-12-02T02:00:00Z'), T('2026-12-09T15:59:59.999Z'), {
      recordedAt: T('2026-12-03T02:00:00Z'),
      reviewedAt: T('2026-12-04T02:00:00Z'),
      verdict: 'unqualified',
    });
    // An archived quarter's repair: its figures must not move.
    await order('WO-OLD', 'repair', '2026-Q3', T('2026-09-20T02:00:00Z'));
    const archived = await visitRow('WO-OLD', 'repair', 'closed', '2026-Q3', T('2026-10-20T16:00:00Z'), T('2026-11-20T15:59:59.999Z'));
    const counts = async (ds: DataSource) =>
      Object.fromEntries(
        await Promise.all(['work_orders', 'visits', 'visit_assignees'].map(async (t) => [t, Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)])),
      );
    const rowsBefore = await counts(old);
    await old.destroy();

    const migrated = await open(own.target, MIGRATIONS);
    try {
      expect(await counts(migrated)).toEqual(rowsBefore);
      const visit = async (id: number) => (await migrated.query(`SELECT * FROM visits WHERE id = ?`, [id]))[0];
      const workOrder = async (id: string) => (await migrated.query(`SELECT kind, quarter FROM work_orders WHERE id = ?`, [id]))[0];
      expect(await visit(r1)).toMatchObject({ kind: 'repair_works', quarter: '2027-Q1', status: 'planned' });
      expect(await workOrder('WO-R1')).toEqual({ kind: 'repair_works', quarter: '2027-Q1' });
      expect(await workOrder('WO-R2')).toEqual({ kind: 'repair_works', quarter: '2027-Q1' });
      expect(await migrated.query(`SELECT kind, quarter, eligible, selected FROM sampling_quotas ORDER BY kind`)).toEqual([
        { kind: 'complaint', quarter: '2026-Q4', eligible: 1, selected: 1 },
        { kind: 'help', quarter: '2026-Q4', eligible: 2, selected: 2 },
        // Counted by a later migration (1766700000000), which counts every kind's decisions.
        { kind: 'repair', quarter: '2026-Q3', eligible: 1, selected: 1 },
        { kind: 'repair_works', quarter: '2027-Q1', eligible: 2, selected: 1 },
      ]);
      const complaint = await visit(c1);
      expect(complaint).toMatchObject({ status: 'overdue', quarter: '2026-Q4' });
      expect(Boolean(Number(complaint.teamIncomplete))).toBe(true);
      expect(Boolean(Number(complaint.residentCompletes))).toBe(false);
      expect(await visit(h1)).toMatchObject({ closedAs: 'passed' });
      const escalated = await visit(e1);
      expect(Number(escalated.escalationRound)).toBe(1);
      expect(sqlInstant(escalated.handleBy)!.toISOString()).toBe('2026-12-05T02:00:00.000Z');
      expect(await visit(archived)).toMatchObject({ kind: 'repair', quarter: '2026-Q3' });
      expect(await workOrder('WO-OLD')).toEqual({ kind: 'repair', quarter: '2026-Q3' });
    } finally {
      await migrated.destroy();
    }
  });
});
