import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { schemaReady } from '../db/schema-ready';

/** How long the health check waits for the database before calling it down. */
const DB_CHECK_TIMEOUT_MS = 2_000;

/** `GET /healthz` → 200 while the database answers with the schema migrated, 503 otherwise. */
export function healthRoutes(dataSource: DataSource, dbLabel: 'sqlite' | 'mysql'): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const up = await databaseReady(dataSource);
    ctx.status = up ? 200 : 503;
    ctx.body = { status: up ? 'ok' : 'unavailable', db: dbLabel };
  });
  return router;
}

async function databaseReady(dataSource: DataSource): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DB_CHECK_TIMEOUT_MS);
    });
    return await Promise.race([schemaReady(dataSource), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
