import { QueryRunner, Table, TableColumnOptions, TableIndexOptions } from 'typeorm';

/**
 * Column builders for migrations. Migrations use TypeORM's portable Table API, never raw
 * DDL, so one migration runs unchanged on SQLite and on MySQL/MariaDB. Types mirror
 * `entities/columns.ts` so the schema after migrating is exactly what the entities expect.
 */
export const col = {
  id: (name = 'id'): TableColumnOptions => ({
    name,
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  }),
  key: (name: string, length = 64): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isPrimary: true,
  }),
  text: (name: string, length = 64, nullable = false): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
  }),
  longText: (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: true }),
  json: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  int: (name: string, options: { nullable?: boolean; default?: number; primary?: boolean } = {}): TableColumnOptions => ({
    name,
    type: 'integer',
    isNullable: options.nullable ?? false,
    isPrimary: options.primary ?? false,
    default: options.default,
  }),
  float: (name: string): TableColumnOptions => ({ name, type: 'float', isNullable: true }),
  bool: (name: string, options: { nullable?: boolean; default?: boolean } = {}): TableColumnOptions => ({
    name,
    type: 'boolean',
    isNullable: options.nullable ?? false,
    default: options.default === undefined ? undefined : options.default ? 1 : 0,
  }),
  instant: (name: string, nullable = true): TableColumnOptions => ({
    name,
    type: 'datetime',
    precision: 3,
    isNullable: nullable,
  }),
};

/** One explicit charset and collation for every table (and the connection): mixing them
 * makes MariaDB skip indexes on joins between columns, measured at 1.36 s vs 2 ms. */
export const MYSQL_CHARSET = 'utf8mb4';
export const MYSQL_COLLATION = 'utf8mb4_unicode_ci';

export function isMysql(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb';
}

/** Creates a table with its indexes; on MySQL/MariaDB pins its charset and collation. */
export async function createTable(
  queryRunner: QueryRunner,
  name: string,
  columns: TableColumnOptions[],
  indices: TableIndexOptions[] = [],
): Promise<void> {
  await queryRunner.createTable(new Table({ name, columns, indices }), false);
  if (isMysql(queryRunner)) {
    await queryRunner.query(
      `ALTER TABLE \`${name}\` ENGINE=InnoDB, CONVERT TO CHARACTER SET ${MYSQL_CHARSET} COLLATE ${MYSQL_COLLATION}`,
    );
  }
}

/**
 * An instant as a bound parameter of a raw statement in a migration: mysql2 takes a Date (the
 * connection is UTC), better-sqlite3 takes the text TypeORM stores ('YYYY-MM-DD HH:MM:SS.SSS', UTC).
 */
export function sqlInstantParam(queryRunner: QueryRunner, instant: Date): Date | string {
  return isMysql(queryRunner) ? instant : instant.toISOString().replace('T', ' ').replace('Z', '');
}
