import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * DingTalk answers success and may still drop a work notice (flow control, same content
 * twice a day); the dispatcher asks afterwards and records when it did.
 */
export class OutboxDeliveryCheck1764350000000 implements MigrationInterface {
  name = 'OutboxDeliveryCheck1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('outbound_messages', new TableColumn({ name: 'deliveryCheckedAt', type: 'datetime', precision: 3, isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbound_messages', 'deliveryCheckedAt');
  }
}
