import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/app';
import { rawRequest } from '../support/raw-http';
import { ConsoleClient } from './client';
import { ConsoleWorld, startConsoleWorld } from './world';

const ids = (html: string) => [...html.matchAll(/<tr data-visit="(\d+)"/g)].map((m) => Number(m[1]));

describe('/console/visits and /console/visits/:id — scoped lists, one visit, review and assignment through the lifecycle', () => {
  let world: ConsoleWorld;
  let supervisor: ConsoleClient;
  let manager: ConsoleClient;
  let deptHead: ConsoleClient;
  let otherSupervisor: ConsoleClient;
  let admin: ConsoleClient;
  let v: ConsoleWorld['visits'];
  const visit = async (id: number) => (await world.app.api('GET', `/api/visits/${id}`)).body;
  beforeAll(async () => {
    world = await startConsoleWorld();
    v = world.visits;
    [supervisor, manager, deptHead, otherSupervisor] = await Promise.all(['lizhuguan', 'wangjingli', 'sungong', 'zhouzhuguan'].map((u) => world.wecomSignIn(u)));
    admin = world.client();
    await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
  });
  afterAll(async () => world?.close());

  it("lists the supervisor's office, newest first, filtered by status, kind and visitor", async () => {
    expect(ids((await supervisor.get('/console/visits')).text)).toEqual([v.escalated, v.toReview, v.overdue]);
    expect(ids((await supervisor.get('/console/visits?status=overdue')).text)).toEqual([v.overdue]);
    expect(ids((await supervisor.get('/console/visits?kind=complaint&visitor=eng1')).text)).toEqual([v.overdue]);
    expect(ids((await supervisor.get('/console/visits?kind=repair')).text)).toEqual([]);
    expect(ids((await supervisor.get('/console/visits?page=2')).text)).toEqual([]);
  });

  it('filters by unit and by the local days the window closes on', async () => {
    expect(ids((await supervisor.get('/console/visits?unit=B3-1202')).text)).toEqual([v.overdue]);
    const due = DateTime.fromISO((await visit(v.overdue)).dueBy, { zone: 'Asia/Shanghai' });
    const day = (d: DateTime) => d.toISODate()!;
    expect(ids((await supervisor.get(`/console/visits?dueFrom=${day(due)}&dueTo=${day(due)}`)).text)).toContain(v.overdue);
    expect(ids((await supervisor.get(`/console/visits?dueFrom=${day(due.plus({ days: 1 }))}`)).text)).not.toContain(v.overdue);
    expect(ids((await supervisor.get(`/console/visits?dueTo=${day(due.minus({ days: 1 }))}`)).text)).not.toContain(v.overdue);
  });

  it('a filter value that is not a choice answers 400 naming it — another office\'s staff member included', async () => {
    for (const [query, field] of [['status=lost', 'status'], ['kind=pizza', 'kind'], ['page=0', 'page'], ['visitor=sp9', 'visitor'], ['dueFrom=2026-13-40', 'dueFrom'], ['dueTo=tomorrow', 'dueTo'], [`unit=${'x'.repeat(65)}`, 'unit']]) {
      const res = await supervisor.get(`/console/visits?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text).toContain(`${field}：`);
      expect(ids(res.text)).toEqual([]);
    }
  });

  it("another office's list and visits are 404s; a department head lists only the visits they carry out", async () => {
    expect((await supervisor.get('/console/visits?office=office-2')).status).toBe(404);
    expect((await otherSupervisor.get('/console/visits?office=office-1')).status).toBe(404);
    expect(ids((await otherSupervisor.get('/console/visits')).text)).toEqual([v.office2]);
    const own = await deptHead.get('/console/visits');
    expect(ids(own.text)).toEqual([v.overdue]);
    expect(own.text).not.toContain('name="visitor"');
    expect(ids((await deptHead.get('/console/visits?visitor=mgr1')).text)).toEqual([]);
    for (const [who, id] of [[otherSupervisor, v.toReview], [supervisor, v.office2], [deptHead, v.toReview], [supervisor, 999999]] as const) {
      const res = await who.get(`/console/visits/${id}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('data-section="history"');
    }
    expect((await supervisor.get('/console/visits/abc')).status).toBe(404);
  });

  it('one visit shows its record and history; only its office\'s supervisor is offered the review', async () => {
    const page = await supervisor.get(`/console/visits/${v.toReview}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>物业费争议</h1>');
    expect(page.text).toContain('data-section="history"');
    expect(page.text).toContain(`action="/console/visits/${v.toReview}/review"`);
    expect((await manager.get(`/console/visits/${v.toReview}`)).text).not.toContain('data-section="review"');
    expect((await admin.get(`/console/visits/${v.toReview}`)).text).not.toContain('data-section="review"');
  });

  it('a review from anyone but the supervisor is refused and changes nothing; the supervisor\'s goes through the lifecycle', async () => {
    expect((await manager.post(`/console/visits/${v.toReview}/review`, { verdict: 'ok' })).status).toBe(403);
    expect((await admin.post(`/console/visits/${v.toReview}/review`, { verdict: 'ok' })).status).toBe(403);
    expect((await otherSupervisor.post(`/console/visits/${v.toReview}/review`, { verdict: 'ok' })).status).toBe(404);
    expect((await deptHead.post(`/console/visits/${v.overdue}/review`, { verdict: 'ok' })).status).toBe(403);
    expect((await world.client().post(`/console/visits/${v.toReview}/review`, { verdict: 'ok' })).location).toBe('/console/sign-in');
    const missing = await supervisor.post(`/console/visits/${v.toReview}/review`, { opinion: '好' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('verdict：');
    expect((await visit(v.toReview)).status).toBe('recorded');

    // From another site's page (a same-site sibling could still send the cookie): refused.
    const crossSite = await rawRequest(world.app.server.url, {
      method: 'POST',
      path: `/console/visits/${v.toReview}/review`,
      headers: { cookie: supervisor.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.hf.test' },
      body: 'verdict=ok',
    });
    expect(crossSite.status, String(crossSite.headers.location)).toBe(403);
    expect((await visit(v.toReview)).status).toBe('recorded');

    const done = await supervisor.post(`/console/visits/${v.toReview}/review`, { verdict: 'ok', opinion: '记录完整' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/console/visits/${v.toReview}`);
    const after = await visit(v.toReview);
    expect(after.status).toBe('reviewed');
    expect(after.review).toMatchObject({ reviewerId: 'sup1', opinion: '记录完整' });
    expect(after.history.at(-1)).toMatchObject({ actor: 'sup1', action: 'reviewed' });
    expect((await supervisor.post(`/console/visits/${v.toReview}/review`, { verdict: 'ok' })).status).toBe(403);
  });

  it('the supervisor replaces the visitors of an open visit; an unknown or other office\'s person is a 400 and changes nothing', async () => {
    const before = (await visit(v.overdue)).assignees;
    const foreign = await supervisor.post(`/console/visits/${v.overdue}/assign`, { staffId: 'sp9' });
    expect(foreign.status).toBe(400);
    expect(foreign.text).toContain('staffId：');
    expect((await supervisor.post(`/console/visits/${v.overdue}/assign`, {})).status).toBe(400);
    expect((await manager.post(`/console/visits/${v.overdue}/assign`, { staffId: 'sp2' })).status).toBe(403);
    expect((await visit(v.overdue)).assignees).toEqual(before);

    const body = new URLSearchParams([['staffId', 'sp2'], ['staffId', 'eng1']]).toString();
    const res = await fetch(`${world.app.server.url}/console/visits/${v.overdue}/assign`, {
      method: 'POST',
      headers: { cookie: supervisor.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const after = await visit(v.overdue);
    expect(after.assignees.map((a: { staffId: string }) => a.staffId).sort()).toEqual(['eng1', 'sp2']);
    expect((await supervisor.get(`/console/visits/${v.overdue}`)).text).toMatch(/data-visitors="true">(钱专员、孙工|孙工、钱专员)</);
  });
});
