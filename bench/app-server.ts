import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { openDatabase } from '../src/db/data-source';
import { log } from '../src/log';
import { startServer } from '../src/server';
import { QueryCounter, serveUnderTest } from './child';

/**
 * The real app, as `npm start` runs it: the configuration from `loadConfig`, the database
 * opened and migrated by `openDatabase` (same defaults `startServer` uses: pool of 10), the
 * composition root `startServer`. The only addition is a counter of the SQL statements
 * TypeORM sends (it hooks the data source's logger, which TypeORM calls before every
 * statement), so the run can print statements per request.
 *
 * Environment (set by bench/run.ts): BENCH_DB_URL, BENCH_SECRET, BENCH_ADMIN_TOKEN, and WECOM_*
 * for the taps scenario; LOG_LEVEL is passed through (default info, as in production).
 */
serveUnderTest(async () => {
  const config = {
    ...loadConfig({
      DB_URL: process.env.BENCH_DB_URL,
      WEBHOOK_SECRET: process.env.BENCH_SECRET,
      ADMIN_TOKEN: process.env.BENCH_ADMIN_TOKEN,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      // The taps scenario points WeCom at its fake (bench/taps.bench.ts); the webhook's sets none.
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('WECOM_'))),
    }),
    port: 0,
  };
  log.level = config.logLevel;

  const dataSource = await openDatabase(config.db);
  const counter = instrument(dataSource);

  const running = await startServer(config, { dataSource });
  return {
    port: running.port,
    counter,
    async close() {
      await running.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
});

/**
 * Observes without changing behaviour: TypeORM calls `logger.logQuery` before each statement
 * and, when `maxQueryExecutionTime` is set, `logQuerySlow(ms)` after it; -1 makes every
 * statement "slow" (no timeout is attached: `enableQueryTimeout` stays off). On MySQL the
 * pool's `getConnection` is wrapped to time waits for a free connection.
 */
function instrument(dataSource: DataSource): QueryCounter {
  const counter = new QueryCounter();
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, queryRunner) => {
    counter.record(query);
    return logQuery(query, parameters, queryRunner);
  };
  logger.logQuerySlow = (time, query) => counter.recordTime(query, time);
  (dataSource.driver.options as { maxQueryExecutionTime?: number }).maxQueryExecutionTime = -1;

  const pool = (dataSource.driver as unknown as { pool?: { getConnection(cb: (err: unknown, c: unknown) => void): void } }).pool;
  if (pool && typeof pool.getConnection === 'function') {
    const getConnection = pool.getConnection.bind(pool);
    pool.getConnection = (cb) => {
      const started = Date.now();
      getConnection((err, connection) => {
        counter.recordPoolWait(Date.now() - started);
        cb(err, connection);
      });
    };
  }
  return counter;
}
