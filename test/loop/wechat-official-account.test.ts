import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Resident } from '../../entities';
import { OFFICE_1, workOrderEvent } from '../support/app';
import { emptyAllTables } from '../support/database';
import { startWecomLoop, WecomLoop } from '../support/wecom-loop';
import { FakeOfficialAccount, startFakeOfficialAccount } from '../fakes/fake-official-account';

/*
 * Residents who follow the office's WeChat Official Account (公众号) get the survey link as a
 * template message (docs/rules.md §3, docs/wecom.md §11); their openid comes with the work
 * order or is learnt when they open a survey link inside WeChat. Through HTTP, against a fake
 * Official Account and the fake WeCom.
 */

const MORNING = '2026-11-26T01:10:05Z';
let seq = 0;

describe('the Official Account route', () => {
  let loop: WecomLoop;
  let mp: FakeOfficialAccount;
  beforeAll(async () => {
    mp = await startFakeOfficialAccount();
    loop = await startWecomLoop(MORNING, { env: mp.env() });
  });
  afterAll(async () => {
    await loop.close();
    await mp.close();
  });
  beforeEach(async () => {
    await emptyAllTables(loop.app.db);
    loop.fake.reset();
    loop.clock.set(MORNING);
    mp.clear();
    mp.templates.clear();
    mp.templates.add('TPL-survey');
    for (const id of ['oFollower', 'oGone', 'oBoth', 'oLearnt']) mp.known.add(id);
    mp.followers.clear();
    for (const id of ['oFollower', 'oBoth', 'oLearnt']) mp.followers.add(id);
    await putOffice('TPL-survey');
  });

  async function putOffice(templateId: string): Promise<void> {
    const res = await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, policy: { officialAccount: { templateId } } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }

  async function complete(resident: Record<string, unknown>): Promise<number> {
    seq += 1;
    const res = await loop.app.sendEvent(
      workOrderEvent('completed', {
        id: `WO-MP-${seq}`,
        kind: 'help',
        severity: null,
        department: null,
        unitId: `5-${seq}02`,
        completedAt: new Date(loop.clock.now().getTime() - 5_000).toISOString(),
        resident: { id: 'R-MP', name: '赵六', phone: '13733334444', ...resident },
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.visits[0].id;
  }

  async function askAndFollow(): Promise<void> {
    await loop.job('reminders');
    loop.clock.advance(4 * 60_000);
    await loop.dispatch();
    await loop.job('customer-messages');
    await loop.dispatch();
  }

  const visit = async (id: number) => (await loop.app.api('GET', `/api/visits/${id}`)).body;
  const routeChange = (v: { history: { action: string; details: Record<string, unknown> }[] }) => v.history.find((h) => h.action === 'route_changed')?.details;

  it('sends a follower the survey link as a template message, and says on the visit that it reached them', async () => {
    const id = await complete({ wechatOpenId: 'oFollower' });
    expect((await visit(id)).reach.route).toBe('official_account');
    await askAndFollow();
    const [message] = mp.sent();
    expect(message).toMatchObject({ openId: 'oFollower', templateId: 'TPL-survey' });
    expect(message.url).toMatch(/\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(Object.keys(message.data)).toEqual(['keyword1', 'keyword2', 'remark']);
    const v = await visit(id);
    expect(v.reach.reachedAt).not.toBeNull();
    expect(v.history.find((h: { action: string }) => h.action === 'resident_reached').details).toMatchObject({ via: 'official_account' });
    expect(mp.unexpected).toEqual([]);
  });

  it.each([
    ['a template id the account does not own', 'template_not_owned', 'oFollower', 'TPL-other'],
    ['a resident who no longer follows the account', 'not_following', 'oGone', 'TPL-survey'],
  ])('ends %s in a clear state on the visit, and the phone', async (_what, reason, openId, templateId) => {
    await putOffice(templateId);
    const id = await complete({ wechatOpenId: openId });
    await askAndFollow();
    expect(mp.sent()).toEqual([]);
    const v = await visit(id);
    expect(v.reach).toMatchObject({ route: 'none', reachedAt: null });
    expect(routeChange(v)).toMatchObject({ from: 'official_account', to: 'none', reason });
    const visitor = v.assignees[0].staffId === 'sp1' ? 'zhaozhuanyuan' : 'qianzhuanyuan';
    expect(loop.fake.delivered(visitor).map((m) => JSON.stringify(m.content)).join('\n')).toContain('请电话回访');
  });

  it('takes over from a WeChat customer route that failed, before the phone', async () => {
    const id = await complete({ wecomExternalUserId: 'wmUnknown', wecomContactOwner: 'zhaozhuanyuan', wechatOpenId: 'oBoth' });
    expect((await visit(id)).reach.route).toBe('external');
    await askAndFollow(); // the task is refused (no such customer): the route falls to the account
    loop.clock.advance(2 * 60_000);
    await loop.job('customer-messages');
    const v = await visit(id);
    expect(routeChange(v)).toMatchObject({ from: 'external', to: 'official_account', reason: 'unknown_customer' });
    expect(mp.sent().map((m) => m.openId)).toEqual(['oBoth']);
    expect(v.reach).toMatchObject({ route: 'official_account' });
    expect(v.reach.reachedAt).not.toBeNull();
  });

  it('learns the openid when the resident opens the survey link inside WeChat, and reaches them there the next time', async () => {
    const first = await complete({});
    expect((await visit(first)).reach.route).toBe('none');
    mp.browserOpenId = 'oLearnt';
    const link = loop.app.server.links.surveyUrl(loop.app.server.config.publicBaseUrl, first, loop.clock.now());
    const local = (url: string) => url.replace(loop.app.server.config.publicBaseUrl, loop.app.server.url);
    const wechat = { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50 NetType/WIFI' };
    let res = await fetch(local(link), { headers: wechat, redirect: 'manual' });
    expect(res.status).toBe(302);
    const authorize = res.headers.get('location')!;
    expect(authorize.startsWith(mp.apiBase)).toBe(true);
    res = await fetch(authorize, { redirect: 'manual' });
    res = await fetch(local(res.headers.get('location')!), { headers: wechat, redirect: 'manual' });
    expect(res.status).toBe(302);
    res = await fetch(`${loop.app.server.url}${res.headers.get('location')}`, { headers: wechat, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('确认');
    const resident = await loop.app.db.getRepository(Resident).findOneByOrFail({ officeId: 'office-1', id: 'R-MP' });
    expect(resident.learntOpenId).toBe('oLearnt');

    // A later event without the openid does not forget it; the next visit goes to the account.
    const next = await complete({});
    expect((await visit(next)).reach.route).toBe('official_account');
    // Outside WeChat (or in WeCom's browser) the page opens as ever.
    const plain = await fetch(local(link), { headers: { 'user-agent': 'Mozilla/5.0 MicroMessenger wxwork/4.1' }, redirect: 'manual' });
    expect(plain.status).toBe(200);
  });
});
