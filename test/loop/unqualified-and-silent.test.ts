import { afterEach, describe, expect, it } from 'vitest';
import { workOrderEvent } from '../support/app';
import { RESIDENT_USER, startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';

/** A household repair: the resident's own answers are the visit (who completes: §3). */
const REPAIR = { kind: 'repair', severity: null, department: null, matterKey: 'tap' };

describe('the loop when things go wrong', () => {
  let loop: WecomLoop;
  afterEach(async () => loop.close());

  const visit = async (id: number) => (await loop.app.api('GET', `/api/visits/${id}`)).body;

  it('takes repair works rated 1 through unqualified → supervisor → manager → handled → resolved → closed', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const res = await loop.app.sendEvent(
      workOrderEvent('completed', { id: 'WO-R1', kind: 'repair_works', severity: null, department: null, matterKey: 'leak', completedAt: '2026-11-26T07:10:00Z' }),
    );
    const id = res.body.visits[0].id;
    // The repair works' window opens a month later, at 00:00; the resident is asked at 08:00+.
    loop.clock.set('2026-12-26T02:10:00Z');
    await loop.job('reminders');
    await loop.dispatch();
    const ratings = loop.last(RESIDENT_USER);
    await loop.tap(RESIDENT_USER, taskOf(ratings), 'ratings_submit', { quality: ['1'], effect: ['2'], satisfaction: ['1'] });
    await loop.dispatch();
    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'shortcomings_submit', { shortcomings: ['quality', 'slow_response'] });
    await loop.dispatch();
    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'survey_confirm', { solved: ['no'] });
    expect(await visit(id)).toMatchObject({ status: 'unqualified', verdict: 'unqualified', answers: { quality: 1, satisfaction: 1, solved: false } });

    await loop.dispatch();
    const review = loop.last('lizhuguan');
    expect(JSON.stringify(review.content)).toContain('不合格');
    await loop.tap('lizhuguan', taskOf(review), 'review_unqualified');
    expect(await visit(id)).toMatchObject({ status: 'escalated', verdict: 'unqualified', review: { reviewerId: 'sup1' } });

    await loop.dispatch();
    const escalation = loop.last('wangjingli');
    expect(JSON.stringify(escalation.content)).toContain('不合格回访');
    await loop.tap('wangjingli', taskOf(escalation), 'handled');
    await loop.reply('wangjingli', '已上门返修并致歉，住户认可');
    expect(await visit(id)).toMatchObject({ status: 'handled', handling: { handlerId: 'mgr1', opinion: '已上门返修并致歉，住户认可' } });

    // The resident gets one card: is the problem solved now? 已解决 closes it as resolved.
    await loop.dispatch();
    const resolution = loop.last(RESIDENT_USER);
    expect(JSON.stringify(resolution.content)).toContain('您反映的问题解决了吗');
    await loop.tap(RESIDENT_USER, taskOf(resolution), 'resolution_solved');
    const closed = await visit(id);
    expect(closed).toMatchObject({ status: 'closed', closedAs: 'resolved' });
    expect(closed.history.map((h: { action: string; actor: string }) => `${h.action}:${h.actor}`).slice(-8)).toEqual([
      'recorded:R-88',
      'resident_confirmed:R-88',
      'reviewed:sup1',
      'escalated:system',
      'handled:mgr1',
      'opinion_written:mgr1',
      'resolved:R-88',
      'closed:system',
    ]);
  });

  it('re-asks a silent resident once after 24 h, then hands the visit back to the specialist', async () => {
    loop = await startWecomLoop('2026-11-26T02:10:05Z');
    const res = await loop.app.sendEvent(workOrderEvent('completed', { ...REPAIR, id: 'WO-S1', completedAt: '2026-11-26T02:10:00Z' }));
    const id = res.body.visits[0].id;
    await loop.job('reminders');
    await loop.dispatch();
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(1);

    loop.clock.advance(23 * 3600_000);
    expect(await loop.job('resident-reask')).toEqual({ reasked: 0, handedBack: 0 });
    loop.clock.advance(1 * 3600_000 + 1000);
    expect(await loop.job('resident-reask')).toEqual({ reasked: 1, handedBack: 0 });
    await loop.dispatch();
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);

    loop.clock.advance(24 * 3600_000);
    expect(await loop.job('resident-reask')).toEqual({ reasked: 0, handedBack: 1 });
    await loop.dispatch();
    const back = loop.last('zhaozhuanyuan');
    expect(JSON.stringify(back.content)).toContain('住户未回复');
    // Nothing more for the resident, and nothing twice for the specialist.
    expect(await loop.job('resident-reask')).toEqual({ reasked: 0, handedBack: 0 });
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
    expect((await visit(id)).history.map((h: { action: string }) => h.action)).toContain('resident_silent');
  });

  it('holds a card falling due at 22:00 until 08:00', async () => {
    // Completed at 22:00 Shanghai time: the window opens in the residents' and staff's night.
    loop = await startWecomLoop('2026-11-26T14:00:05Z');
    await loop.app.sendEvent(workOrderEvent('completed', { ...REPAIR, id: 'WO-N1', completedAt: '2026-11-26T14:00:00Z' }));
    await loop.job('reminders');
    await loop.dispatch();
    expect(loop.fake.allDelivered()).toHaveLength(0);

    loop.clock.set('2026-11-26T23:59:59Z'); // 07:59:59
    await loop.job('reminders');
    await loop.dispatch();
    expect(loop.fake.allDelivered()).toHaveLength(0);

    loop.clock.set('2026-11-27T00:05:00Z'); // 08:05, past the off-peak spread after 08:00
    await loop.job('reminders');
    await loop.dispatch();
    const resident = loop.last(RESIDENT_USER);
    const staff = loop.last('zhaozhuanyuan');
    for (const message of [resident, staff]) {
      expect(message.at.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-27T00:00:00Z'));
    }
  });

  it('lets staff record by API, late after the window, and asks resident and staff to confirm', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const res = await loop.app.sendEvent(workOrderEvent('completed', { id: 'WO-L1', completedAt: '2026-11-26T07:10:00Z' }));
    const id = res.body.visits[0].id;
    loop.clock.set('2026-11-30T02:10:00Z'); // the window closed at the end of 29 November
    expect(await loop.job('overdue')).toMatchObject({ overdue: 1 });
    expect(await loop.job('overdue')).toMatchObject({ overdue: 0 });
    await loop.dispatch();
    expect(JSON.stringify(loop.last('lizhuguan').content)).toContain('逾期');

    const bad = await loop.app.api('POST', `/api/visits/${id}/record`, { staffId: 'sp1', method: 'phone', answers: { quality: 9 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['answers.effect', 'answers.quality', 'answers.satisfaction']);
    const stranger = await loop.app.api('POST', `/api/visits/${id}/record`, { staffId: 'sp2', method: 'phone', answers: { quality: 4, effect: 4, satisfaction: 4 } });
    expect(stranger.status).toBe(403);

    const recorded = await loop.app.api('POST', `/api/visits/${id}/record`, {
      staffId: 'sp1',
      method: 'phone',
      answers: { quality: 4, effect: 4, satisfaction: 5, shortcomings: ['none'] },
      notes: '电话回访',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ status: 'recorded', late: true, method: 'phone', recordedBy: 'sp1', residentConfirmedAt: null });
    const again = await loop.app.api('POST', `/api/visits/${id}/record`, { staffId: 'sp1', method: 'phone', answers: { quality: 1, effect: 1, satisfaction: 1 } });
    expect(again.status).toBe(409);

    await loop.dispatch();
    const confirmCard = loop.last(RESIDENT_USER);
    expect(JSON.stringify(confirmCard.content)).toContain('请确认回访记录');
    await loop.tap(RESIDENT_USER, taskOf(confirmCard), 'confirm');
    await loop.tap('zhaozhuanyuan', taskOf(loop.last('zhaozhuanyuan')), 'staff_confirm');
    const done = await visit(id);
    expect(done.residentConfirmedAt).not.toBeNull();
    expect(done.staffConfirmedAt).not.toBeNull();
    const review = await loop.app.api('POST', `/api/visits/${id}/review`, { reviewerId: 'sp1', verdict: 'ok' });
    expect(review.status).toBe(403);
    const ok = await loop.app.api('POST', `/api/visits/${id}/review`, { reviewerId: 'sup1', verdict: 'ok', opinion: '逾期完成，下次注意' });
    expect(ok.body).toMatchObject({ status: 'closed', late: true, review: { opinion: '逾期完成，下次注意' } });
  });
});
