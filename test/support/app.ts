import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ManualClock } from './manual-clock';
import { Config, loadConfig } from '../../src/config/config';
import { RunningServer, ServerOverrides, startServer } from '../../src/server';
import { signWebhook } from '../../src/workorders/webhook-signature';
import { emptyAllTables, openTestDatabase } from './database';
import { expectTalliesKept } from './tallies';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const WEBHOOK_SECRET = 'test-webhook-secret';

export interface TestApp {
  server: RunningServer;
  clock: ManualClock;
  db: DataSource;
  /** Calls the admin API with the bearer token. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Posts a signed work-order event, as the work-order system would. */
  sendEvent(event: unknown, options?: { secret?: string; timestamp?: number; raw?: string; contentType?: string }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The real app on loopback over the test database, with a manual clock. `env` adds to a
 * configuration that has an admin token and a webhook secret.
 */
export async function startTestApp(
  options: { now?: string; clock?: ManualClock; env?: Record<string, string>; db?: DataSource; overrides?: ServerOverrides } = {},
): Promise<TestApp> {
  const clock = options.clock ?? new ManualClock(options.now ?? '2026-11-26T02:00:00Z');
  const db = options.db ?? (await openTestDatabase());
  const config: Config = {
    ...loadConfig({ ADMIN_TOKEN, WEBHOOK_SECRET, ...options.env }),
    port: 0,
  };
  const server = await startServer(config, { clock, dataSource: db, schedules: false, ...options.overrides });

  const call = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> }) => {
    const res = await fetch(`${server.url}${path}`, { method, body: init.body, headers: init.headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: body as any };
  };

  return {
    server,
    clock,
    db,
    api: (method, path, body, headers = {}) =>
      call(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
      }),
    sendEvent: (event, o = {}) => {
      const raw = o.raw ?? JSON.stringify(event);
      const timestamp = String(o.timestamp ?? Math.floor(clock.now().getTime() / 1000));
      return call('POST', '/webhooks/work-orders', {
        body: raw,
        headers: {
          'content-type': o.contentType ?? 'application/json',
          'x-timestamp': timestamp,
          'x-signature': signWebhook(o.secret ?? WEBHOOK_SECRET, timestamp, raw),
        },
      });
    },
    async close() {
      try {
        await server.settled();
        await expectTalliesKept(db);
      } finally {
        await server.close();
        await db.destroy();
      }
    },
  };
}

/**
 * The setup most work-order tests share: one app for the file (`started` receives it), every
 * table emptied before each test, and office-1 set up (OFFICE_1 with `office`'s changes).
 */
export function useAppWithOffice1(options: { now?: string; office?: Record<string, unknown> }, started: (app: TestApp) => void): void {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp({ now: options.now });
    started(app);
  });
  afterAll(async () => app?.close());
  beforeEach(async () => {
    await emptyAllTables(app!.db);
    expect((await app!.api('PUT', '/api/offices/office-1', { ...OFFICE_1, ...options.office })).status).toBe(201);
  });
}

/** A demo office: a supervisor, a manager, two specialists and an engineering head. */
export const OFFICE_1 = {
  name: '一号物业服务中心',
  timeZone: 'Asia/Shanghai',
  channel: 'wecom',
  staff: [
    { id: 'sup1', name: '李主管', roles: ['supervisor'], wecomUserId: 'lizhuguan' },
    { id: 'mgr1', name: '王经理', roles: ['manager'], wecomUserId: 'wangjingli' },
    { id: 'sp1', name: '赵专员', roles: ['specialist'], wecomUserId: 'zhaozhuanyuan' },
    { id: 'sp2', name: '钱专员', roles: ['specialist'], wecomUserId: 'qianzhuanyuan' },
    { id: 'eng1', name: '孙工', roles: ['dept_head'], department: 'engineering', wecomUserId: 'sungong' },
  ],
};

let counter = 0;

/** A work-order event in docs/api.md's shape; `patch` overrides fields of the work order. */
export function workOrderEvent(
  type: 'created' | 'updated' | 'completed' | 'reopened' | 'cancelled',
  patch: Record<string, unknown> = {},
  event: { eventId?: string; occurredAt?: string } = {},
) {
  counter += 1;
  const completedAt = (patch.completedAt as string | undefined) ?? '2026-11-26T07:00:00Z';
  return {
    eventId: event.eventId ?? `evt-${process.pid}-${counter}`,
    type: `work_order.${type}`,
    occurredAt: event.occurredAt ?? (type === 'completed' ? completedAt : '2026-11-26T07:00:00Z'),
    workOrder: {
      id: 'WO-2026-000123',
      officeId: 'office-1',
      kind: 'complaint',
      severity: 'general',
      department: 'engineering',
      matterKey: 'elevator-noise',
      title: '电梯异响',
      unitId: 'B3-1202',
      resident: { id: 'R-88', name: '张三', phone: '13800000000', wecomUserId: 'zhangsan', wecomExternalUserId: null, dingtalkUserId: null },
      completedAt: type === 'completed' ? completedAt : null,
      contract: null,
      ...patch,
    },
  };
}

/**
 * A household repair (`workOrderEvent` patch): the resident's own answers in chat are the visit
 * (docs/rules.md §3), so the resident gets the survey cards, unlike for a complaint.
 */
export const HOUSEHOLD_REPAIR = { kind: 'repair', severity: null, department: null, matterKey: 'kitchen-tap' };
