import { EntityManager } from 'typeorm';
import { sqlInstant, sqlNumber } from '../reports/sql-values';
import { isMysqlSource } from './data-source';
import { parameterList } from './select-entities';

/*
 * Campaign calls (visits of kind 'campaign' naming a customer, their record in `details`) read
 * per customer, in SQL that means the same on MySQL/MariaDB and SQLite.
 */

/** Whether a call record's JSON key is `true` (a missing key, another value or no record: not). */
function detailIsTrue(manager: EntityManager, key: 'reached' | 'inquiryValid'): string {
  return isMysqlSource(manager.connection)
    ? `JSON_UNQUOTE(JSON_EXTRACT(v.details, '$.${key}')) = 'true'`
    : `(CASE WHEN json_valid(v.details) THEN json_type(v.details, '$.${key}') END) = 'true'`;
}

/** The customer id a visit names, as the customers table's integer. */
const customerIdOf = (manager: EntityManager): string => `CAST(v.customerId AS ${isMysqlSource(manager.connection) ? 'SIGNED' : 'INTEGER'})`;

/** Each customer's latest recorded call, by instant, then id (one row per customer). */
const LATEST_FIRST = 'ROW_NUMBER() OVER (PARTITION BY v.customerId ORDER BY v.recordedAt DESC, v.id DESC)';

export interface LastCall {
  recordedAt: Date;
  details: unknown;
}

/** The latest recorded campaign call of each of these customers of an office (one indexed read). */
export async function lastCalls(manager: EntityManager, officeId: string, customerIds: number[]): Promise<Map<number, LastCall>> {
  const found = new Map<number, LastCall>();
  if (customerIds.length === 0) return found;
  const rows = (await manager.query(
    `SELECT customerId, recordedAt, details FROM (
       SELECT ${customerIdOf(manager)} AS customerId, v.recordedAt, v.details, ${LATEST_FIRST} AS n
       FROM visits v
       WHERE v.customerId IN ${parameterList(customerIds)} AND v.officeId = ? AND v.kind = 'campaign' AND v.recordedAt IS NOT NULL
     ) calls WHERE n = 1`,
    [...customerIds.map(String), officeId],
  )) as Array<{ customerId: unknown; recordedAt: unknown; details: string | null }>;
  for (const r of rows) found.set(sqlNumber(r.customerId), { recordedAt: sqlInstant(r.recordedAt)!, details: parseDetails(r.details) });
  return found;
}

function parseDetails(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** One group's customers, those with a recorded reached call, and those whose latest such call found the inquiry valid. */
export interface InquiryShareRow {
  group: string | null;
  customers: number;
  reached: number;
  valid: number;
}

/**
 * The share of valid inquiries (询盘有效性) per region or per product (docs/rules.md §8): of an
 * office's customers (of one category, or all), grouped, how many have a recorded call that
 * reached them, and how many of those the latest reached call judged a valid inquiry. One
 * grouped statement; the calls are read through the visits' customer index.
 */
export async function inquiryShares(
  manager: EntityManager,
  query: { officeId: string; category?: string; by: 'region' | 'product' },
): Promise<InquiryShareRow[]> {
  const column = query.by === 'region' ? 'c.region' : 'c.product';
  const params: unknown[] = [query.officeId, query.officeId];
  let categoryFilter = '';
  if (query.category !== undefined) {
    categoryFilter = ' AND c.category = ?';
    params.push(query.category);
  }
  const rows = (await manager.query(
    `SELECT ${column} AS grp, COUNT(*) AS customers, COUNT(r.customerId) AS reached, SUM(CASE WHEN r.valid = 1 THEN 1 ELSE 0 END) AS valid
     FROM customers c
     LEFT JOIN (
       SELECT customerId, valid FROM (
         SELECT ${customerIdOf(manager)} AS customerId, CASE WHEN ${detailIsTrue(manager, 'inquiryValid')} THEN 1 ELSE 0 END AS valid, ${LATEST_FIRST} AS n
         FROM visits v
         WHERE v.officeId = ? AND v.kind = 'campaign' AND v.customerId IS NOT NULL AND v.recordedAt IS NOT NULL AND ${detailIsTrue(manager, 'reached')}
       ) calls WHERE n = 1
     ) r ON r.customerId = c.id
     WHERE c.officeId = ?${categoryFilter}
     GROUP BY ${column}
     ORDER BY ${column}`,
    params,
  )) as Array<{ grp: string | null; customers: unknown; reached: unknown; valid: unknown }>;
  return rows.map((r) => ({ group: r.grp, customers: sqlNumber(r.customers), reached: sqlNumber(r.reached), valid: sqlNumber(r.valid) }));
}
