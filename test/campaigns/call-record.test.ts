import { beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage, Visit, WorkOrder } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { campaignBody, importCustomers, visitsOf } from './support';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2026-12-03T02:00:00Z'));

/** A one-day campaign of two customers, both called by sp1 today: the first call's visit. */
async function todaysCall(): Promise<Visit> {
  await importCustomers(app, 2);
  const res = await app.api('POST', '/api/campaigns', campaignBody({ from: '2026-12-03', to: '2026-12-03', staff: ['sp1'] }));
  expect(res.status).toBe(201);
  const [visit] = await visitsOf(app, res.body.id);
  expect(visit.status).toBe('due');
  return visit;
}

const REACHED = {
  staffId: 'sp1',
  method: 'phone',
  reached: true,
  answers: { satisfaction: 4, channel: '展会', remark: '希望多来电' },
  needs: '明年要两台挖掘机',
  opinions: { presale: '介绍清楚', sale: '交货慢', aftersale: '维修及时' },
  complaints: '上次交货晚了两周，影响工期',
  inquiryValid: true,
  followUp: '下周发报价',
};

describe('a campaign call record (POST /api/visits/:id/record)', () => {
  it('records the answers to the campaign questions and the call record in the visit details', async () => {
    const visit = await todaysCall();
    const res = await app.api('POST', `/api/visits/${visit.id}/record`, REACHED);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'recorded', method: 'phone', recordedBy: 'sp1', answers: expect.objectContaining({ satisfaction: 4 }) });
    expect(res.body.details).toEqual({
      attempts: 0,
      lastAttemptMethod: null,
      satisfaction: 4,
      channel: '展会',
      remark: '希望多来电',
      reached: true,
      needs: '明年要两台挖掘机',
      opinions: { presale: '介绍清楚', sale: '交货慢', aftersale: '维修及时' },
      complaints: '上次交货晚了两周，影响工期',
      inquiryValid: true,
      followUp: '下周发报价',
    });
    expect(res.body.history.map((h: { action: string }) => h.action)).toEqual(['planned', 'recorded']);
    // A second record is refused: the first stands.
    expect((await app.api('POST', `/api/visits/${visit.id}/record`, REACHED)).status).toBe(409);
  });

  it('counts a call that did not reach the customer as an attempt: the visit stays open for the next try', async () => {
    const visit = await todaysCall();
    const first = await app.api('POST', `/api/visits/${visit.id}/record`, { staffId: 'sp1', method: 'phone', reached: false });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'in_progress', recordedAt: null, details: { attempts: 1, lastAttemptMethod: 'phone' } });
    const second = await app.api('POST', `/api/visits/${visit.id}/record`, { staffId: 'sp1', method: 'chat', reached: false });
    expect(second.body.details).toMatchObject({ attempts: 2, lastAttemptMethod: 'chat' });
    const done = await app.api('POST', `/api/visits/${visit.id}/record`, { ...REACHED, method: 'email' });
    expect(done.body).toMatchObject({ status: 'recorded', method: 'email', details: { attempts: 2, reached: true } });
    expect(done.body.history.map((h: { action: string; details: any }) => [h.action, h.details?.attempt ?? null])).toEqual([
      ['planned', null],
      ['call_attempt', 1],
      ['call_attempt', 2],
      ['recorded', null],
    ]);
  });

  it('marks a call not recorded on its day overdue, still recordable (late), without a card per call to the supervisor', async () => {
    const visit = await todaysCall();
    app.clock.set('2026-12-03T13:30:00Z'); // 21:30 in Shanghai: the day's callable hours are over
    expect((await app.api('POST', '/api/jobs/overdue/run')).status).toBe(200);
    expect(await app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).toMatchObject({ status: 'overdue' });
    expect(await app.db.getRepository(OutboundMessage).countBy({ recipientId: 'sup1' })).toBe(0);
    app.clock.set('2026-12-04T02:00:00Z');
    const late = await app.api('POST', `/api/visits/${visit.id}/record`, REACHED);
    expect(late.body).toMatchObject({ status: 'recorded', late: true });
  });

  it.each([
    ['an unknown answer key', { answers: { ...REACHED.answers, colour: 'red' } }, 'answers.colour'],
    ['a rating out of 1–5', { answers: { ...REACHED.answers, satisfaction: 7 } }, 'answers.satisfaction'],
    ['a choice not among the options', { answers: { ...REACHED.answers, channel: '电视' } }, 'answers.channel'],
    ['a text answer that is a number', { answers: { ...REACHED.answers, remark: 3 } }, 'answers.remark'],
    ['a rating left out', { answers: { channel: '网站' } }, 'answers.satisfaction'],
    ['a method the campaign does not use', { method: 'onsite' }, 'method'],
    ['no word on whether the customer was reached', { reached: undefined }, 'reached'],
    ['inquiryValid that is no boolean', { inquiryValid: 'yes' }, 'inquiryValid'],
  ])('refuses %s with a 400 naming the field, recording nothing', async (_what, patch, field) => {
    const visit = await todaysCall();
    const res = await app.api('POST', `/api/visits/${visit.id}/record`, { ...REACHED, ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).toMatchObject({ status: 'due', recordedAt: null, details: null });
  });

  it('refuses the visit form answers on a campaign call, and a caller not assigned to it', async () => {
    const visit = await todaysCall();
    expect((await app.api('POST', `/api/visits/${visit.id}/record`, { ...REACHED, staffId: 'sp2' })).status).toBe(403);
  });

  it('turns a complaint heard on the call into a complaint work order with its own follow-up visit', async () => {
    const visit = await todaysCall();
    expect((await app.api('POST', `/api/visits/${visit.id}/complaint`, { staffId: 'sp1', severity: 'general', department: 'engineering' })).status).toBe(409);
    await app.api('POST', `/api/visits/${visit.id}/record`, REACHED);
    const res = await app.api('POST', `/api/visits/${visit.id}/complaint`, { staffId: 'sp1', severity: 'general', department: 'engineering' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ workOrderId: `CALL-${visit.id}`, status: 'accepted', visits: [expect.objectContaining({ kind: 'complaint', assignees: expect.arrayContaining(['eng1']) })] });
    const order = await app.db.getRepository(WorkOrder).findOneByOrFail({ id: `CALL-${visit.id}` });
    expect(order).toMatchObject({ kind: 'complaint', severity: 'general', department: 'engineering', residentId: `customer-${visit.customerId}` });
    const again = await app.api('POST', `/api/visits/${visit.id}/complaint`, { staffId: 'sp1', severity: 'general', department: 'engineering' });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    const call = await app.api('GET', `/api/visits/${visit.id}`);
    expect(call.body.history.filter((h: { action: string }) => h.action === 'complaint_filed')).toHaveLength(1);
    expect((await app.api('POST', `/api/visits/${visit.id}/complaint`, { staffId: 'sp2', severity: 'general', department: 'engineering' })).status).toBe(403);
  });

  it("notes the complaint on the call when the filing is repeated after the note was lost, and only once", async () => {
    const visit = await todaysCall();
    await app.api('POST', `/api/visits/${visit.id}/record`, REACHED);
    const file = () => app.api('POST', `/api/visits/${visit.id}/complaint`, { staffId: 'sp1', severity: 'major', department: 'engineering' });
    expect((await file()).status).toBe(201);
    // As if the process had stopped after the work order was stored and before the call's note.
    await app.db.query(`DELETE FROM visit_history WHERE visitId = ? AND action = 'complaint_filed'`, [visit.id]);
    const notes = async () => (await app.api('GET', `/api/visits/${visit.id}`)).body.history.filter((h: { action: string }) => h.action === 'complaint_filed');
    expect(await notes()).toHaveLength(0);
    expect(await file()).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await notes()).toEqual([expect.objectContaining({ actor: 'sp1', details: expect.objectContaining({ workOrderId: `CALL-${visit.id}`, severity: 'major' }) })]);
    expect((await file()).body.status).toBe('duplicate');
    expect(await notes()).toHaveLength(1);
  });
});
