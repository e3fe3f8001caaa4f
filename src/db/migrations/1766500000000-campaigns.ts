import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * Customer follow-up campaigns and visit plans (docs/rules.md §8). Their calls are visits of kind
 * `campaign` naming the campaign (`visits.campaignId`, indexed since 1765010000000).
 */
export class Campaigns1766500000000 implements MigrationInterface {
  name = 'Campaigns1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(
      q,
      'campaigns',
      [
        col.key('id'),
        col.text('officeId'),
        col.text('name', 200),
        col.json('purposes', false),
        col.json('questions', false),
        col.text('startsOn', 10),
        col.text('endsOn', 10),
        col.json('selection', false),
        col.json('staffIds', false),
        col.json('methods', false),
        col.text('createdBy'),
        col.instant('createdAt', false),
      ],
      [{ name: 'idx_campaigns_office', columnNames: ['officeId', 'endsOn'] }],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('campaigns');
  }
}
