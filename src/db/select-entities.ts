import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Statement } from './statements';
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
  condition: EntityCondition,
): Promise<T[]> {
  const read = entityRead(manager, target, condition);
  return read.entitiesOf(await manager.query(read.statement.sql, read.statement.params));
}

export interface EntityCondition {
  where: string;
  params: unknown[];
  orderBy?: string;
  forUpdate?: boolean;
}

/** A read of `selectEntities`, to send with others (src/db/statements.ts): its statement, and the entities of its rows. */
export interface EntityRead<T> {
  statement: Statement;
  entitiesOf(rows: unknown): T[];
}

export function entityRead<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, condition: EntityCondition): EntityRead<T> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => !c.isVirtual);
  let sql = `SELECT ${columns.map((c) => driver.escape(c.databaseName)).join(', ')} FROM ${driver.escape(metadata.tableName)} WHERE ${condition.where}`;
  if (condition.orderBy) sql += ` ORDER BY ${condition.orderBy}`;
  if (condition.forUpdate && hasRowLocks(manager)) sql += ' FOR UPDATE';
  return {
    statement: { sql, params: condition.params },
    entitiesOf: (rows) =>
      (rows as Array<Record<string, unknown>>).map((row) => {
        const entity = metadata.create(manager.queryRunner, { fromDeserializer: true }) as T;
        for (const column of columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
        return entity;
      }),
  };
}

/** `(?, ?, ?)` for a list of values: an IN list of parameters. */
export function parameterList(values: readonly unknown[]): string {
  return `(${values.map(() => '?').join(', ')})`;
}
