import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isMysqlSource } from './data-source';
import { Statement } from './statements';

export interface InsertRowsOptions<T> {
  /** Turns the insert into an upsert: on a clash of `key`, these columns take the new values. */
  onConflict?: { key: Array<keyof T & string>; update: Array<keyof T & string> };
}

/**
 * One INSERT of many rows of an entity, built from the entity's metadata: every value is
 * converted the way TypeORM converts it on save (`preparePersistentValue`: dates, JSON,
 * booleans) and sent as a `?` parameter (on MySQL a long text as its UTF-8 bytes, see
 * `asHexWhenLong`). Columns are those any row sets (a nullable column without default
 * that every row leaves null counts as not set); a row that leaves one out gets the default.
 *
 * Why not TypeORM's insert builder: for a statement of many rows it spends time quadratic in
 * the number of values (seen in the webhook's CPU profile, `BENCH_PROFILE=1 npm run bench`),
 * and the work-order ingest writes whole batches this way.
 *
 * Returns the first generated id (MySQL/MariaDB: the first row's; SQLite: derived from the
 * last row's), or null without a generated column.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Array<Partial<T>>,
  options: InsertRowsOptions<T> = {},
): Promise<{ firstId: number | null }> {
  const statement = insertStatement(manager, target, rows, options);
  if (!statement) return { firstId: null };
  return firstIdOf(manager, target, rows.length, await manager.query(statement.sql, statement.params));
}

/** The statement `insertRows` sends, to send with others (src/db/statements.ts); null for no rows. */
export function insertStatement<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Array<Partial<T>>,
  options: InsertRowsOptions<T> = {},
): Statement | null {
  if (rows.length === 0) return null;
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  // A nullable column without a default that every row leaves null is left out: the database
  // writes NULL just the same, and a wide entity (a new visit has ~25 empty fields) sends less.
  const columns = metadata.columns.filter((c) =>
    rows.some((r) => {
      const value = r[c.propertyName as keyof T];
      return value !== undefined && !(value === null && c.isNullable && c.default === undefined && !c.transformer);
    }),
  );
  const mysql = isMysqlSource(manager.connection);
  const params: unknown[] = [];
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const prepare = driver.preparePersistentValue.bind(driver);
  for (const row of rows) {
    for (const column of columns) {
      const value = valueOf(prepare, column, row[column.propertyName as keyof T]);
      params.push(mysql ? forMysql(value) : value);
    }
  }
  const name = (c: string) => driver.escape(c);
  let sql =
    `INSERT INTO ${name(metadata.tableName)} (${columns.map((c) => name(c.databaseName)).join(', ')}) ` +
    `VALUES ${rows.map(() => placeholders).join(', ')}`;
  if (options.onConflict) {
    const { key, update } = options.onConflict;
    sql += mysql
      ? ` ON DUPLICATE KEY UPDATE ${update.map((c) => `${name(c)} = VALUES(${name(c)})`).join(', ')}`
      : ` ON CONFLICT (${key.map(name).join(', ')}) DO UPDATE SET ${update.map((c) => `${name(c)} = excluded.${name(c)}`).join(', ')}`;
  }
  return { sql, params };
}

/**
 * The first generated id of an insert of `rowCount` rows from its result (MySQL/MariaDB: the
 * first row's; SQLite: derived from the last row's), or null without a generated column.
 */
export function firstIdOf<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rowCount: number, result: unknown): { firstId: number | null } {
  if (!manager.connection.getMetadata(target).columns.some((c) => c.isGenerated)) return { firstId: null };
  // mysql2 answers an INSERT with its first insertId; TypeORM's SQLite runner with the last rowid.
  return isMysqlSource(manager.connection) ? { firstId: Number((result as { insertId: number }).insertId) } : { firstId: Number(result) - rowCount + 1 };
}

/**
 * Values as MySQL is sent them, cheaper than mysql2's own formatting (both seen with heap
 * sampling on the webhook's path):
 * - a long text (an event's JSON payload) as a hex literal of its UTF-8 bytes, which the server
 *   stores in the column's character set unchanged: mysql2 would escape it quote by quote;
 * - an instant as its UTC text `YYYY-MM-DD HH:MM:SS.mmm` (the connection's zone is UTC, the
 *   columns keep milliseconds): mysql2 builds it from a dozen pieces per date, the largest
 *   allocation left per request.
 * Short texts are escaped as usual.
 */
function forMysql(value: unknown): unknown {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    const iso = value.toISOString();
    if (iso.length === 24) return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
  return typeof value === 'string' && value.length >= LONG_TEXT ? Buffer.from(value, 'utf8') : value;
}

const LONG_TEXT = 256;

function valueOf(prepare: (value: unknown, column: ColumnMetadata) => unknown, column: ColumnMetadata, value: unknown): unknown {
  if (value === undefined) {
    const fallback = typeof column.default === 'function' ? undefined : column.default;
    return fallback === undefined ? null : prepare(fallback, column);
  }
  const prepared = prepare(value, column);
  return prepared === undefined ? null : prepared;
}
