import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrderEvent } from '../support/app';
import { RESIDENT_USER, startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';

/** 2026-11-26 15:10:05 in Shanghai: a household repair was just completed (off the :00/:30 marks,
 * when WeCom asks for no bulk sends and the outbox holds messages back a few minutes). */
const NOW = '2026-11-26T07:10:05Z';

/** A household repair: the resident's own taps are the visit (docs/rules.md §3). */
const REPAIR = { kind: 'repair', severity: null, department: null, matterKey: 'elevator-noise' };

describe('a repair answered by the resident through the whole loop in WeCom, over HTTP only', () => {
  let loop: WecomLoop;
  let visitId: number;
  beforeAll(async () => {
    loop = await startWecomLoop(NOW);
  });
  afterAll(async () => loop.close());

  const visit = async () => (await loop.app.api('GET', `/api/visits/${visitId}`)).body;

  it('plans the visit from the webhook', async () => {
    const res = await loop.app.sendEvent(workOrderEvent('completed', { ...REPAIR, completedAt: '2026-11-26T07:10:00Z' }));
    expect(res.status).toBe(202);
    visitId = res.body.visits[0].id;
    expect(res.body.visits[0].assignees).toEqual(['sp1']);
  });

  it('reminds the specialist, and asks the resident by card', async () => {
    const result = await loop.job('reminders');
    expect(result).toMatchObject({ residentsAsked: 1, reminders: 1 });
    await loop.dispatch();
    for (const staff of ['zhaozhuanyuan']) {
      const reminder = loop.last(staff);
      expect(reminder.msgtype).toBe('template_card');
      expect(JSON.stringify(reminder.content)).toContain('电梯异响');
      expect(JSON.stringify(reminder.content)).toContain('住户卡片');
    }
    expect(loop.fake.delivered('lizhuguan')).toHaveLength(0);
    const card = loop.last(RESIDENT_USER);
    expect((card.content as { card_type: string }).card_type).toBe('multiple_interaction');
    // A second run (or a second instance) queues nothing new.
    expect(await loop.job('reminders')).toMatchObject({ residentsAsked: 0, reminders: 0 });
  });

  it('takes the resident’s five answers by taps and records them with the confirmation', async () => {
    const ratings = loop.last(RESIDENT_USER);
    await loop.tap(RESIDENT_USER, taskOf(ratings), 'ratings_submit', { quality: ['5'], effect: ['5'], satisfaction: ['5'] });
    await loop.dispatch();
    // The answered card is locked on the answers given (a reopened chat shows them, not the first options).
    const [answered] = loop.fake.updates(RESIDENT_USER);
    expect(answered!.templateCard).toMatchObject({ replace_text: '已提交' });
    expect((answered!.templateCard!.select_list as Array<Record<string, unknown>>).map((s) => [s.selected_id, s.disable])).toEqual([
      ['5', true],
      ['5', true],
      ['5', true],
    ]);

    const shortcomings = loop.last(RESIDENT_USER);
    expect((shortcomings.content as { card_type: string }).card_type).toBe('vote_interaction');
    await loop.tap(RESIDENT_USER, taskOf(shortcomings), 'shortcomings_submit', { shortcomings: ['none'] });
    await loop.dispatch();
    await loop.reply(RESIDENT_USER, '师傅很耐心，谢谢');

    const confirm = loop.last(RESIDENT_USER);
    await loop.tap(RESIDENT_USER, taskOf(confirm), 'survey_confirm', { solved: ['yes'] });
    const recorded = await visit();
    expect(recorded).toMatchObject({
      status: 'recorded',
      method: 'chat',
      late: false,
      answers: { quality: 5, effect: 5, satisfaction: 5, shortcomings: ['none'], suggestions: '师傅很耐心，谢谢', solved: true },
    });
    expect(recorded.residentConfirmedAt).toBe(NOW.replace('Z', '.000Z'));
  });

  it('cannot be answered twice: a second tap on the confirmation changes nothing', async () => {
    const before = await visit();
    const confirm = loop.fake.delivered(RESIDENT_USER).find((m) => JSON.stringify(m.content).includes('survey_confirm'))!;
    await expect(loop.tap(RESIDENT_USER, taskOf(confirm), 'survey_confirm', { solved: ['no'] })).resolves.toBeUndefined();
    const after = await visit();
    expect(after.answers).toEqual(before.answers);
    expect(after.history.filter((h: { action: string }) => h.action === 'recorded')).toHaveLength(1);
  });

  it('asks the supervisor to review, and closes the visit on 通过', async () => {
    await loop.dispatch();
    const review = loop.last('lizhuguan');
    expect(JSON.stringify(review.content)).toContain('review_ok');
    await loop.tap('lizhuguan', taskOf(review), 'review_ok');
    await loop.reply('lizhuguan', '回访及时，住户满意');
    const closed = await visit();
    expect(closed).toMatchObject({ status: 'closed', verdict: 'ok', review: { reviewerId: 'sup1', opinion: '回访及时，住户满意' } });
    expect(closed.history.map((h: { action: string }) => h.action)).toEqual([
      'planned',
      'resident_asked',
      'resident_answered',
      'resident_answered',
      'suggestion_added',
      'recorded',
      'resident_confirmed',
      'reviewed',
      'closed',
      'opinion_written',
    ]);
    await loop.dispatch();
    expect(loop.fake.updates('lizhuguan').map((u) => u.replaceName)).toEqual(['已审核：通过']);
    expect(loop.fake.unexpected).toEqual([]);
  });
});
