import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * Customers (客户档案, docs/rules.md §8), imported from an office's inquiry sheet: one row per
 * customer, known once per office by phone and once by external id. Campaign calls will be
 * visits naming them (`visits.customerId`, already there; indexed here for a customer's page).
 */
export class Customers1766400000000 implements MigrationInterface {
  name = 'Customers1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(
      q,
      'customers',
      [
        col.id(),
        col.text('officeId'),
        col.text('externalId', 64, true),
        col.text('name', 100),
        col.text('company', 200, true),
        col.text('phone', 32, true),
        col.text('email', 254, true),
        col.text('wecomUserId', 64, true),
        col.text('wecomExternalUserId', 64, true),
        col.text('dingtalkUserId', 64, true),
        col.text('region', 64, true),
        col.text('category', 64, true),
        col.text('inquiryDate', 10, true),
        col.text('product', 100, true),
        col.longText('inquiry'),
        col.instant('createdAt', false),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'uq_customers_phone', columnNames: ['officeId', 'phone'], isUnique: true },
        { name: 'uq_customers_external', columnNames: ['officeId', 'externalId'], isUnique: true },
        { name: 'idx_customers_category', columnNames: ['officeId', 'category'] },
      ],
    );
    await q.createIndex('visits', new TableIndex({ name: 'idx_visits_customer', columnNames: ['customerId'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('visits', 'idx_visits_customer');
    await q.dropTable('customers');
  }
}
