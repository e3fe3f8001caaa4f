import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * `wecom_tickets`: the JS-SDK tickets of the chat sidebar (the company's jsapi_ticket and the
 * app's agent_config ticket), shared by every instance through the database.
 */
export class WecomTickets1766300000000 implements MigrationInterface {
  name = 'WecomTickets1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(q, 'wecom_tickets', [
      col.key('app', 96),
      col.key('kind', 16),
      col.text('value', 512),
      col.instant('refreshAt', false),
      col.instant('fetchedAt', false),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('wecom_tickets');
  }
}
