import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Lets the dispatcher count what each person received in the last minute and hour cheaply. */
export class OutboxPacingIndex1764300000000 implements MigrationInterface {
  name = 'OutboxPacingIndex1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('outbound_messages', new TableIndex({ name: 'idx_outbox_address_sent', columnNames: ['channel', 'address', 'sentAt'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('outbound_messages', 'idx_outbox_address_sent');
  }
}
