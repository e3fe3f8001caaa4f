import Koa from 'koa';
import getRawBody from 'raw-body';
import { createPool } from 'mysql2/promise';
import { verifyWebhookSignature } from '../src/workorders/webhook-signature';
import { QueryCounter, serveUnderTest } from './child';
import { WEBHOOK_PATH } from './events';

/**
 * The baseline: the least a webhook can do on this machine — a bare Koa route that reads the
 * raw body, checks the same HMAC with the app's own `verifyWebhookSignature`, and does one
 * INSERT through a mysql2 pool (the app's pool size, 10; the app's collation).
 *
 * Environment (set by bench/run.ts): BENCH_DB_URL (mysql://…/<fresh database>), BENCH_SECRET.
 */
serveUnderTest(async () => {
  const url = process.env.BENCH_DB_URL;
  const secret = process.env.BENCH_SECRET;
  if (!url || !secret) throw new Error('BENCH_DB_URL and BENCH_SECRET are required');

  const pool = createPool({ uri: url, connectionLimit: 10, charset: 'utf8mb4_unicode_ci', timezone: 'Z', enableKeepAlive: true });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_baseline (
       id INT AUTO_INCREMENT PRIMARY KEY,
       event_id VARCHAR(191) NOT NULL,
       body TEXT NOT NULL,
       UNIQUE KEY uq_bench_baseline_event (event_id)
     ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  );
  const counter = new QueryCounter();

  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== WEBHOOK_PATH) {
      ctx.status = 404;
      return;
    }
    const raw = await getRawBody(ctx.req, { limit: 1024 * 1024 });
    const signed = verifyWebhookSignature(
      secret,
      { timestamp: ctx.get('x-timestamp') || undefined, signature: ctx.get('x-signature') || undefined },
      raw,
      new Date(),
    );
    if (!signed) {
      ctx.status = 401;
      ctx.body = { error: { code: 'bad_signature', message: 'bad signature' } };
      return;
    }
    const text = raw.toString('utf8');
    const event = JSON.parse(text) as { eventId?: unknown };
    const sql = 'INSERT INTO bench_baseline (event_id, body) VALUES (?, ?)';
    counter.record(sql);
    const started = Date.now();
    await pool.query(sql, [String(event.eventId), text]);
    counter.recordTime(sql, Date.now() - started);
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    counter,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await pool.end();
    },
  };
});
