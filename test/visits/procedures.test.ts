import { afterEach, describe, expect, it } from 'vitest';
import { HOUSEHOLD_REPAIR, OFFICE_1, workOrderEvent } from '../support/app';
import { RESIDENT_USER, startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';

/*
 * The procedures as an office would notice them (the rules §2–§6), through HTTP only: the
 * webhook, the admin API, WeCom callbacks and the cards the fake WeCom received. Each test
 * failed on the first edition of the lifecycle (B1–B9, D1 of the lifecycle issue).
 */

const GOOD = { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'] };
const BAD = { quality: 1, effect: 2, satisfaction: 1, shortcomings: ['attitude'] };

describe('the visit procedures through HTTP', () => {
  let loop: WecomLoop;
  afterEach(async () => loop?.close());

  const visit = async (id: number) => (await loop.app.api('GET', `/api/visits/${id}`)).body;
  const complete = async (patch: Record<string, unknown>) => {
    const res = await loop.app.sendEvent(workOrderEvent('completed', { completedAt: loop.clock.now().toISOString(), ...patch }));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.visits as { id: number; assignees: string[]; status: string; dueFrom: string; dueBy: string }[];
  };
  const cardsTo = (userId: string) => loop.fake.delivered(userId).map((m) => JSON.stringify(m.content));

  it('B1: a major complaint is visited by the manager: no survey card to the resident, and the resident’s own answers do not complete it', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const [planned] = await complete({ id: 'WO-B1', kind: 'complaint', severity: 'major' });
    expect(planned.assignees).toEqual(['mgr1']);
    await loop.job('reminders');
    await loop.dispatch();
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(0);
    expect(cardsTo('wangjingli').join()).toContain('须由您亲自完成');

    // The resident answers on a survey link anyway: kept as feedback, the visit still waits.
    const link = loop.app.server.links.issue({ visitId: planned.id, purpose: 'survey' }, loop.clock.now());
    const form = new URLSearchParams({ quality: '5', effect: '5', satisfaction: '5', shortcomings: 'none', solved: 'yes' });
    const posted = await fetch(`${loop.app.server.url}/s/${link}`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(200);
    expect(await visit(planned.id)).toMatchObject({ status: 'due', residentFeedback: { quality: 5, satisfaction: 5 }, recordedAt: null });

    // The manager visits by phone and records it; the resident rates and confirms on a card.
    const recorded = await loop.app.api('POST', `/api/visits/${planned.id}/record`, { staffId: 'mgr1', method: 'phone', answers: GOOD });
    expect(recorded.body).toMatchObject({ status: 'recorded', recordedBy: 'mgr1' });
    await loop.dispatch();
    const confirm = loop.last(RESIDENT_USER);
    expect(JSON.stringify(confirm.content)).toContain('请确认回访记录');
    await loop.tap(RESIDENT_USER, taskOf(confirm), 'confirm');
    expect((await visit(planned.id)).residentConfirmedAt).not.toBeNull();
  });

  it('B1: a general complaint reminds the department head and the specialist, who visit together', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const [planned] = await complete({ id: 'WO-B1G', kind: 'complaint', severity: 'general', department: 'engineering' });
    expect(planned.assignees).toEqual(['eng1', 'sp1']);
    expect(await loop.job('reminders')).toMatchObject({ residentsAsked: 0, reminders: 2 });
    await loop.dispatch();
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(0);
    for (const staff of ['sungong', 'zhaozhuanyuan']) expect(cardsTo(staff).join()).toContain('须由您亲自完成');
  });

  it('B2: a general complaint against a department with no head is planned with the specialist, team incomplete, and the supervisor assigns the head', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const [planned] = await complete({ id: 'WO-B2', kind: 'complaint', severity: 'general', department: 'security' });
    expect(planned).toMatchObject({ status: 'due', assignees: ['sp1'] });
    expect(await visit(planned.id)).toMatchObject({ teamIncomplete: true });
    await loop.dispatch();
    expect(cardsTo('lizhuguan').join()).toContain('联合回访人员不全');
    await loop.job('reminders');
    await loop.dispatch();
    expect(cardsTo('zhaozhuanyuan').join()).toContain('须由您亲自完成');

    // Only a supervisor assigns; only staff of the office, in roles they hold.
    const bySpecialist = await loop.app.api('POST', `/api/visits/${planned.id}/assign`, { by: 'sp1', assignees: [{ staffId: 'eng1', role: 'dept_head' }] });
    expect(bySpecialist.status).toBe(403);
    const wrongRole = await loop.app.api('POST', `/api/visits/${planned.id}/assign`, { by: 'sup1', assignees: [{ staffId: 'sp2', role: 'dept_head' }] });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.error.message).toContain('assignees.0.role');
    const assigned = await loop.app.api('POST', `/api/visits/${planned.id}/assign`, {
      by: 'sup1',
      assignees: [
        { staffId: 'eng1', role: 'dept_head' },
        { staffId: 'sp1', role: 'specialist' },
      ],
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ teamIncomplete: false, assignees: [{ staffId: 'eng1', role: 'dept_head' }, { staffId: 'sp1', role: 'specialist' }] });
    expect(assigned.body.history.map((h: { action: string }) => h.action)).toContain('assigned');
    await loop.dispatch();
    expect(cardsTo('sungong').join()).toContain('新指派');
  });

  it('B3: an unqualified visit cannot be passed; it goes to the manager and stays in the quarter’s unqualified list and the 90-day rule', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const [planned] = await complete({ ...HOUSEHOLD_REPAIR, id: 'WO-B3', unitId: 'B3-1202' });
    await loop.app.api('POST', `/api/visits/${planned.id}/record`, { staffId: planned.assignees[0], method: 'phone', answers: BAD });
    const passed = await loop.app.api('POST', `/api/visits/${planned.id}/review`, { reviewerId: 'sup1', verdict: 'ok', opinion: '算了' });
    expect(passed.status).toBe(409);
    expect(passed.body.error.code).toBe('unqualified_cannot_pass');
    expect(await visit(planned.id)).toMatchObject({ status: 'unqualified', verdict: 'unqualified' });
    const escalated = await loop.app.api('POST', `/api/visits/${planned.id}/review`, { reviewerId: 'sup1', verdict: 'unqualified', opinion: '请经理处理' });
    expect(escalated.body).toMatchObject({ status: 'escalated', verdict: 'unqualified' });

    const stats = await loop.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(stats.body.unqualified.map((u: { visitId: number }) => u.visitId)).toEqual([planned.id]);
    // The next repair on that unit is selected whatever the quota (0 % here).
    await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, rateTargets: { repair: 0 } });
    const next = await complete({ ...HOUSEHOLD_REPAIR, id: 'WO-B3-NEXT', unitId: 'B3-1202', matterKey: 'door' });
    expect(next).toHaveLength(1);
    const [audit] = await loop.app.db.query(`SELECT samplingReason FROM work_orders WHERE id = 'WO-B3-NEXT'`);
    expect(audit.samplingReason).toBe('recent_unqualified');
  });

  it('B4: repair works completed on 15 December are visited in January–February and count in the next quarter', async () => {
    loop = await startWecomLoop('2026-12-15T06:00:05Z');
    const [planned] = await complete({ ...HOUSEHOLD_REPAIR, kind: 'repair_works', id: 'WO-B4' });
    expect(planned).toMatchObject({ status: 'planned', dueFrom: '2027-01-14T16:00:00.000Z', dueBy: '2027-02-15T15:59:59.999Z' });
    expect(await visit(planned.id)).toMatchObject({ quarter: '2027-Q1' });
    const [order] = await loop.app.db.query(`SELECT quarter FROM work_orders WHERE id = 'WO-B4'`);
    expect(order.quarter).toBe('2027-Q1');
    const q1 = await loop.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2027-Q1');
    expect(q1.body.kinds.find((k: { kind: string }) => k.kind === 'repair_works')).toMatchObject({ eligible: 1 });
    const q4 = await loop.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(q4.body.kinds.find((k: { kind: string }) => k.kind === 'repair_works')).toMatchObject({ eligible: 0 });
  });

  it('B6: a re-ask delay of 2 hours is honoured, and the hand-back follows the same policy', async () => {
    loop = await startWecomLoop('2026-11-26T02:10:05Z');
    await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, policy: { residentReaskAfterHours: 2 } });
    const [planned] = await complete({ ...HOUSEHOLD_REPAIR, id: 'WO-B6' });
    await loop.job('reminders');
    loop.clock.advance(2 * 3_600_000 - 60_000);
    expect(await loop.job('resident-reask')).toEqual({ reasked: 0, handedBack: 0 });
    loop.clock.advance(60_000);
    expect(await loop.job('resident-reask')).toEqual({ reasked: 1, handedBack: 0 });
    loop.clock.advance(2 * 3_600_000);
    expect(await loop.job('resident-reask')).toEqual({ reasked: 0, handedBack: 1 });
    expect((await visit(planned.id)).history.map((h: { action: string }) => h.action)).toEqual(['planned', 'resident_asked', 'resident_reasked', 'resident_silent']);
  });

  it('B7: a reopened and re-completed work order is sampled again, in the quarter of its new window', async () => {
    loop = await startWecomLoop('2026-12-28T02:00:05Z');
    await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, rateTargets: { repair: 0.5 } });
    const repair = { ...HOUSEHOLD_REPAIR, id: 'WO-B7', unitId: 'U-7', matterKey: 'm-7' };
    await complete(repair);
    const quota = async () => loop.app.db.query(`SELECT quarter, eligible, selected FROM sampling_quotas ORDER BY quarter`);
    expect(await quota()).toEqual([{ quarter: '2027-Q1', eligible: 1, selected: 1 }]);
    const reopened = await loop.app.sendEvent(workOrderEvent('reopened', repair, { occurredAt: '2026-12-28T03:00:00Z' }));
    expect(reopened.status).toBe(202);
    expect(await quota()).toEqual([{ quarter: '2027-Q1', eligible: 0, selected: 0 }]);
    loop.clock.set('2027-04-02T02:00:05Z');
    const again = await complete(repair);
    expect(again).toHaveLength(1);
    const [order] = await loop.app.db.query(`SELECT quarter, completions, sampling FROM work_orders WHERE id = 'WO-B7'`);
    expect(order).toMatchObject({ quarter: '2027-Q2', sampling: 'selected' });
    expect(Number(order.completions)).toBe(2);
    expect(await quota()).toEqual([
      { quarter: '2027-Q1', eligible: 0, selected: 0 },
      { quarter: '2027-Q2', eligible: 1, selected: 1 },
    ]);
  });

  it('B8: every interpretation is an office policy value; a name that is not one is refused', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const bad = await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, policy: { residentReaskAfterHour: 2, specialService: { midFrom: 0.7, midTo: 0.6 } } });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['policy.residentReaskAfterHour', 'policy.specialService.midTo']));
    const policy = { specialService: { midFrom: 0.2, midTo: 0.3, afterDays: 3 }, escalationHours: 8, unqualifiedLookbackDays: 30, archiveReminderDay: 3, archiveLockDay: 7, retentionYears: 5 };
    const ok = await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, policy });
    expect(ok.status).toBe(200);
    expect((await loop.app.api('GET', '/api/offices/office-1')).body.policy).toEqual(policy);
    // The special service's shares and after-days are the office's.
    const contract = { startAt: '2026-10-01T00:00:00Z', endAt: '2026-12-30T00:00:00Z' };
    const res = await loop.app.sendEvent(workOrderEvent('created', { id: 'WO-B8', kind: 'special_service', severity: null, department: null, contract }));
    const span = Date.parse(contract.endAt) - Date.parse(contract.startAt);
    expect(res.body.visits.map((v: { purpose: string; dueFrom: string; dueBy: string }) => [v.purpose, v.dueFrom, v.dueBy])).toEqual([
      ['mid_contract', new Date(Date.parse(contract.startAt) + span * 0.2).toISOString(), new Date(Date.parse(contract.startAt) + span * 0.3).toISOString()],
      ['after_contract', '2026-12-30T00:00:00.000Z', '2027-01-02T15:59:59.999Z'],
    ]);
  });

  it('B9: reviewed and handled are really entered, a record is corrected as a new history entry, and the figures use the latest', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const [planned] = await complete({ ...HOUSEHOLD_REPAIR, id: 'WO-B9' });
    const specialist = planned.assignees[0];
    await loop.app.api('POST', `/api/visits/${planned.id}/record`, { staffId: specialist, method: 'phone', answers: GOOD });
    const notAuthor = await loop.app.api('POST', `/api/visits/${planned.id}/correct`, { staffId: 'sup1', answers: BAD });
    expect(notAuthor.status).toBe(403);
    const corrected = await loop.app.api('POST', `/api/visits/${planned.id}/correct`, { staffId: specialist, answers: { ...GOOD, satisfaction: 3 } });
    expect(corrected.status).toBe(200);
    expect(corrected.body.answers.satisfaction).toBe(3);
    const entry = corrected.body.history.find((h: { action: string }) => h.action === 'corrected');
    expect(entry).toMatchObject({ actor: specialist, details: { before: { satisfaction: 5 }, after: { satisfaction: 3 } } });
    const stats = await loop.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(stats.body.kinds.find((k: { kind: string }) => k.kind === 'repair').satisfactionAvg).toBe(3);

    const reviewed = await loop.app.api('POST', `/api/visits/${planned.id}/review`, { reviewerId: 'sup1', verdict: 'ok' });
    expect(reviewed.body.status).toBe('reviewed');
    const late = await loop.app.api('POST', `/api/visits/${planned.id}/correct`, { staffId: specialist, answers: GOOD });
    expect(late.status).toBe(409);
    // Both confirmations close it.
    await loop.app.api('POST', `/api/visits/${planned.id}/confirm`, { staffId: specialist });
    await loop.dispatch();
    await loop.tap(RESIDENT_USER, taskOf(loop.fake.delivered(RESIDENT_USER).find((m) => JSON.stringify(m.content).includes('请确认回访记录'))!), 'confirm');
    expect(await visit(planned.id)).toMatchObject({ status: 'closed', closedAs: 'passed' });
  });

  it('B9: an escalation has a deadline: the manager is reminded at half time, the supervisor told when it passes, and a silent resident closes it as handled', async () => {
    loop = await startWecomLoop('2026-11-26T02:10:05Z');
    const [planned] = await complete({ ...HOUSEHOLD_REPAIR, id: 'WO-ESC' });
    await loop.app.api('POST', `/api/visits/${planned.id}/record`, { staffId: planned.assignees[0], method: 'phone', answers: BAD });
    await loop.app.api('POST', `/api/visits/${planned.id}/review`, { reviewerId: 'sup1', verdict: 'unqualified' });
    expect((await visit(planned.id)).escalation).toMatchObject({ round: 1, handleBy: '2026-11-27T02:10:05.000Z' });
    loop.clock.advance(12 * 3_600_000);
    expect(await loop.job('reminders')).toMatchObject({ handlersReminded: 1 });
    expect(await loop.job('reminders')).toMatchObject({ handlersReminded: 0 });
    loop.clock.advance(12 * 3_600_000);
    expect(await loop.job('overdue')).toMatchObject({ handlingOverdue: 1 });
    await loop.dispatch();
    expect(cardsTo('wangjingli').join()).toContain('处理时限过半');
    expect(cardsTo('lizhuguan').join()).toContain('处理超时');

    await loop.app.api('POST', `/api/visits/${planned.id}/handle`, { handlerId: 'mgr1', opinion: '已返修' });
    expect((await visit(planned.id)).status).toBe('handled');
    loop.clock.advance(72 * 3_600_000);
    expect(await loop.job('overdue')).toMatchObject({ closed: 1 });
    expect(await visit(planned.id)).toMatchObject({ status: 'closed', closedAs: 'handled' });
  });

  it('D1: a household repair is visited from its completion to 7 days after; repair works a month on', async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const [repair] = await complete({ ...HOUSEHOLD_REPAIR, id: 'WO-D1', completedAt: '2026-11-26T07:10:00Z' });
    expect(repair).toMatchObject({ status: 'due', dueFrom: '2026-11-26T07:10:00.000Z', dueBy: '2026-12-03T15:59:59.999Z' });
    const [works] = await complete({ ...HOUSEHOLD_REPAIR, kind: 'repair_works', id: 'WO-D1W', completedAt: '2026-11-26T07:10:00Z' });
    expect(works).toMatchObject({ status: 'planned', dueFrom: '2026-12-25T16:00:00.000Z', dueBy: '2027-01-26T15:59:59.999Z' });
  });
});
