import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { emptyAllTables } from '../support/database';
import { ManualClock } from '../support/manual-clock';
import { HOUSEHOLD_REPAIR, OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';

/** The WeChat customer the tests chat with: a resident of office-1 known by this external id. */
export const CUSTOMER = 'wmSidebarCustomer01';
/** Where the tests' page loads the JS-SDK from (a stand-in answers there in Chromium). */
export const STAND_IN_SDK_URL = 'https://jssdk.stand-in.test/jweixin-stand-in.js';

export interface SidebarApp {
  app: TestApp;
  fake: FakeWecom;
  clock: ManualClock;
  /** The page's URL as WeCom's OAuth redirect opens it for `userId` (a fresh single-use code). */
  sidebarUrl(userId: string): string;
  /** Opens the sidebar for `userId` and returns its session (the page's `data-session`). */
  session(userId: string): Promise<string>;
  /** Calls the sidebar's API with a session, as the page does. */
  call(method: string, path: string, session: string | null, body?: unknown): Promise<{ status: number; body: any }>;
  /** Plans a household repair for CUSTOMER (its window open now) and returns the visit id and its visitor's WeCom userid. */
  planCustomerVisit(id?: string): Promise<{ id: number; visitor: string; otherSpecialist: string }>;
  close(): Promise<void>;
}

/** The app with a WeCom app configured against a fake WeCom (so the sidebar is served), and OFFICE_1. */
export async function startSidebarApp(now: string, options: { db?: DataSource; fake?: FakeWecom; clock?: ManualClock } = {}): Promise<SidebarApp> {
  const clock = options.clock ?? new ManualClock(now);
  const fake = options.fake ?? (await startFakeWecom({ clock }));
  for (const s of OFFICE_1.staff) fake.users.add(s.wecomUserId);
  const app = await startTestApp({
    clock,
    db: options.db,
    env: {
      WECOM_CORP_ID: fake.corpId,
      WECOM_CORP_SECRET: fake.corpSecret,
      WECOM_AGENT_ID: String(fake.agentId),
      WECOM_API_BASE: fake.baseUrl,
      WECOM_JSSDK_URL: STAND_IN_SDK_URL,
      PUBLIC_BASE_URL: 'https://hf.example.org',
      LINK_SECRET: 'test-link-secret-sidebar',
    },
  });
  if (!options.db) expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  let orders = 0;

  const call = async (method: string, path: string, session: string | null, body?: unknown) => {
    const res = await fetch(`${app.server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(session ? { 'x-sidebar-session': session } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* HTML or empty */
    }
    return { status: res.status, body: parsed as any };
  };
  const sidebarUrl = (userId: string) => `${app.server.url}/sidebar?code=${fake.jsapi.oauthCode(userId)}&state=hf`;

  return {
    app,
    fake,
    clock,
    sidebarUrl,
    async session(userId) {
      const res = await fetch(sidebarUrl(userId), { redirect: 'manual' });
      const html = await res.text();
      expect(res.status, html).toBe(200);
      const session = /data-session="([^"]+)"/.exec(html)?.[1];
      expect(session).toBeTruthy();
      return session!;
    },
    call,
    async planCustomerVisit(id) {
      orders += 1;
      const res = await app.sendEvent(
        workOrderEvent('completed', {
          ...HOUSEHOLD_REPAIR,
          id: id ?? `WO-SIDEBAR-${orders}`,
          title: '厨房水龙头漏水',
          completedAt: '2026-11-26T07:10:00Z',
          resident: { id: 'R-SB', name: '王五', phone: '13700000000', wecomUserId: null, wecomExternalUserId: CUSTOMER, wecomContactOwner: 'zhaozhuanyuan', dingtalkUserId: null },
        }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const planned = res.body.visits[0] as { id: number; assignees: string[] };
      const visitor = OFFICE_1.staff.find((s) => planned.assignees.includes(s.id) && s.roles.includes('specialist'))!;
      const other = OFFICE_1.staff.find((s) => s.roles.includes('specialist') && s.id !== visitor.id)!;
      return { id: planned.id, visitor: visitor.wecomUserId, otherSpecialist: other.wecomUserId };
    },
    async close() {
      if (options.db) await app.server.close();
      else await app.close();
      if (!options.fake) await fake.close();
    },
  };
}

/**
 * One sidebar app for a test file, started at `now` once, emptied and given office-1 before each
 * test; `use` receives it once it is up.
 */
export function useSidebarApp(now: string, use: (started: SidebarApp) => void): void {
  let s: SidebarApp | undefined;
  beforeAll(async () => {
    s = await startSidebarApp(now);
    use(s);
  });
  afterAll(async () => s?.close());
  beforeEach(async () => {
    await emptyAllTables(s!.app.db);
    expect((await s!.app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  });
}
