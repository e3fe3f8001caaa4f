import { describe, expect, it } from 'vitest';
import { VisitAssignee } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { campaignBody, importCustomers, stored, visitsOf } from './support';

let app: TestApp;
// Thursday 2026-12-03 10:00 in Shanghai. Calls on weekdays only, never before 09:00 (quiet hours 21:00–09:00).
useAppWithOffice1(
  { now: '2026-12-03T02:00:00Z', office: { policy: { quietHours: { from: '21:00', to: '09:00' }, workingHours: { start: '08:00', end: '22:00', weekdays: [1, 2, 3, 4, 5] } } } },
  (started) => (app = started),
);

const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('POST /api/campaigns', () => {
  it('plans one call per customer, spread evenly over the callers and the working days, never in quiet hours', async () => {
    await importCustomers(app, 23);
    await importCustomers(app, 3, 'B类', 100);
    const res = await app.api('POST', '/api/campaigns', campaignBody());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^camp-/), visits: 23 });

    const visits = await visitsOf(app, res.body.id);
    expect(visits).toHaveLength(23);
    expect(new Set(visits.map((v) => v.customerId)).size).toBe(23);
    expect(visits.every((v) => v.kind === 'campaign' && v.campaignId === res.body.id)).toBe(true);
    // Five working days (Thu, Fri, Mon, Tue, Wed): the weekend has no call; 23 calls → 4 or 5 a day.
    const perDay = new Map<string, number>();
    for (const v of visits) perDay.set(local(v.opensAt).slice(0, 10), (perDay.get(local(v.opensAt).slice(0, 10)) ?? 0) + 1);
    expect([...perDay.keys()].sort()).toEqual(['2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-09']);
    expect(Math.max(...perDay.values()) - Math.min(...perDay.values())).toBeLessThanOrEqual(1);
    // The window is the day's callable hours: 09:00 (quiet hours' end) to 21:00 (their start).
    for (const v of visits) {
      expect(local(v.opensAt).slice(11)).toBe('09:00');
      expect(local(v.closesAt).slice(11)).toBe('21:00');
    }
    // Today's calls opened already (due); the others wait for their day.
    expect(visits.filter((v) => v.status === 'due')).toHaveLength(perDay.get('2026-12-03')!);

    const callers = await app.db.getRepository(VisitAssignee).findBy({ officeId: 'office-1' });
    const counts = { sp1: callers.filter((c) => c.staffId === 'sp1').length, sp2: callers.filter((c) => c.staffId === 'sp2').length };
    expect(counts).toEqual({ sp1: 12, sp2: 11 });

    const campaign = await app.api('GET', `/api/campaigns/${res.body.id}`);
    expect(campaign.status).toBe(200);
    expect(campaign.body).toMatchObject({
      id: res.body.id,
      name: '十二月老客户回访',
      startsOn: '2026-12-03',
      endsOn: '2026-12-09',
      methods: ['phone', 'chat', 'email'],
      visits: { total: 23, byStatus: { due: perDay.get('2026-12-03'), planned: 23 - perDay.get('2026-12-03')! } },
    });
    expect(campaign.body.visits.byCaller).toEqual([
      expect.objectContaining({ staffId: 'sp1', name: '赵专员', total: 12 }),
      expect.objectContaining({ staffId: 'sp2', name: '钱专员', total: 11 }),
    ]);
    const visit = await app.api('GET', `/api/visits/${visits[0].id}`);
    expect(visit.body.history.map((h: { action: string }) => h.action)).toEqual(['planned']);
  });

  it('takes a list of customer ids and the methods given', async () => {
    const ids = await importCustomers(app, 5);
    const res = await app.api('POST', '/api/campaigns', campaignBody({ customers: { ids: ids.slice(0, 2) }, staff: ['sp1'], methods: ['chat', 'phone'] }));
    expect(res.status).toBe(201);
    expect(res.body.visits).toBe(2);
    expect((await app.api('GET', `/api/campaigns/${res.body.id}`)).body.methods).toEqual(['chat', 'phone']);
  });

  it('writes a large campaign in bulk, past one statement of rows, with every call its caller and history', async () => {
    await importCustomers(app, 1234);
    const res = await app.api('POST', '/api/campaigns', campaignBody({ staff: ['sp1', 'sp2', 'sup1'] }));
    expect(res.body.visits).toBe(1234);
    const campaign = (await app.api('GET', `/api/campaigns/${res.body.id}`)).body;
    expect(campaign.visits.byCaller.map((c: { total: number }) => c.total)).toEqual([412, 411, 411]);
    const [history] = (await app.db.query('SELECT COUNT(*) AS n FROM visit_history WHERE action = ?', ['planned'])) as Array<{ n: unknown }>;
    expect(Number(history.n)).toBe(1234);
    const [workload] = (await app.db.query('SELECT openVisits FROM staff_workloads WHERE staffId = ?', ['sup1'])) as Array<{ openVisits: unknown }>;
    expect(Number(workload.openVisits)).toBe(411);
  });

  it('answers 404 for an unknown campaign', async () => {
    expect((await app.api('GET', '/api/campaigns/camp-nope')).status).toBe(404);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown office', { officeId: 'office-9' }, 'officeId'],
    ['a category with no customer', { customers: { category: 'Z类' } }, 'customers.category'],
    ['an empty list of customers', { customers: { ids: [] } }, 'customers.ids'],
    ['unknown customer ids', { customers: { ids: [999999] } }, 'customers.ids'],
    ['no selection at all', { customers: {} }, 'customers'],
    ['no callers', { staff: [] }, 'staff'],
    ['an unknown caller', { staff: ['sp1', 'nobody'] }, 'staff.1'],
    ['a range that ends in the past', { from: '2026-11-20', to: '2026-12-02' }, 'to'],
    ['from after to', { from: '2026-12-09', to: '2026-12-03' }, 'to'],
    ['a range with no working day', { from: '2026-12-05', to: '2026-12-06' }, 'to'],
    ['a date that is none', { from: '2026-02-30' }, 'from'],
    ['two questions with one key', { questions: [{ key: 'a', text: 'x', type: 'text' }, { key: 'a', text: 'y', type: 'text' }] }, 'questions.1.key'],
    ['a choice without options', { questions: [{ key: 'a', text: 'x', type: 'choice' }] }, 'questions.0.options'],
    ['an unknown question type', { questions: [{ key: 'a', text: 'x', type: 'slider' }] }, 'questions.0.type'],
    ['a question keyed like a field of the record', { questions: [{ key: 'needs', text: 'x', type: 'text' }] }, 'questions.0.key'],
    ['an unknown purpose', { purposes: ['image', 'fun'] }, 'purposes.1'],
    ['no purpose', { purposes: [] }, 'purposes'],
    ['an unknown method', { methods: ['phone', 'fax'] }, 'methods.1'],
  ];
  it.each(bad)('refuses %s with a 400 naming the field, storing nothing', async (_what, patch, field) => {
    await importCustomers(app, 3);
    const res = await app.api('POST', '/api/campaigns', campaignBody(patch));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await stored(app)).toEqual({ campaigns: 0, visits: 0 });
  });

  it('refuses a caller of another office', async () => {
    expect((await app.api('PUT', '/api/offices/office-2', { name: '二号', staff: [{ id: 'sp9', name: '孙专员', roles: ['specialist'] }] })).status).toBe(201);
    await importCustomers(app, 2);
    const res = await app.api('POST', '/api/campaigns', campaignBody({ staff: ['sp9'] }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ field: 'staff.0' })]);
    expect(await stored(app)).toEqual({ campaigns: 0, visits: 0 });
  });
});
