import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** The newest migration this code knows: applied, the schema is at least the one it expects. */
const NEWEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1].name;

/**
 * True when the database answers with the schema this code needs: the migrations table holds
 * the newest migration and a real table can be read. `SELECT 1` alone says yes to a server
 * whose database was dropped or never migrated.
 */
export async function schemaReady(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  const applied = await dataSource.query('SELECT COUNT(*) AS n FROM migrations WHERE name = ?', [NEWEST_MIGRATION]);
  await dataSource.query('SELECT COUNT(*) AS n FROM visits WHERE id = 0');
  return Number(applied[0]?.n) > 0;
}
