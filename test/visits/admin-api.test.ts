import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';

describe('the admin API for offices and visits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-26T07:00:05Z' });
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    for (let i = 1; i <= 5; i++) {
      await app.sendEvent(workOrderEvent('completed', { id: `WO-${i}`, kind: i % 2 ? 'help' : 'complaint', severity: i % 2 ? null : 'major' }));
    }
  });
  afterAll(async () => app.close());

  it('refuses calls without the bearer token, or with a wrong one', async () => {
    const none = await app.api('GET', '/api/visits', undefined, { authorization: '' });
    const wrong = await app.api('GET', '/api/visits', undefined, { authorization: 'Bearer nope' });
    expect([none.status, wrong.status]).toEqual([401, 401]);
    expect(none.body.error.code).toBe('unauthorized');
  });

  it('creates an office with 201, replaces it with 200, and keeps removed staff as inactive', async () => {
    const created = await app.api('PUT', '/api/offices/office-2', { name: '二号', timeZone: 'Europe/Berlin', staff: [{ id: 'a', name: '甲', roles: ['specialist'] }] });
    expect(created.status).toBe(201);
    const replaced = await app.api('PUT', '/api/offices/office-2', { name: '二号', staff: [{ id: 'b', name: '乙', roles: ['supervisor'] }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.timeZone).toBe('Europe/Berlin');
    expect(replaced.body.staff.map((s: { id: string; active: boolean }) => [s.id, s.active])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('names each bad field of an office', async () => {
    const res = await app.api('PUT', '/api/offices/office-3', {
      name: '',
      timeZone: 'Nowhere/City',
      staff: [{ id: 'x', name: 'X', roles: ['janitor'] }],
      rateTargets: { repair: 1.5 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'name',
      'rateTargets.repair',
      'staff.0.roles.0',
      'timeZone',
    ]);
    expect((await app.api('GET', '/api/offices/office-3')).status).toBe(404);
  });

  it('lists visits by filters in cursor pages', async () => {
    const page1 = await app.api('GET', '/api/visits?officeId=office-1&limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.visits.map((v: { workOrderId: string }) => v.workOrderId)).toEqual(['WO-1', 'WO-2']);
    const page2 = await app.api('GET', `/api/visits?officeId=office-1&limit=2&cursor=${page1.body.nextCursor}`);
    const page3 = await app.api('GET', `/api/visits?officeId=office-1&limit=2&cursor=${page2.body.nextCursor}`);
    expect(page2.body.visits.map((v: { workOrderId: string }) => v.workOrderId)).toEqual(['WO-3', 'WO-4']);
    expect(page3.body.visits.map((v: { workOrderId: string }) => v.workOrderId)).toEqual(['WO-5']);
    expect(page3.body.nextCursor).toBeNull();
    const complaints = await app.api('GET', '/api/visits?kind=complaint&status=due,planned');
    expect(complaints.body.visits.map((v: { workOrderId: string }) => v.workOrderId)).toEqual(['WO-2', 'WO-4']);
    const none = await app.api('GET', '/api/visits?from=2026-12-01T00:00:00Z');
    expect(none.body.visits).toEqual([]);
  });

  it('refuses bad filters with 400 naming them', async () => {
    const res = await app.api('GET', '/api/visits?status=lost&from=tomorrow&limit=5000');
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['from', 'limit', 'status']);
  });

  it('shows one visit with its assignees and whole history', async () => {
    const list = await app.api('GET', '/api/visits?kind=complaint&limit=1');
    const visit = await app.api('GET', `/api/visits/${list.body.visits[0].id}`);
    expect(visit.status).toBe(200);
    expect(visit.body).toMatchObject({
      kind: 'complaint',
      status: 'due',
      assignees: [{ staffId: 'mgr1', role: 'manager' }],
      answers: { quality: null, effect: null, satisfaction: null, shortcomings: [] },
      late: false,
    });
    expect(visit.body.history).toEqual([
      expect.objectContaining({ actor: 'system', action: 'planned', at: '2026-11-26T07:00:05.000Z' }),
    ]);
    expect((await app.api('GET', '/api/visits/99999')).status).toBe(404);
  });
});
