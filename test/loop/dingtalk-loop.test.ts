import { decrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { DingtalkChannel } from '../../src/channels/dingtalk/dingtalk.channel';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';
import { HOUSEHOLD_REPAIR, OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';

const NOW = '2026-11-26T07:10:05Z';

/** OFFICE_1 on DingTalk: every staff member's DingTalk userId is "dt-" + their id. */
const DINGTALK_OFFICE = {
  ...OFFICE_1,
  channel: 'dingtalk',
  staff: OFFICE_1.staff.map((s) => ({ ...s, wecomUserId: undefined, dingtalkUserId: `dt-${s.id}` })),
};

describe('the same loop through DingTalk', () => {
  const clock = new ManualClock(NOW);
  let fake: FakeDingtalk;
  let app: TestApp;

  beforeAll(async () => {
    fake = await startFakeDingtalk({ clock, users: [...DINGTALK_OFFICE.staff.map((s) => s.dingtalkUserId), 'dt-resident'] });
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
    await app.close();
    await fake.close();
  });

  const newest = (userId: string) => {
    const cards = fake.deliveredCards(userId);
    expect(cards.length, `${userId} got no card`).toBeGreaterThan(0);
    return cards[cards.length - 1];
  };
  const tap = async (userId: string, outTrackId: string, key: string, params: Record<string, unknown> = {}) => {
    const res = await fake.tapCard(`${app.server.url}/callbacks/dingtalk/card`, { outTrackId, userId, actionId: key, params });
    expect(res.status).toBe(200);
    expect(res.body.userPrivateData.cardParamMap.answered).toBe('true');
    await app.server.settled();
    await app.server.dispatcher.drain();
  };
  const run = async (job: string) => (await app.api('POST', `/api/jobs/${job}/run`)).body.result;

  it('reminds staff and asks the resident with interactive cards, takes the taps, and closes on review', async () => {
    const event = workOrderEvent('completed', {
      ...HOUSEHOLD_REPAIR,
      completedAt: '2026-11-26T07:10:00Z',
      resident: { id: 'R-88', name: '张三', phone: '13800000000', wecomUserId: null, dingtalkUserId: 'dt-resident' },
    });
    const res = await app.sendEvent(event);
    const visitId = res.body.visits[0].id;
    expect(await run('reminders')).toMatchObject({ residentsAsked: 1, reminders: 1 });
    await app.server.dispatcher.drain();

    const reminder = newest('dt-sp1');
    expect(reminder.cardTemplateId).toBe(fake.cardTemplateId);
    expect(reminder.cardParamMap.title).toContain('电梯异响');
    expect(JSON.parse(reminder.cardParamMap.buttons).map((b: { key: string }) => b.key)).toContain('record_phone');

    await tap('dt-resident', newest('dt-resident').outTrackId, 'ratings_submit', { quality: '5', effect: '4', satisfaction: '5' });
    await tap('dt-resident', newest('dt-resident').outTrackId, 'shortcomings_submit', { shortcomings: JSON.stringify(['none']) });
    const confirm = newest('dt-resident');
    await tap('dt-resident', confirm.outTrackId, 'survey_confirm', { solved: 'yes' });
    // The confirmed card now shows the answer for the resident.
    expect(fake.deliveredCards('dt-resident').find((c) => c.outTrackId === confirm.outTrackId)?.cardParamMap.answered).toBe('true');

    const recorded = (await app.api('GET', `/api/visits/${visitId}`)).body;
    expect(recorded).toMatchObject({ status: 'recorded', answers: { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'], solved: true } });

    await tap('dt-sup1', newest('dt-sup1').outTrackId, 'review_ok');
    expect((await app.api('GET', `/api/visits/${visitId}`)).body.status).toBe('closed');
    // A tap from someone the card was not sent to changes nothing.
    const stranger = await fake.tapCard(`${app.server.url}/callbacks/dingtalk/card`, { outTrackId: confirm.outTrackId, userId: 'dt-sp2', actionId: 'survey_confirm' });
    expect(stranger.status).toBe(200);
    expect(fake.unexpected).toEqual([]);
  });

  it('refuses a card callback with a wrong signature and does nothing', async () => {
    const before = await app.db.query('SELECT COUNT(*) AS n FROM inbound_events');
    const res = await fake.tapCard(`${app.server.url}/callbacks/dingtalk/card`, { outTrackId: 'x', userId: 'dt-sp1', actionId: 'review_ok', apiSecret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const after = await app.db.query('SELECT COUNT(*) AS n FROM inbound_events');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it('answers the event subscription, check_url included, with the encrypted success', async () => {
    const res = await fake.pushEvent(`${app.server.url}/callbacks/dingtalk`, { EventType: 'check_url' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['encrypt', 'msg_signature', 'nonce', 'timeStamp']);
    const { message, id } = decrypt(fake.aesKey, res.body.encrypt);
    expect([message, id]).toEqual(['success', fake.appKey]);
    expect(getSignature(fake.token, res.body.timeStamp, res.body.nonce, res.body.encrypt)).toBe(res.body.msg_signature);
    const bad = await fake.pushEvent(`${app.server.url}/callbacks/dingtalk`, { EventType: 'check_url' }, { token: 'wrong' });
    expect(bad.status).toBe(401);
  });
});
