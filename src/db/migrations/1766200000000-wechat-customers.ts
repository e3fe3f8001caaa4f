import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * Residents on WeChat (docs/wecom.md §7.1, docs/rules.md §3 "How a resident is reached"):
 * - `customer_messages`: each customer-contact mass-send task, followed until it is sent or
 *   handed on, and counted against the customer's monthly cap;
 * - `visits.residentReachedAt`: when the link is known to have reached the resident;
 * - `residents.wechatOpenId` (from the work-order event) and `learntOpenId` (from the survey
 *   page's web authorisation) for the Official Account route.
 */
export class WechatCustomers1766200000000 implements MigrationInterface {
  name = 'WechatCustomers1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(
      q,
      'customer_messages',
      [
        col.id(),
        col.text('officeId'),
        col.int('visitId'),
        col.text('residentId'),
        { ...col.text('route', 24), default: "'external'" },
        col.text('externalUserId'),
        col.text('sender'),
        col.text('dedupeKey', 191),
        col.text('status', 16),
        col.text('msgid', 128, true),
        col.instant('taskCreatedAt'),
        col.instant('nextCheckAt'),
        col.text('claimedBy', 64, true),
        col.instant('claimedUntil'),
        col.json('platformReminders'),
        col.instant('chatRemindedAt'),
        col.instant('sentAt'),
        col.text('outcome', 32, true),
        col.instant('createdAt', false),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'uq_customer_messages_dedupe', columnNames: ['dedupeKey'], isUnique: true },
        { name: 'idx_customer_messages_due', columnNames: ['status', 'nextCheckAt'] },
        { name: 'idx_customer_messages_customer', columnNames: ['externalUserId', 'createdAt'] },
        { name: 'idx_customer_messages_visit', columnNames: ['visitId'] },
      ],
    );
    await q.addColumn('visits', new TableColumn(col.instant('residentReachedAt')));
    await q.addColumns('residents', [new TableColumn(col.text('wechatOpenId', 64, true)), new TableColumn(col.text('learntOpenId', 64, true))]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('residents', 'learntOpenId');
    await q.dropColumn('residents', 'wechatOpenId');
    await q.dropColumn('visits', 'residentReachedAt');
    await q.dropTable('customer_messages');
  }
}
