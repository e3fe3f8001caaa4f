import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './table-kit';

/** The supervisor's guidance on a campaign's weekly report, kept as a history (docs/rules.md §8). */
export class CampaignGuidance1766610000000 implements MigrationInterface {
  name = 'CampaignGuidance1766610000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(
      q,
      'campaign_guidance',
      [
        col.id(),
        col.text('campaignId'),
        col.text('officeId'),
        col.text('week', 8),
        col.text('staffId', 64, true),
        col.text('by'),
        { name: 'text', type: 'text', isNullable: false },
        col.instant('createdAt', false),
      ],
      [{ name: 'idx_campaign_guidance_week', columnNames: ['campaignId', 'week', 'id'] }],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('campaign_guidance');
  }
}
