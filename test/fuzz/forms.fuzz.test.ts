import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUSEHOLD_REPAIR, workOrderEvent } from '../support/app';
import { contentType, FUZZ_TIMEOUT_MS, fuzzParameters, hostileText, probe, useFuzzApp } from './fuzz-support';

/** The names the survey and the staff form read, and any others. */
const FIELDS = ['quality', 'effect', 'satisfaction', 'solved', 'resolved', 'suggestions', 'shortcomings', 'step', 'method', 'verdict', 'opinion', 'notes'];

/** A form body: known names with any values (repeated names too), or any text. */
const formBody = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), hostileText(10)), fc.oneof(fc.constantFrom('1', '2', '3', '4', '5', '0', '-1', 'yes', 'no', 'record', 'review', 'handle', 'phone', 'ok', 'unqualified', ''), hostileText(300))), { maxLength: 10 }).map((pairs) => new URLSearchParams(pairs).toString()) },
  { weight: 1, arbitrary: hostileText(600) },
);

describe('fuzz: the survey page and the staff form', () => {
  const fuzz = useFuzzApp();
  /** Tokens of real visits: a resident's survey, a visitor's record form. */
  const tokens: string[] = [];

  beforeAll(async () => {
    const survey = await fuzz.app.sendEvent(workOrderEvent('completed', { ...HOUSEHOLD_REPAIR, id: 'WO-FZ-SURVEY' }));
    const complaint = await fuzz.app.sendEvent(workOrderEvent('completed', { id: 'WO-FZ-FORM' }));
    expect([survey.status, complaint.status]).toEqual([202, 202]);
    const now = fuzz.app.clock.now();
    const links = fuzz.app.server.links;
    for (const visit of [...survey.body.visits, ...complaint.body.visits]) {
      tokens.push(links.issue({ visitId: visit.id, purpose: 'survey' }, now));
      for (const staffId of visit.assignees) tokens.push(links.issue({ visitId: visit.id, purpose: 'record', staffId }, now));
    }
    tokens.push(links.issue({ visitId: 999_999, purpose: 'survey' }, now), links.issue({ visitId: survey.body.visits[0].id, purpose: 'weekly', officeId: 'office-1', week: '2026-W48' }, now));
  });

  /** A token: a real one, one changed by a character, or anything at all. */
  const token = () =>
    fc.oneof(
      fc.constantFrom(...tokens),
      fc.tuple(fc.constantFrom(...tokens), fc.nat(), fc.constantFrom('A', '_', '.', '%', '-')).map(([t, i, c]) => t.slice(0, i % t.length) + c + t.slice((i % t.length) + 1)),
      hostileText(200),
    );

  it(
    'any token, any form: a page, never a 5xx, a trace or a token in it; a refused answer stores nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('/s/', '/f/', '/r/weekly/'), token(), fc.constantFrom('GET', 'POST'), formBody, fc.oneof(fc.constant('application/x-www-form-urlencoded'), contentType), async (prefix, t, method, body, type) => {
          const path = `${prefix}${encodeURIComponent(t)}`;
          const context = `${method} ${path.slice(0, 120)} ${body.slice(0, 200)}`;
          // The page may link to itself (its form posts back to its own path); no other token may
          // show, and the log shows none.
          await probe(fuzz, path, { method, headers: { 'content-type': type }, body }, context, tokens.filter((other) => other !== t), [...tokens, t]);
        }),
        fuzzParameters(100),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
