import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobName } from '../../src/jobs/job';
import { ADMIN_TOKEN, OFFICE_1 } from '../support/app';
import {
  anyBody,
  anyJson,
  contentType,
  expectSafeAnswer,
  FUZZ_TIMEOUT_MS,
  fuzzParameters,
  headerValue,
  hostileText,
  isoLikeInstant,
  mutated,
  probe,
  rowCounts,
  send,
  useFuzzApp,
} from './fuzz-support';

/** A path parameter: ids as they are, numbers, job names, quarters, weeks, or anything at all. */
const pathParam = fc.oneof(
  fc.constantFrom('office-1', 'office-2', '1', '0', '-1', '99999999999999999999', 'NaN', '2026-Q4', '0000-Q1', '9999-Q4', 'o'.repeat(65), 'x'.repeat(300), ...Object.values(JobName)),
  fc.integer().map(String),
  hostileText(100),
);

/** A query string over the names the admin API reads, with any values. */
const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('officeId', 'quarter', 'week', 'from', 'to', 'status', 'kind', 'workOrderId', 'cursor', 'limit', 'officeId[]'), hostileText(10)),
      fc.oneof(hostileText(80), isoLikeInstant, fc.constantFrom('office-1', '2026-Q4', '2026-W48', '0000-W01', '9999-W52', 'due,overdue', '-1', '1e9')),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs)}` : ''));

/** A valid body of each route that takes one: the fuzz cases start from it. */
const BASE_BODIES: Record<string, object> = {
  '/api/offices/:officeId': OFFICE_1,
  '/api/visits/:id/record': { staffId: 'sp1', method: 'phone', answers: { quality: 4, effect: 4, opinion: '好' }, notes: null },
  '/api/visits/:id/correct': { staffId: 'sp1', method: 'phone', answers: { quality: 3, effect: 3 }, notes: '改' },
  '/api/visits/:id/confirm': { staffId: 'sup1' },
  '/api/visits/:id/review': { reviewerId: 'sup1', verdict: 'ok', opinion: null },
  '/api/visits/:id/handle': { handlerId: 'mgr1', opinion: '已处理' },
  '/api/visits/:id/assign': { by: 'sup1', assignees: [{ staffId: 'sp2', role: 'specialist' }] },
  '/api/stats/quarterly/review': { officeId: 'office-1', quarter: '2026-Q3', reviewerId: 'sup1', opinion: '同意' },
  '/api/stats/quarterly/decision': { officeId: 'office-1', quarter: '2026-Q3', managerId: 'mgr1', decision: 'no_action', note: null },
  '/api/outbox/retry': { ids: [1, 2, 3] },
};

/** A body for a route: its valid body as it is or changed here and there, or anything else. */
const bodyFor = (path: string) =>
  (BASE_BODIES[path]
    ? fc.oneof(
        { weight: 1, arbitrary: fc.constant<unknown>(BASE_BODIES[path]) },
        { weight: 3, arbitrary: mutated(BASE_BODIES[path]) },
        { weight: 1, arbitrary: anyBody },
      )
    : fc.oneof(anyBody, anyJson)
  ).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));

describe('fuzz: every /api route', () => {
  const fuzz = useFuzzApp();
  const apiRoutes = () => fuzz.app.server.routes.filter((r) => r.path.startsWith('/api/') || r.path === '/api');

  /** A request to one of the routes: its own spelling, its parameters filled in. */
  const request = () =>
    fc.integer({ min: 0, max: 1_000_000 }).chain((pick) => {
      const routes = apiRoutes();
      const route = routes[pick % routes.length];
      const names = route.path.match(/:\w+/g) ?? [];
      return fc.record({
        route: fc.constant(route),
        method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...route.methods.filter((m) => m !== 'HEAD')) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') }),
        params: fc.tuple(...names.map(() => pathParam)),
        query,
        body: bodyFor(route.path),
        type: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
        accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html'),
      });
    });

  const pathOf = (route: { path: string }, params: string[]) => {
    let i = 0;
    return route.path.replace(/:\w+/g, () => encodeURIComponent(params[i++]));
  };

  it('walks every /api route the routers declare', () => {
    const paths = apiRoutes().map((r) => `${r.methods.filter((m) => m !== 'HEAD').join('|')} ${r.path}`);
    expect(paths.length).toBeGreaterThanOrEqual(15);
    expect(paths).toContain('PUT /api/offices/:officeId');
    expect(paths).toContain('GET /api/archives/:officeId/:quarter.xlsx');
  });

  it(
    'with the token: never a 5xx, a trace or a secret; a refused request stores nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(request(), async ({ route, method, params, query, body, type, accept }) => {
          const path = pathOf(route, params);
          const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type, accept };
          await probe(fuzz, `${path}${query}`, { method, headers, body }, `${method} ${path}${query} ${body.slice(0, 200)}`);
        }),
        fuzzParameters(120),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'without the token, or with a wrong one: 401 on every route, nothing stored',
    async () => {
      const authorization = fc.option(fc.oneof(headerValue, headerValue.map((v) => `Bearer ${v}`), fc.constant(`Bearer ${ADMIN_TOKEN.toUpperCase()}`), fc.constant(`Bearer ${ADMIN_TOKEN.slice(0, -1)}`), fc.constant(`Basic ${ADMIN_TOKEN}`), fc.constant(ADMIN_TOKEN)), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(request(), authorization, async ({ route, method, params, query, body, type }, auth) => {
          const path = pathOf(route, params);
          const before = await rowCounts(fuzz.app);
          const headers: Record<string, string> = { 'content-type': type, ...(auth === undefined ? {} : { authorization: auth }) };
          const answer = await send(fuzz.url(`${path}${query}`), { method, headers, body });
          const context = `${method} ${path}${query} authorization=${JSON.stringify(auth)}`;
          expectSafeAnswer(fuzz, answer, context);
          expect(answer.status, context).toBe(401);
          expect(await rowCounts(fuzz.app), context).toEqual(before);
        }),
        fuzzParameters(80),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
