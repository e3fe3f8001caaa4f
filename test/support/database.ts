import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../entities';
import { DbTarget, parseDbUrl } from '../../src/db/db-url';
import { openDatabase } from '../../src/db/data-source';

/**
 * The database under test: MySQL/MariaDB when `DB_URL` names one (CI runs the suite a second
 * time that way), otherwise a fresh SQLite file per test file. A DB_URL that cannot be reached
 * fails the tests; it never silently falls back to SQLite.
 */
export function testDbTarget(): DbTarget {
  const url = process.env.DB_URL;
  if (url && url.trim() !== '') {
    const target = parseDbUrl(url);
    if (!target) throw new Error(`DB_URL for tests is not usable: ${url}`);
    if (target.kind === 'mysql') return target;
  }
  const dir = mkdtempSync(join(tmpdir(), 'huifang-test-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { kind: 'sqlite', path: join(dir, 'test.sqlite'), label: 'sqlite' };
}

/** Opens the test database, applies the migrations and empties every table. */
export async function openTestDatabase(target: DbTarget = testDbTarget()): Promise<DataSource> {
  const dataSource = await openDatabase(target, { poolSize: 20 });
  await emptyAllTables(dataSource);
  return dataSource;
}

export async function emptyAllTables(dataSource: DataSource): Promise<void> {
  for (const entity of ENTITIES) {
    const table = dataSource.getMetadata(entity).tableName;
    await dataSource.query(`DELETE FROM ${dataSource.driver.escape(table)}`);
  }
}

export const dbKindUnderTest = (): 'sqlite' | 'mysql' => (process.env.DB_URL?.startsWith('mysql') ? 'mysql' : 'sqlite');

/**
 * A database of its own, nobody else's: a new SQLite file, or a new schema on the MySQL server
 * under test (dropped again by `dropScratchDatabases`). Returns its DB_URL.
 */
export async function scratchDatabaseUrl(prefix = 'hf_scratch'): Promise<string> {
  if (dbKindUnderTest() === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'huifang-scratch-')), 'hf.sqlite')}`;
  const url = new URL((testDbTarget() as { url: string }).url);
  const name = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const admin = await createConnection({ uri: url.toString() });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  scratchDatabases.push(name);
  url.pathname = `/${name}`;
  return url.toString();
}

const scratchDatabases: string[] = [];

/** Drops what `scratchDatabaseUrl` made on the MySQL server (SQLite files go with their folder). */
export async function dropScratchDatabases(): Promise<void> {
  if (scratchDatabases.length === 0) return;
  const admin = await createConnection({ uri: (testDbTarget() as { url: string }).url });
  for (const name of scratchDatabases.splice(0)) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.end();
}

/** Takes the schema away under a running server: the MySQL database dropped, or every SQLite table. */
export async function dropSchema(dbUrl: string): Promise<void> {
  if (dbUrl.startsWith('sqlite:')) {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(dbUrl.slice('sqlite:'.length));
    db.pragma('foreign_keys = OFF');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    for (const { name } of tables) db.exec(`DROP TABLE "${name}"`);
    db.close();
    return;
  }
  const url = new URL(dbUrl);
  const admin = await createConnection({ uri: dbUrl });
  await admin.query(`DROP DATABASE \`${decodeURIComponent(url.pathname.slice(1))}\``);
  await admin.end();
}
