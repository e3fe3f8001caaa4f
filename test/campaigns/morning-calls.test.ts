import { describe, expect, it } from 'vitest';
import { OutboundMessage, Visit } from '../../entities';
import { taskOf, WecomLoop } from '../support/wecom-loop';
import { campaignBody, importCustomers, useCampaignLoop, visitsOf } from './support';

const CALLER = 'zhaozhuanyuan'; // sp1
const OTHER = 'qianzhuanyuan'; // sp2

let loop: WecomLoop;
useCampaignLoop('2026-12-02T02:07:00Z', (started) => (loop = started));

/** Four customers called by sp1 and sp2 on 2026-12-03 (Thursday), the list sent at 08:07 that day. */
async function morningOfTheCalls(): Promise<Visit[]> {
  await importCustomers(loop.app, 4);
  const res = await loop.app.api('POST', '/api/campaigns', campaignBody({ from: '2026-12-03', to: '2026-12-03' }));
  expect(res.status).toBe(201);
  const visits = await visitsOf(loop.app, res.body.id);
  // The evening before: nothing goes out yet.
  expect(await loop.job('campaign-calls')).toEqual({ lists: 0, cards: 0 });
  loop.clock.set('2026-12-03T00:07:00Z');
  expect(await loop.job('campaign-calls')).toEqual({ lists: 2, cards: 4 });
  // A rerun (or a second instance) queues nothing twice.
  expect(await loop.job('campaign-calls')).toEqual({ lists: 0, cards: 0 });
  await loop.dispatch();
  return visits;
}

const text = (m: { content: unknown }) => JSON.stringify(m.content);

describe("the caller's list of the day", () => {
  it('sends each caller one list of the day and one card per call with the customer, 已联系 / 未接通 and the record form', async () => {
    await morningOfTheCalls();
    const delivered = loop.fake.delivered(CALLER);
    expect(delivered).toHaveLength(3);
    expect(text(delivered[0])).toContain('今日客户回访：2 通');
    const cards = delivered.filter((m) => m.msgtype === 'template_card');
    expect(cards).toHaveLength(2);
    for (const t of ['客户0', '公司0', '13900000000', '华东', '挖掘机', '要报价', '已联系', '未接通', '/f/']) expect(text(cards[0])).toContain(t);
    expect(loop.fake.delivered(OTHER).filter((m) => m.msgtype === 'template_card')).toHaveLength(2);
  });

  it('已联系 puts the call in progress and greys the card with the record link; the first tap stands', async () => {
    const [visit] = await morningOfTheCalls();
    const card = loop.fake.delivered(CALLER).find((m) => m.msgtype === 'template_card' && text(m).includes('客户0'))!;
    await loop.tap(CALLER, taskOf(card), 'call_reached');
    await loop.dispatch();
    expect((await loop.app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).status).toBe('in_progress');
    const [update] = loop.fake.updates(CALLER);
    expect(JSON.stringify(update)).toContain('已联系，请填写回访记录');
    expect(JSON.stringify(update)).toContain('/f/');
    // The other button afterwards records nothing and shows the first answer.
    await loop.tap(CALLER, taskOf(card), 'call_not_reached');
    await loop.dispatch();
    const history = (await loop.app.api('GET', `/api/visits/${visit.id}`)).body.history.map((h: { action: string }) => h.action);
    expect(history).toEqual(['planned', 'window_opened', 'visit_started']);
    expect(loop.fake.updates(CALLER)).toHaveLength(2);
    expect(JSON.stringify(loop.fake.updates(CALLER)[1])).toContain('已联系');
  });

  it('未接通 counts an attempt and leaves the call open; a later call record completes it', async () => {
    const [visit] = await morningOfTheCalls();
    const card = loop.fake.delivered(CALLER).find((m) => m.msgtype === 'template_card' && text(m).includes('客户0'))!;
    await loop.tap(CALLER, taskOf(card), 'call_not_reached');
    await loop.tap(CALLER, taskOf(card), 'call_not_reached');
    await loop.dispatch();
    const after = await loop.app.db.getRepository(Visit).findOneByOrFail({ id: visit.id });
    expect(after).toMatchObject({ status: 'in_progress', recordedAt: null, details: { attempts: 1, lastAttemptMethod: 'phone' } });
    expect(JSON.stringify(loop.fake.updates(CALLER)[0])).toContain('未接通（第 1 次）');
    // The grey-out went at once, not paced with the bulk sends (what the caller just did).
    const updates = await loop.app.db.getRepository(OutboundMessage).findBy({ purpose: 'card_update', recipientId: 'sp1' });
    expect(updates.every((u) => u.status === 'sent')).toBe(true);
    const recorded = await loop.app.api('POST', `/api/visits/${visit.id}/record`, {
      staffId: 'sp1',
      method: 'chat',
      reached: true,
      answers: { satisfaction: 5, channel: '网站' },
      inquiryValid: false,
    });
    expect(recorded.body).toMatchObject({ status: 'recorded', details: { attempts: 1, reached: true, inquiryValid: false } });
  });
});
