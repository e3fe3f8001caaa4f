import { expect } from 'vitest';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { ManualClock } from '../support/manual-clock';
import { ADMIN_TOKEN, OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';
import { ConsoleClient } from './client';

/** Shortly after the work orders below were completed (2026-11-26 15:10 in Shanghai). */
export const NOW = '2026-11-26T07:10:00Z';
/** Four days later: the complaints' windows closed, the escalation's deadline long past. */
export const LATER = '2026-11-30T02:00:00Z';

/** Office 1 as the tests know it, its manager also on DingTalk. */
export const OFFICE_1_STAFF = OFFICE_1.staff.map((s) => (s.id === 'mgr1' ? { ...s, dingtalkUserId: 'u0456' } : s));

/** Another office: its supervisor must never see office 1, nor office 1's people office 2. */
export const OFFICE_2 = {
  name: '二号物业服务中心',
  timeZone: 'Asia/Shanghai',
  channel: 'wecom',
  staff: [
    { id: 'sup2', name: '周主管', roles: ['supervisor'], wecomUserId: 'zhouzhuguan' },
    { id: 'sp9', name: '吴专员', roles: ['specialist'], wecomUserId: 'wuzhuanyuan' },
  ],
};

/** Office 1's supervisor, manager and department head, office 2's supervisor, and the admin. */
export interface ConsolePeople {
  supervisor: ConsoleClient;
  manager: ConsoleClient;
  deptHead: ConsoleClient;
  otherSupervisor: ConsoleClient;
  admin: ConsoleClient;
}

export interface ConsoleWorld {
  app: TestApp;
  clock: ManualClock;
  wecom: FakeWecom;
  dingtalk: FakeDingtalk;
  /** Visit ids: an overdue joint complaint, a record to review, an escalation, office 2's visit. */
  visits: { overdue: number; toReview: number; escalated: number; office2: number };
  client(): ConsoleClient;
  /** Signs a new client in through WeCom's OAuth round trip as `userId`. */
  wecomSignIn(userId: string): Promise<ConsoleClient>;
  /** The world's people, each signed in on their own client. */
  signInPeople(): Promise<ConsolePeople>;
  close(): Promise<void>;
}

/**
 * The app with WeCom and DingTalk configured against their fakes, two offices and four
 * complaints' visits brought through the real webhook and admin API to the states the
 * glance lists, then the clock moved on and the overdue sweep run.
 */
export async function startConsoleWorld(): Promise<ConsoleWorld> {
  const clock = new ManualClock(NOW);
  const [wecom, dingtalk] = await Promise.all([startFakeWecom({ clock, openDirectory: true, users: [...OFFICE_1.staff, ...OFFICE_2.staff].map((s) => s.wecomUserId).concat('stranger') }), startFakeDingtalk({ clock, users: ['u0123', 'u0456'] })]);
  const app = await startTestApp({
    clock,
    env: {
      WECOM_CORP_ID: wecom.corpId,
      WECOM_CORP_SECRET: wecom.corpSecret,
      WECOM_AGENT_ID: String(wecom.agentId),
      WECOM_API_BASE: wecom.baseUrl,
      DINGTALK_APP_KEY: dingtalk.appKey,
      DINGTALK_APP_SECRET: dingtalk.appSecret,
      DINGTALK_AGENT_ID: String(dingtalk.agentId),
      DINGTALK_API_BASE: dingtalk.baseUrl,
      DINGTALK_OAPI_BASE: dingtalk.baseUrl,
      PUBLIC_BASE_URL: 'http://hf.test',
    },
  });
  expect((await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, staff: OFFICE_1_STAFF })).status).toBe(201);
  expect((await app.api('PUT', '/api/offices/office-2', OFFICE_2)).status).toBe(201);

  const plan = async (id: string, patch: Record<string, unknown>) => {
    const res = await app.sendEvent(workOrderEvent('completed', { id, completedAt: '2026-11-26T07:00:00Z', ...patch }));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.visits[0].id as number;
  };
  const step = async (visitId: number, action: string, body: unknown) => {
    const res = await app.api('POST', `/api/visits/${visitId}/${action}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const overdue = await plan('WO-C1', { title: '电梯异响', unitId: 'B3-1202' });
  const toReview = await plan('WO-C3', { severity: 'major', title: '物业费争议', unitId: 'A1-0301', matterKey: 'fee' });
  const escalated = await plan('WO-C2', { severity: 'major', title: '漏水未修', unitId: 'A2-0502', matterKey: 'leak' });
  const office2 = await plan('WO-D1', { officeId: 'office-2', title: '二号楼门禁', unitId: 'D1-0101', matterKey: 'door' });
  // The same unit complains of the same matter again (received, not yet done): a repeat complaint.
  expect((await app.sendEvent(workOrderEvent('created', { id: 'WO-C5', title: '电梯又响', unitId: 'B3-1202' }))).status).toBe(202);
  const answers = (satisfaction: number, solved: boolean) => ({ quality: satisfaction, effect: satisfaction, satisfaction, shortcomings: satisfaction >= 4 ? ['none'] : ['attitude'], solved });
  await step(toReview, 'record', { staffId: 'mgr1', method: 'phone', answers: answers(5, true) });
  await step(escalated, 'record', { staffId: 'mgr1', method: 'phone', answers: answers(1, false) });
  await step(escalated, 'review', { reviewerId: 'sup1', verdict: 'unqualified', opinion: '请经理处理' });
  clock.set(LATER);
  expect((await app.api('POST', '/api/jobs/overdue/run')).status).toBe(200);

  const client = () => new ConsoleClient(app.server.url);
  const wecomSignIn = async (userId: string): Promise<ConsoleClient> => {
    const browser = client();
    const sent = await browser.get('/console/sign-in/wecom');
    const state = new URL(sent.location!).searchParams.get('state')!;
    const back = await browser.get(`/console/oauth/wecom?code=${wecom.jsapi.oauthCode(userId)}&state=${state}`);
    expect(back.location, `${userId} not signed in`).toBe('/console');
    return browser;
  };
  return {
    app,
    clock,
    wecom,
    dingtalk,
    visits: { overdue, toReview, escalated, office2 },
    client,
    wecomSignIn,
    async signInPeople() {
      const [supervisor, manager, deptHead, otherSupervisor] = await Promise.all(['lizhuguan', 'wangjingli', 'sungong', 'zhouzhuguan'].map((u) => wecomSignIn(u)));
      const admin = client();
      await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
      return { supervisor, manager, deptHead, otherSupervisor, admin };
    },
    async close() {
      await app.close();
      await Promise.all([wecom.close(), dingtalk.close()]);
    },
  };
}
