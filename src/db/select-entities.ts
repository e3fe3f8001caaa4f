import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { hasRowLocks } from './transaction';

/**
 * Reads entities with one plain SELECT of every column, by a condition written in SQL with
 * `?` parameters, and builds them the way TypeORM hydrates a find (`prepareHydratedValue`:
 * dates, JSON, booleans). For entities without relations only.
 *
 * Why not `find`: TypeORM's select builder costs more CPU than the query itself for the
 * small reads every webhook batch makes (seen in `BENCH_PROFILE=1 npm run bench`).
 */
export async function selectEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  condition: { where: string; params: unknown[]; orderBy?: string; forUpdate?: boolean },
): Promise<T[]> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => !c.isVirtual);
  let sql = `SELECT ${columns.map((c) => driver.escape(c.databaseName)).join(', ')} FROM ${driver.escape(metadata.tableName)} WHERE ${condition.where}`;
  if (condition.orderBy) sql += ` ORDER BY ${condition.orderBy}`;
  if (condition.forUpdate && hasRowLocks(manager)) sql += ' FOR UPDATE';
  const rows: Array<Record<string, unknown>> = await manager.query(sql, condition.params);
  return rows.map((row) => {
    const entity = metadata.create(manager.queryRunner, { fromDeserializer: true }) as T;
    for (const column of columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
    return entity;
  });
}

/** `(?, ?, ?)` for a list of values: an IN list of parameters. */
export function parameterList(values: readonly unknown[]): string {
  return `(${values.map(() => '?').join(', ')})`;
}
