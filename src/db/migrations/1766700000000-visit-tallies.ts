import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { recountQuotas } from '../sampling-quotas';
import { recountTallies } from '../visit-tallies';
import { col, createTable } from './table-kit';

/**
 * The quarterly statistics read counts kept with each change instead of scanning every visit
 * and work order of the quarter. The sampling quota rows now count the decisions of every kind,
 * 100 % kinds included: counted again from the work orders, and the work orders' stats index
 * goes. The visits are counted per team and outcome in `visit_tallies` (src/db/visit-tallies.ts)
 * rather than over a 13-column index: the table is created and counted from the visits, and
 * that index (and the office-quarter-kind one, whose work a prefix of the new ones does) gives
 * way to two that read only what the counts cannot tell — a quarter's visits not yet recorded
 * (overdue as of an instant) and its unqualified visits.
 */
export class VisitTallies1766700000000 implements MigrationInterface {
  name = 'VisitTallies1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(q, 'visit_tallies', [
      col.key('officeId'),
      col.key('quarter', 8),
      col.key('kind', 24),
      col.key('teamKey', 16),
      col.int('countsForRate', { primary: true }),
      col.int('recorded', { primary: true }),
      col.int('late', { primary: true }),
      col.int('satisfaction', { primary: true }),
      col.json('team', false),
      col.int('visits', { default: 0 }),
    ]);
    await recountTallies(q.manager);
    await recountQuotas(q.manager);
    await q.dropIndex('work_orders', 'idx_work_orders_stats');
    await q.dropIndex('visits', 'idx_visits_stats');
    await q.dropIndex('visits', 'idx_visits_office_quarter_kind');
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_quarter_records', columnNames: QUARTER_RECORDS }));
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_quarter_verdict', columnNames: QUARTER_VERDICT }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createIndex('work_orders', new TableIndex({ name: 'idx_work_orders_stats', columnNames: ['officeId', 'quarter', 'kind', 'sampling'] }));
    await q.dropIndex('visits', 'idx_visits_quarter_verdict');
    await q.dropIndex('visits', 'idx_visits_quarter_records');
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_office_quarter_kind', columnNames: ['officeId', 'quarter', 'kind'] }));
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_stats', columnNames: VISITS_STATS }));
    await q.dropTable('visit_tallies');
  }
}

/** A quarter's visits by record time, those not recorded first, then in the order they are counted as overdue. */
const QUARTER_RECORDS = ['officeId', 'quarter', 'recordedAt', 'kind', 'teamKey', 'closesAt', 'status'];
/** A quarter's visits by verdict, with what the list of unqualified ones shows. */
const QUARTER_VERDICT = ['officeId', 'quarter', 'verdict', 'recordedAt', 'kind', 'status', 'satisfaction', 'workOrderId', 'unitId'];
const VISITS_STATS = ['officeId', 'quarter', 'verdict', 'kind', 'teamKey', 'countsForRate', 'late', 'satisfaction', 'status', 'recordedAt', 'closesAt', 'workOrderId', 'unitId'];
