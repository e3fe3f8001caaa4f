import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { ManualClock } from '../support/manual-clock';
import { createApp } from '../../src/http/app';
import { JobName } from '../../src/jobs/job';
import { log } from '../../src/log';
import { reportsModule, ReportsModule } from '../../src/reports/reports.module';
import { SignedLinks } from '../../src/survey/signed-link';
import { Notifier } from '../../src/visits/notifier';
import { visitActionRoutes } from '../../src/visits/visit-actions.routes';
import { VisitMessages } from '../../src/visits/visit-messages';
import { VisitQueries } from '../../src/visits/visit-query.service';
import { VisitLifecycle } from '../../src/visits/visit-lifecycle.service';
import { visitRoutes } from '../../src/visits/visit.routes';
import { ADMIN_TOKEN } from '../support/app';
import { openTestDatabase } from '../support/database';

export interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  body: any;
}

/**
 * The reports module's routers — and the visit routes, guarded by the module's archive check —
 * on a Koa app of their own, on loopback, over the test database.
 */
export interface ReportsApp {
  db: DataSource;
  clock: ManualClock;
  module: ReportsModule;
  /** The visit record service, guarded by the module's `assertWritable` as server.ts will wire it. */
  lifecycle: VisitLifecycle;
  url: string;
  /** Calls the admin API with the bearer token. */
  api(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  /** Runs one of the module's jobs now, as the job runner would. */
  runJob(name: JobName): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export const PUBLIC_BASE_URL = 'http://huifang.test';

export async function startReportsApp(
  options: { now: string; db?: DataSource; clock?: ManualClock; summaryRobot?: { url: string; secret: string | null } | null } = {
    now: '2027-01-05T02:00:00Z',
  },
): Promise<ReportsApp> {
  const db = options.db ?? (await openTestDatabase());
  const clock = options.clock ?? new ManualClock(options.now);
  const module = reportsModule({
    dataSource: db,
    clock,
    notifier: new Notifier({ defaultChannel: 'wecom', defaultTimeZone: 'Asia/Shanghai' }),
    defaultTimeZone: 'Asia/Shanghai',
    publicBaseUrl: PUBLIC_BASE_URL,
    summaryRobot: options.summaryRobot ?? null,
  });
  const notifier = new Notifier({ defaultChannel: 'wecom', defaultTimeZone: 'Asia/Shanghai' });
  const messages = new VisitMessages({ notifier, links: new SignedLinks('reports-test-link-secret-0123456789'), publicBaseUrl: PUBLIC_BASE_URL });
  const lifecycle = new VisitLifecycle({ dataSource: db, clock, messages, defaultTimeZone: 'Asia/Shanghai', assertWritable: module.assertWritable });
  const queries = new VisitQueries(db);
  const app = createApp({
    log,
    adminToken: ADMIN_TOKEN,
    sandbox: false,
    routers: [...module.routers, visitRoutes(queries, clock), visitActionRoutes({ lifecycle, queries })],
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    clock,
    module,
    lifecycle,
    url,
    async api(method, path, init = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      let body: unknown = null;
      if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
      return { status: res.status, headers: res.headers, bytes, text, body };
    },
    async runJob(name) {
      const job = module.jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      return job.run({ now: clock.now(), log, runId: 'test' });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      if (!options.db && db.isInitialized) await db.destroy();
    },
  };
}
