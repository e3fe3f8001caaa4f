import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { teamKeyOf, TEAM_KEY_LENGTH } from '../team-key';
import { col } from './table-kit';

/** Visit ids read per statement while writing team keys. */
const ID_RANGE = 10_000;

/**
 * What the quarterly statistics count by, kept on the rows so they are plain grouped counts over
 * one index each (no distinct counts, no join of every visit to its visitors):
 * - `visits.countsForRate`: the visit is its work order's follow-up in the rates — the main or
 *   after-contract visit of the work order's current completion generation. Back-filled so the
 *   figures stay what they were: a special service's mid-contract visit, the visits of a
 *   generation a reopen ended (a reopened work order's, an earlier generation's) and visits
 *   without a work order do not count;
 * - `visits.teamKey`: its visitors as a short key (src/db/team-key.ts), from visit_assignees;
 * - `work_orders.receivedAt`: when the work order was received, from which a complaint counts
 *   as a repeat. Back-filled with the earliest instant known of it: when it was first stored,
 *   or its completion when that was earlier (the first event seen was its completion);
 * - the statistics' indexes for these columns (repeat repairs now go by the completion date).
 */
export class RatesAndReceipt1765800000000 implements MigrationInterface {
  name = 'RatesAndReceipt1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('visits', [new TableColumn(col.bool('countsForRate', { default: false })), new TableColumn(col.text('teamKey', TEAM_KEY_LENGTH, true))]);
    await q.query(
      `UPDATE visits SET countsForRate = 1
       WHERE purpose <> 'mid_contract' AND EXISTS (
         SELECT 1 FROM work_orders w
         WHERE w.id = visits.workOrderId AND w.state <> 'reopened'
           AND (visits.generation = w.completions OR (w.completions = 0 AND visits.generation = 1)))`,
    );
    await writeTeamKeys(q);
    await q.dropIndex('visits', 'idx_visits_stats');
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_stats', columnNames: VISITS_STATS }));

    await q.addColumn('work_orders', new TableColumn(col.instant('receivedAt')));
    await q.query('UPDATE work_orders SET receivedAt = createdAt');
    await q.query('UPDATE work_orders SET receivedAt = completedAt WHERE completedAt < receivedAt');
    await q.changeColumn('work_orders', 'receivedAt', new TableColumn(col.instant('receivedAt', false)));
    await q.dropIndex('work_orders', 'idx_work_orders_stats');
    await q.createIndex('work_orders', new TableIndex({ name: 'idx_work_orders_stats', columnNames: ['officeId', 'quarter', 'kind', 'sampling'] }));
    await q.dropIndex('work_orders', 'idx_work_orders_matter_history');
    await q.createIndex(
      'work_orders',
      new TableIndex({ name: 'idx_work_orders_matter_history', columnNames: ['officeId', 'kind', 'unitId', 'matterKey', 'completedAt', 'receivedAt', 'state'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('work_orders', 'idx_work_orders_matter_history');
    await q.createIndex('work_orders', new TableIndex({ name: 'idx_work_orders_matter_history', columnNames: ['officeId', 'kind', 'unitId', 'matterKey', 'completedAt'] }));
    await q.dropIndex('work_orders', 'idx_work_orders_stats');
    await q.createIndex(
      'work_orders',
      new TableIndex({ name: 'idx_work_orders_stats', columnNames: ['officeId', 'quarter', 'kind', 'unitId', 'matterKey', 'sampling', 'completedAt'] }),
    );
    await q.dropColumn('work_orders', 'receivedAt');
    await q.dropIndex('visits', 'idx_visits_stats');
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_stats', columnNames: VISITS_STATS_BEFORE }));
    await q.dropColumn('visits', 'teamKey');
    await q.dropColumn('visits', 'countsForRate');
  }
}

const VISITS_STATS = ['officeId', 'quarter', 'verdict', 'kind', 'teamKey', 'countsForRate', 'late', 'satisfaction', 'status', 'recordedAt', 'closesAt', 'workOrderId', 'unitId'];
const VISITS_STATS_BEFORE = ['officeId', 'quarter', 'kind', 'status', 'purpose', 'recordedAt', 'late', 'satisfaction', 'closesAt', 'verdict', 'workOrderId', 'unitId'];

/** Every visit's team key from its visitors, a range of visit ids at a time. */
async function writeTeamKeys(q: QueryRunner): Promise<void> {
  const [bounds] = (await q.query('SELECT MIN(visitId) AS low, MAX(visitId) AS high FROM visit_assignees')) as Array<{ low: unknown; high: unknown }>;
  if (bounds.low === null || bounds.low === undefined) return;
  for (let from = Number(bounds.low); from <= Number(bounds.high); from += ID_RANGE) {
    const rows = (await q.query('SELECT visitId, staffId FROM visit_assignees WHERE visitId >= ? AND visitId < ?', [from, from + ID_RANGE])) as Array<{ visitId: unknown; staffId: string }>;
    const staffOf = new Map<number, string[]>();
    for (const r of rows) {
      const staff = staffOf.get(Number(r.visitId));
      if (staff) staff.push(r.staffId);
      else staffOf.set(Number(r.visitId), [r.staffId]);
    }
    const visitsOf = new Map<string, number[]>();
    for (const [visitId, staff] of staffOf) {
      const key = teamKeyOf(staff)!;
      const ids = visitsOf.get(key);
      if (ids) ids.push(visitId);
      else visitsOf.set(key, [visitId]);
    }
    for (const [key, ids] of visitsOf) {
      for (let i = 0; i < ids.length; i += 1_000) {
        const some = ids.slice(i, i + 1_000);
        await q.query(`UPDATE visits SET teamKey = ? WHERE id IN (${some.map(() => '?').join(', ')})`, [key, ...some]);
      }
    }
  }
}
