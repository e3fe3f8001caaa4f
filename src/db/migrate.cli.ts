import { bootConfig } from '../config/boot-config';
import { describeStartError } from '../start-error';
import { createDataSource, detectFlavour } from './data-source';
import { DbTarget } from './db-url';

/**
 * `npm run migration:run`: applies the migrations the database named by `DB_URL` lacks, says
 * which, and exits — what `npm start` does before it serves, for a deploy step of its own.
 * Configuration is checked as for `npm start` (one line per problem, exit code 2).
 */
async function main(): Promise<void> {
  const config = bootConfig();
  try {
    await migrate(config.db);
  } catch (err) {
    process.stderr.write(`migration failed: ${describeStartError(err, config.db.label)}\n`);
    process.exit(1);
  }
}

async function migrate(db: DbTarget): Promise<void> {
  const dataSource = createDataSource(db, {}, await detectFlavour(db));
  await dataSource.initialize();
  try {
    // One transaction per migration, as at start: a failing one leaves the earlier ones applied.
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(
      applied.length === 0
        ? `The ${db.label} database is up to date: no migration to apply.\n`
        : `Applied ${applied.length} migration(s) to the ${db.label} database: ${applied.map((m) => m.name).join(', ')}\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}

void main();
