import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { createDataSource, detectFlavour } from '../../src/db/data-source';
import { DbTarget } from '../../src/db/db-url';
import { testDbTarget } from './database';

/*
 * For migration tests: a database migrated to an earlier point and filled with rows in the
 * shape they had then, before the migration under test runs over them.
 */

/** A database of its own: the shared test database must keep its full schema. */
export async function ownTarget(suffix = 'mig'): Promise<{ target: DbTarget; drop: () => Promise<void> }> {
  const shared = testDbTarget();
  if (shared.kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'huifang-migration-'));
    return { target: { kind: 'sqlite', path: join(dir, 'old.sqlite'), label: 'sqlite' }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = new URL(shared.url);
  const name = `${url.pathname.slice(1)}_${suffix}`;
  const server = new URL(shared.url);
  server.pathname = '/';
  const admin = await createConnection({ uri: server.toString() });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  url.pathname = `/${name}`;
  return {
    target: { ...shared, url: url.toString() },
    drop: async () => {
      const again = await createConnection({ uri: server.toString() });
      await again.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await again.end();
    },
  };
}

/** Opens `target` and runs `migrations` (a prefix of MIGRATIONS: the schema as it was then). */
export async function open(target: DbTarget, migrations: unknown[]): Promise<DataSource> {
  const ds = createDataSource(target, {}, await detectFlavour(target));
  ds.setOptions({ migrations: migrations as never });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
