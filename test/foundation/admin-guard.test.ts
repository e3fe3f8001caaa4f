import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../entities';
import { ADMIN_TOKEN, OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';
import { rawRequest } from '../support/raw-http';

/** A value for each route parameter, so that a handler reached would find something to act on. */
const PARAMS: Record<string, string> = { id: '1', name: 'dispatch', quarter: '2026-Q4', officeId: 'office-1' };

/** Every way of writing `path` that a router or a proxy might take for it. */
function spellings(path: string): string[] {
  const rest = path.slice('/api'.length);
  return [
    path,
    path.toUpperCase(),
    `/API${rest}`,
    `/Api${rest}`,
    `/aPi${rest.toUpperCase()}`,
    `${path}/`,
    `/API${rest}/`,
    `${path}?x=1`,
    `//api${rest}`,
    `///API${rest}`,
    `/api/${rest}`,
    `/\\api${rest}`,
    `/api/../api${rest}`,
    `/./api${rest}`,
    `/x/../api${rest}`,
    `/%61pi${rest}`,
    `/%41PI${rest}`,
    `/a%70i${rest}`,
    `/%2561pi${rest}`,
    `/api%2F${rest.slice(1)}`,
    `/api%2f${rest.slice(1)}`,
    `/%2Fapi${rest}`,
  ];
}

/** A body every admin route would act on if it were reached. */
const BODY = JSON.stringify({ ...OFFICE_1, staffId: 'sp1', by: 'sup1', ids: [1], officeId: 'office-1', quarter: '2026-Q4', managerId: 'mgr1' });

describe('the admin API without its token', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-26T07:00:05Z' });
    expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
    expect((await app.sendEvent(workOrderEvent('completed'))).status).toBe(202);
  });
  afterAll(async () => app.close());

  /** Everything stored, so that "nothing changed" compares every row of every table. */
  const snapshot = async () => {
    const tables: Record<string, unknown[]> = {};
    for (const entity of ENTITIES) {
      const table = app.db.getMetadata(entity).tableName;
      tables[table] = await app.db.query(`SELECT * FROM ${app.db.driver.escape(table)}`);
    }
    return tables;
  };

  const adminRoutes = () => app.server.routes.filter((r) => /^\/api(\/|$)/i.test(r.path));

  it('finds the admin routes in the routers themselves', () => {
    const paths = adminRoutes().map((r) => r.path);
    expect(paths.length).toBeGreaterThanOrEqual(15);
    expect(paths).toEqual(expect.arrayContaining(['/api/visits', '/api/offices/:officeId', '/api/jobs/:name/run', '/api/stats/quarterly', '/api/visits/:id/confirm']));
  });

  it('answers 401 to every spelling of every /api route, and nothing changes', async () => {
    const before = await snapshot();
    const answers: string[] = [];
    for (const route of adminRoutes()) {
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => PARAMS[name] ?? 'x');
      for (const method of route.methods) {
        for (const spelling of spellings(path)) {
          const body = method === 'GET' || method === 'HEAD' ? undefined : BODY;
          const res = await rawRequest(app.server.url, { method, path: spelling, body, headers: body ? { 'content-type': 'application/json' } : {} });
          if (res.status !== 401) answers.push(`${method} ${spelling} → ${res.status}`);
        }
      }
    }
    expect(answers).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 401 to a missing, empty, wrong or non-bearer token', async () => {
    for (const authorization of ['', 'Bearer', 'Bearer ', 'Bearer wrong', `Bearer ${ADMIN_TOKEN}x`, `Basic ${ADMIN_TOKEN}`, ADMIN_TOKEN]) {
      const res = await rawRequest(app.server.url, { method: 'GET', path: '/API/visits', headers: { authorization } });
      expect([authorization, res.status]).toEqual([authorization, 401]);
    }
  });

  it('still serves the admin API with the token, whatever the case of the path', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await rawRequest(app.server.url, { method: 'GET', path: '/api/visits', headers: auth })).status).toBe(200);
    expect((await rawRequest(app.server.url, { method: 'GET', path: '/API/Visits/', headers: auth })).status).toBe(200);
  });

  it('leaves the public routes public', async () => {
    expect((await rawRequest(app.server.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await rawRequest(app.server.url, { method: 'GET', path: '/s/not-a-token' })).status).toBe(404);
  });
});
