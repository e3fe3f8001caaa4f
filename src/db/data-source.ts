import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../../entities';
import { DbTarget } from './db-url';
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
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
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
    supportBigNumbers: true,
    bigNumberStrings: false,
  };
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
