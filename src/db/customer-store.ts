import { EntityManager } from 'typeorm';
import { Customer } from '../../entities';
import { isMysqlSource } from './data-source';
import { parameterList, selectEntities } from './select-entities';

/** What finds a customer again: its id and the keys it is known by. */
export interface CustomerKeys {
  id: number;
  phone: string | null;
  externalId: string | null;
}

/** A customer to write: `id` null for a new one. */
export type CustomerWrite = Omit<Customer, 'id' | 'officeId' | 'createdAt' | 'updatedAt'> & { id: number | null };

/** The written fields besides the id, in statement order. */
const FIELDS = [
  'externalId',
  'name',
  'company',
  'phone',
  'email',
  'wecomUserId',
  'wecomExternalUserId',
  'dingtalkUserId',
  'region',
  'category',
  'inquiryDate',
  'product',
  'inquiry',
] as const satisfies ReadonlyArray<keyof CustomerWrite>;

/** The office's customers known by any of these phones or external ids (one indexed read each). */
export async function customersByKeys(manager: EntityManager, officeId: string, phones: string[], externalIds: string[]): Promise<CustomerKeys[]> {
  const found: CustomerKeys[] = [];
  for (const [column, values] of [
    ['phone', phones],
    ['externalId', externalIds],
  ] as const) {
    if (values.length === 0) continue;
    const rows = (await manager.query(`SELECT id, phone, externalId FROM customers WHERE officeId = ? AND ${column} IN ${parameterList(values)}`, [
      officeId,
      ...values,
    ])) as Array<{ id: unknown; phone: string | null; externalId: string | null }>;
    for (const r of rows) found.push({ id: Number(r.id), phone: r.phone, externalId: r.externalId });
  }
  return found;
}

/**
 * Writes customers of one office, UPSERT_ROWS to a statement: a row with an id updates that customer, a
 * row without one (NULL id) is a new customer. An update never erases: a field the row leaves
 * blank keeps its value (COALESCE); the name always takes the row's. `createdAt` is kept.
 * MySQL/MariaDB: INSERT … ON DUPLICATE KEY UPDATE; SQLite: INSERT … ON CONFLICT (id) DO UPDATE.
 * The caller has checked that no row takes a phone or external id another customer holds.
 */
export async function upsertCustomers(manager: EntityManager, officeId: string, rows: CustomerWrite[], now: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_ROWS) await upsertStatement(manager, officeId, rows.slice(i, i + UPSERT_ROWS), now);
}

/**
 * Rows per statement. A statement of 500 rows with long inquiries is a text of half a megabyte,
 * and texts that large go straight to V8's old generation, collected only by its full
 * collections: 100 rows kept the import's heap lower (docs/benchmarks.md, "Customer import").
 */
const UPSERT_ROWS = 100;

async function upsertStatement(manager: EntityManager, officeId: string, rows: CustomerWrite[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const mysql = isMysqlSource(manager.connection);
  const metadata = manager.connection.getMetadata(Customer);
  const at = manager.connection.driver.preparePersistentValue(now, metadata.findColumnWithPropertyName('updatedAt')!);
  const columns = ['id', 'officeId', ...FIELDS, 'createdAt', 'updatedAt'];
  const params: unknown[] = [];
  for (const row of rows) params.push(row.id, officeId, ...FIELDS.map((f) => row[f]), at, at);
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const kept = (c: string) => (mysql ? `${c} = COALESCE(VALUES(${c}), ${c})` : `${c} = COALESCE(excluded.${c}, ${c})`);
  const updates = [
    mysql ? 'name = VALUES(name)' : 'name = excluded.name',
    ...FIELDS.filter((f) => f !== 'name').map(kept),
    mysql ? 'updatedAt = VALUES(updatedAt)' : 'updatedAt = excluded.updatedAt',
  ].join(', ');
  const conflict = mysql ? `ON DUPLICATE KEY UPDATE ${updates}` : `ON CONFLICT (id) DO UPDATE SET ${updates}`;
  await manager.query(`INSERT INTO customers (${columns.join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')} ${conflict}`, params);
}

/** A page of an office's customers in id order after `afterId`, of one category or all. */
export async function customerPage(
  manager: EntityManager,
  query: { officeId: string; category?: string; afterId: number; limit: number },
): Promise<Customer[]> {
  const where = ['officeId = ?', 'id > ?'];
  const params: unknown[] = [query.officeId, query.afterId];
  if (query.category !== undefined) {
    where.push('category = ?');
    params.push(query.category);
  }
  return selectEntities(manager, Customer, { where: where.join(' AND '), params, orderBy: `id LIMIT ${Math.trunc(query.limit)}` });
}

/** How many customers the office has in each category (null: none given). */
export async function customersByCategory(manager: EntityManager, officeId: string): Promise<Array<{ category: string | null; customers: number }>> {
  const rows = (await manager.query('SELECT category, COUNT(*) AS n FROM customers WHERE officeId = ? GROUP BY category ORDER BY category', [officeId])) as Array<{
    category: string | null;
    n: unknown;
  }>;
  return rows.map((r) => ({ category: r.category, customers: Number(r.n) }));
}
