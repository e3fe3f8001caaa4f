import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../../entities';
import { DbTarget, DEFAULT_SQLITE_PATH } from './db-url';
import { MIGRATIONS } from './migrations';
import { MYSQL_COLLATION } from './migrations/table-kit';

export interface DataSourceSettings {
  /** Only tests may create the schema from entities; everything else migrates. */
  synchronize?: boolean;
  poolSize?: number;
}

/** The TypeORM options for a target: SQLite through better-sqlite3, MySQL through mysql2. */
export function dataSourceOptions(
  target: DbTarget,
  settings: DataSourceSettings = {},
  flavour: 'mysql' | 'mariadb' = 'mysql',
): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: settings.synchronize ?? false,
    logging: false,
  } as const;
  if (target.kind === 'sqlite') {
    sqliteFolderReady(target.path);
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      // WAL lets readers (health checks, the admin API) run while the dispatcher writes;
      // busy_timeout makes a second writer wait instead of failing with SQLITE_BUSY.
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 10000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    // TypeORM reads column defaults differently on MariaDB; naming the flavour keeps its
    // schema comparison (and so the migrations test) exact on both servers.
    type: flavour,
    url: target.url,
    // One explicit collation for the connection and every table (see table-kit.ts).
    charset: MYSQL_COLLATION,
    // Instants are stored and read as UTC, whatever the server's or process's zone.
    timezone: 'Z',
    poolSize: settings.poolSize ?? 10,
    extra: { connectionLimit: settings.poolSize ?? 10, enableKeepAlive: true },
    // Statements built together (src/db/statements.ts) go in one round trip. Every statement is
    // built by our code with `?` parameters; no caller's text is ever part of the SQL.
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
  };
}

/** Thrown when DB_URL names a SQLite file in a folder that does not exist. */
export class SqliteFolderMissingError extends Error {
  constructor(readonly folder: string) {
    super(`the folder of the SQLite file named by DB_URL does not exist: ${folder} (create it first)`);
    this.name = 'SqliteFolderMissingError';
  }
}

/**
 * The default file's folder (./data) is created on first start; a path the operator names must
 * be in a folder that exists: a typo must not create directories anywhere on the machine.
 */
function sqliteFolderReady(path: string): void {
  if (path === ':memory:') return;
  const folder = dirname(path);
  if (path === DEFAULT_SQLITE_PATH) mkdirSync(folder, { recursive: true });
  else if (!existsSync(folder)) throw new SqliteFolderMissingError(folder);
}

export function createDataSource(
  target: DbTarget,
  settings: DataSourceSettings = {},
  flavour: 'mysql' | 'mariadb' = 'mysql',
): DataSource {
  return new DataSource(dataSourceOptions(target, settings, flavour));
}

/** Asks a MySQL-protocol server whether it is MariaDB (its VERSION() says so). */
export async function detectFlavour(target: DbTarget): Promise<'mysql' | 'mariadb'> {
  if (target.kind !== 'mysql') return 'mysql';
  const connection = await createConnection({ uri: target.url, connectTimeout: 10_000 });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test(String((rows as Array<{ version: string }>)[0]?.version)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/** Opens the data source and applies pending migrations. */
export async function openDatabase(target: DbTarget, settings: DataSourceSettings = {}): Promise<DataSource> {
  const dataSource = createDataSource(target, settings, await detectFlavour(target));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** True on MySQL and MariaDB (row locks, SKIP LOCKED), false on SQLite (one writer). */
export const isMysqlSource = (dataSource: DataSource): boolean =>
  dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
