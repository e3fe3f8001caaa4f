import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DingtalkChannel } from '../../src/channels/dingtalk/dingtalk.channel';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';
import { ManualClock } from '../support/manual-clock';
import { projectBody } from './fixtures';

/** OFFICE_1 on DingTalk: every staff member's DingTalk userId is "dt-" + their id. */
const DINGTALK_OFFICE = { ...OFFICE_1, channel: 'dingtalk', staff: OFFICE_1.staff.map((s) => ({ ...s, wecomUserId: undefined, dingtalkUserId: `dt-${s.id}` })) };
const OWNER = 'dt-owner';
const sheet = { cause: '防水层搭接不足', measures: '重做防水层', dueOn: '2027-03-20', approvedBy: '周工', responsible: '刘师傅' };

describe("the owner's sign-off card on DingTalk", () => {
  const clock = new ManualClock('2027-03-10T02:00:00Z');
  let fake: FakeDingtalk;
  let app: TestApp;
  beforeAll(async () => {
    fake = await startFakeDingtalk({ clock, users: [...DINGTALK_OFFICE.staff.map((s) => s.dingtalkUserId), OWNER] });
    app = await startTestApp({
      clock,
      overrides: {
        channels: [new DingtalkChannel(fake.config(), { clock })],
        dingtalkCallback: { token: fake.token, aesKey: fake.aesKey, appKey: fake.appKey, cardApiSecret: fake.cardApiSecret },
      },
    });
    expect((await app.api('PUT', '/api/offices/office-1', DINGTALK_OFFICE)).status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('goes to the owner as an interactive card; 签认 signs the repair off and the card shows it answered', async () => {
    const owner = { name: '滨江置业', phone: '02100000000', dingtalkUserId: OWNER };
    expect((await app.api('PUT', '/api/projects/P-1', projectBody({ warrantyLead: 'sp1', owner }))).status).toBe(201);
    const { id } = (await app.api('POST', '/api/projects/P-1/repairs', { reportedAt: '2027-03-10T09:00:00+08:00', category: 'waterproofing', location: '3 号楼 1202 卫生间', description: '楼下顶棚渗水' })).body;
    await app.api('POST', `/api/warranty-repairs/${id}/onsite`, { by: 'sp1' });
    await app.api('POST', `/api/warranty-repairs/${id}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet });
    clock.set('2027-03-10T02:07:00Z'); // off :00, where the outbox spreads sends over a few minutes
    await app.api('POST', `/api/warranty-repairs/${id}/done`, { by: 'sp1' });
    await app.server.dispatcher.drain();

    const cards = fake.deliveredCards(OWNER);
    expect(cards).toHaveLength(1);
    const buttons = JSON.parse(cards[0].cardParamMap.buttons) as { key: string; url?: string }[];
    expect(buttons.map((b) => b.key)).toEqual(['signoff_accept', 'signoff_reject', 'open_signoff']);
    expect(buttons[2].url).toMatch(/\/w\/[A-Za-z0-9_.-]+$/);

    const res = await fake.tapCard(`${app.server.url}/callbacks/dingtalk/card`, { outTrackId: cards[0].outTrackId, userId: OWNER, actionId: 'signoff_accept' });
    expect(res.status).toBe(200);
    await app.server.settled();
    await app.server.dispatcher.drain();
    const repair = (await app.api('GET', `/api/warranty-repairs/${id}`)).body;
    expect(repair.status).toBe('signed_off');
    expect(repair.history.at(-1)).toMatchObject({ action: 'signed_off', details: { via: `dingtalk:${OWNER}` } });
    const answered = fake.deliveredCards(OWNER)[0].cardParamMap;
    expect(answered.answered).toBe('true');
    expect(answered.answerText).toContain('已验收签认');
    expect(fake.unexpected).toEqual([]);
  });
});
