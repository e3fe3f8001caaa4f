import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations';
import { RatesAndReceipt1765800000000 } from '../../src/db/migrations/1765800000000-rates-and-receipt';
import { teamKeyOf } from '../../src/db/team-key';
import { sqlInstant } from '../../src/reports/sql-values';
import { open, ownTarget } from '../support/migration-database';

/**
 * Migration 1765800000000 back-fills what the statistics now count by, from rows written
 * before it: which visit is its work order's follow-up, each visit's team key, and when each
 * work order was received.
 */
describe('the rates-and-receipt migration over earlier rows', () => {
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => drop?.());

  it('marks the follow-ups of current generations, keys the teams and dates the receipts', async () => {
    const own = await ownTarget('hf_rates');
    drop = own.drop;
    const old = await open(own.target, MIGRATIONS.slice(0, MIGRATIONS.indexOf(RatesAndReceipt1765800000000)));
    const instant = (iso: string) => (own.target.kind === 'mysql' ? new Date(iso) : iso.replace('T', ' ').replace('Z', ''));
    const order = (id: string, state: string, completions: number, createdAt: string, completedAt: string | null) =>
      old.query(
        `INSERT INTO work_orders (id, officeId, kind, state, completedAt, quarter, completions, sampling, lastEventAt, lastEventId, createdAt, updatedAt)
         VALUES (?, 'office-1', 'help', ?, ?, '2026-Q4', ?, 'selected', ?, ?, ?, ?)`,
        [id, state, completedAt && instant(completedAt), completions, instant(createdAt), `e-${id}`, instant(createdAt), instant(createdAt)],
      );
    const visit = async (workOrderId: string | null, generation: number, purpose = 'main', staff: string[] = []) => {
      await old.query(
        `INSERT INTO visits (officeId, workOrderId, generation, kind, purpose, status, quarter, opensAt, closesAt, createdAt, updatedAt)
         VALUES ('office-1', ?, ?, 'help', ?, 'recorded', '2026-Q4', ?, ?, ?, ?)`,
        [workOrderId, generation, purpose, ...['2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'].map(instant)],
      );
      const id = Number((await old.query('SELECT MAX(id) AS id FROM visits'))[0].id);
      for (const staffId of staff) await old.query(`INSERT INTO visit_assignees (visitId, staffId, officeId, role) VALUES (?, ?, 'office-1', 'specialist')`, [id, staffId]);
      return id;
    };
    // Completed once; stored when its completion arrived (the first event seen).
    await order('W-1', 'completed', 1, '2026-11-01T02:00:05Z', '2026-11-01T02:00:00Z');
    const w1 = await visit('W-1', 1, 'main', ['sp2', 'eng1']);
    // Reopened and completed again: only the second generation counts.
    await order('W-2', 'completed', 2, '2026-10-20T02:00:00Z', '2026-11-10T02:00:00Z');
    const w2old = await visit('W-2', 1, 'main', ['sp1']);
    const w2new = await visit('W-2', 2, 'main', ['sp1']);
    // Reopened, not completed again: nothing of it counts.
    await order('W-3', 'reopened', 1, '2026-10-21T02:00:00Z', null);
    const w3 = await visit('W-3', 1);
    // A special service: the after-contract visit counts, the mid-contract one does not.
    await order('S-1', 'created', 1, '2026-09-01T02:00:00Z', null);
    const mid = await visit('S-1', 1, 'mid_contract', ['eng1', 'sp2']);
    const after = await visit('S-1', 1, 'after_contract');
    // A campaign call: no work order.
    const call = await visit(null, 1);
    await old.destroy();

    const migrated = await open(own.target, MIGRATIONS);
    try {
      const rows: Array<{ id: number; countsForRate: unknown; teamKey: string | null }> = await migrated.query('SELECT id, countsForRate, teamKey FROM visits ORDER BY id');
      const counts = Object.fromEntries(rows.map((r) => [Number(r.id), Number(r.countsForRate) === 1]));
      expect(counts).toEqual({ [w1]: true, [w2old]: false, [w2new]: true, [w3]: false, [mid]: false, [after]: true, [call]: false });
      const keys = Object.fromEntries(rows.map((r) => [Number(r.id), r.teamKey]));
      expect(keys[w1]).toBe(teamKeyOf(['eng1', 'sp2']));
      expect(keys[mid]).toBe(keys[w1]); // the same visitors, the same key
      expect(keys[w2old]).toBe(teamKeyOf(['sp1']));
      expect(keys[after]).toBeNull();

      const received = async (id: string) => sqlInstant((await migrated.query('SELECT receivedAt FROM work_orders WHERE id = ?', [id]))[0].receivedAt)!.toISOString();
      expect(await received('W-1')).toBe('2026-11-01T02:00:00.000Z'); // its completion, earlier than its storing
      expect(await received('W-2')).toBe('2026-10-20T02:00:00.000Z');
      expect(await received('S-1')).toBe('2026-09-01T02:00:00.000Z');
    } finally {
      await migrated.destroy();
    }
  });
});
