import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
