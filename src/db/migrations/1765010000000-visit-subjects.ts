import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { col } from './table-kit';

/**
 * Visits that no work order caused (docs/rules.md §7–§8): a construction project's warranty
 * visits and a follow-up campaign's calls. A visit now names its subject — a work order, a
 * project, or a campaign and its customer — and keeps what its own question set asked in
 * `details` (the property visit's five items stay in their columns).
 */
export class VisitSubjects1765010000000 implements MigrationInterface {
  name = 'VisitSubjects1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.changeColumn('visits', 'workOrderId', new TableColumn(col.text('workOrderId', 64, true)));
    await q.addColumns('visits', [
      new TableColumn(col.text('projectId', 64, true)),
      new TableColumn(col.text('campaignId', 64, true)),
      new TableColumn(col.text('customerId', 64, true)),
      new TableColumn(col.json('details')),
    ]);
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_project', columnNames: ['projectId', 'status'] }));
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_campaign', columnNames: ['campaignId', 'status'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('visits', 'idx_visits_campaign');
    await q.dropIndex('visits', 'idx_visits_project');
    for (const name of ['details', 'customerId', 'campaignId', 'projectId']) await q.dropColumn('visits', name);
    await q.changeColumn('visits', 'workOrderId', new TableColumn(col.text('workOrderId', 64)));
  }
}
