import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { col } from './table-kit';

/**
 * What the quarterly statistics count by, stored so they are plain grouped counts:
 * - `visits.countsForRate`: the visit is its work order's follow-up in the rates — the main or
 *   after-contract visit of the work order's current completion generation. Back-filled so the
 *   figures stay what they were: a special service's mid-contract visit, the visits of a
 *   generation a reopen ended (a reopened work order's, and an earlier generation's) and
 *   visits without a work order do not count;
 * - `work_orders.receivedAt`: when the work order was received, from which a complaint counts
 *   as a repeat. Back-filled with the earliest instant known of it: when it was first stored,
 *   or its completion when that was earlier (the first event seen was its completion).
 */
export class RatesAndReceipt1765800000000 implements MigrationInterface {
  name = 'RatesAndReceipt1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('visits', new TableColumn(col.bool('countsForRate', { default: false })));
    await q.query(
      `UPDATE visits SET countsForRate = 1
       WHERE purpose <> 'mid_contract' AND EXISTS (
         SELECT 1 FROM work_orders w
         WHERE w.id = visits.workOrderId AND w.state <> 'reopened'
           AND (visits.generation = w.completions OR (w.completions = 0 AND visits.generation = 1)))`,
    );
    await q.createIndex(
      'visits',
      new TableIndex({ name: 'idx_visits_rate', columnNames: ['officeId', 'quarter', 'countsForRate', 'kind', 'status', 'recordedAt', 'late'] }),
    );

    await q.addColumn('work_orders', new TableColumn(col.instant('receivedAt')));
    await q.query('UPDATE work_orders SET receivedAt = createdAt');
    await q.query('UPDATE work_orders SET receivedAt = completedAt WHERE completedAt < receivedAt');
    await q.changeColumn('work_orders', 'receivedAt', new TableColumn(col.instant('receivedAt', false)));
    await q.dropIndex('work_orders', 'idx_work_orders_matter_history');
    await q.createIndex(
      'work_orders',
      new TableIndex({ name: 'idx_work_orders_matter_history', columnNames: ['officeId', 'kind', 'unitId', 'matterKey', 'completedAt', 'receivedAt', 'state'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('work_orders', 'idx_work_orders_matter_history');
    await q.createIndex('work_orders', new TableIndex({ name: 'idx_work_orders_matter_history', columnNames: ['officeId', 'kind', 'unitId', 'matterKey', 'completedAt'] }));
    await q.dropColumn('work_orders', 'receivedAt');
    await q.dropIndex('visits', 'idx_visits_rate');
    await q.dropColumn('visits', 'countsForRate');
  }
}
