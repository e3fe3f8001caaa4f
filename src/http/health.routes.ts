import Router from '@koa/router';
import { DataSource } from 'typeorm';

/** How long the health check waits for the database before calling it down. */
const DB_PING_TIMEOUT_MS = 2_000;

/** `GET /healthz` → 200 while the database answers, 503 when it does not. */
export function healthRoutes(dataSource: DataSource, dbLabel: 'sqlite' | 'mysql'): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const up = await pingDatabase(dataSource);
    ctx.status = up ? 200 : 503;
    ctx.body = { status: up ? 'ok' : 'unavailable', db: dbLabel };
  });
  return router;
}

async function pingDatabase(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DB_PING_TIMEOUT_MS);
    });
    await Promise.race([dataSource.query('SELECT 1'), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
