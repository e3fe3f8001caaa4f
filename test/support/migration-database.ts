import { DataSource } from 'typeorm';
import { createDataSource, detectFlavour } from '../../src/db/data-source';
import { DbTarget, parseDbUrl } from '../../src/db/db-url';
import { dropScratchDatabases, scratchDatabaseUrl } from './database';

/*
 * For migration tests: a database migrated to an earlier point and filled with rows in the
 * shape they had then, before the migration under test runs over them.
 */

/** A database of its own (a scratch database): the shared test database must keep its full schema. */
export async function ownTarget(prefix = 'hf_mig'): Promise<{ target: DbTarget; drop: () => Promise<void> }> {
  return { target: parseDbUrl(await scratchDatabaseUrl(prefix))!, drop: dropScratchDatabases };
}

/** Opens `target` and runs `migrations` (a prefix of MIGRATIONS: the schema as it was then). */
export async function open(target: DbTarget, migrations: unknown[]): Promise<DataSource> {
  const ds = createDataSource(target, {}, await detectFlavour(target));
  ds.setOptions({ migrations: migrations as never });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
