import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobName } from '../../src/jobs/job';
import { emptyAllTables } from '../support/database';
import { insertOffice, seedQuarter } from './quarter-fixture';
import { ReportsApp, startReportsApp } from './reports-app';

const AFTER_Q4 = '2027-01-05T02:00:00Z';
const Q4 = { officeId: 'office-1', quarter: '2026-Q4' };

describe("the supervisor's review and the manager's decision on a quarter's statistics", () => {
  let app: ReportsApp;
  beforeAll(async () => {
    app = await startReportsApp({ now: AFTER_Q4 });
  });
  afterAll(async () => app.close());
  beforeEach(async () => {
    app.clock.set(AFTER_Q4);
    await emptyAllTables(app.db);
    await insertOffice(app.db);
    await seedQuarter(app.db);
  });

  const review = (body: Record<string, unknown>) => app.api('POST', '/api/stats/quarterly/review', { body: { ...Q4, ...body } });
  const decide = (body: Record<string, unknown>) => app.api('POST', '/api/stats/quarterly/decision', { body: { ...Q4, ...body } });
  const stats = () => app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');

  it('records the review and the decision and shows them with the statistics', async () => {
    const reviewed = await review({ reviewerId: 'sup1', opinion: '维修按时率偏低，需加强。' });
    expect(reviewed.status).toBe(201);
    app.clock.set('2027-01-06T02:00:00Z');
    const decided = await decide({ managerId: 'mgr1', decision: 'corrective_action', note: '启动纠正预防控制程序' });
    expect(decided.status).toBe(201);
    const res = await stats();
    expect(res.body.review).toEqual({ reviewerId: 'sup1', opinion: '维修按时率偏低，需加强。', at: '2027-01-05T02:00:00.000Z' });
    expect(res.body.decision).toEqual({ managerId: 'mgr1', decision: 'corrective_action', note: '启动纠正预防控制程序', at: '2027-01-06T02:00:00.000Z' });
  });

  it('keeps every entry: a second review supersedes the first, both stay in the history', async () => {
    await review({ reviewerId: 'sup1', opinion: '初审' });
    app.clock.set('2027-01-05T03:00:00Z');
    await review({ reviewerId: 'sup1', opinion: '复审' });
    const res = await stats();
    expect(res.body.review.opinion).toBe('复审');
    expect(res.body.reviewHistory.map((e: { opinion: string }) => e.opinion)).toEqual(['初审', '复审']);
  });

  it('refuses a reviewer who is not a supervisor and a decider who is not the manager with 403', async () => {
    expect((await review({ reviewerId: 'sp1', opinion: '好' })).status).toBe(403);
    expect((await review({ reviewerId: 'nobody', opinion: '好' })).status).toBe(403);
    await review({ reviewerId: 'sup1', opinion: '好' });
    const wrong = await decide({ managerId: 'sup1', decision: 'no_action' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('forbidden');
    expect((await stats()).body.decision).toBeNull();
  });

  it('wants a review before a decision, and the quarter over before either', async () => {
    const early = await decide({ managerId: 'mgr1', decision: 'no_action' });
    expect([early.status, early.body.error.code]).toEqual([409, 'review_missing']);
    app.clock.set('2026-12-31T15:00:00Z'); // 23:00 on the quarter's last day, local
    const running = await review({ reviewerId: 'sup1', opinion: '好' });
    expect([running.status, running.body.error.code]).toEqual([409, 'quarter_not_ended']);
  });

  it('names the bad fields in a 400', async () => {
    const res = await decide({ managerId: 'mgr1', decision: 'fire_everyone', quarter: 'Q4' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['decision', 'quarter']);
    const empty = await review({ reviewerId: 'sup1', opinion: '   ' });
    expect(empty.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['opinion']);
  });

  it('still takes the review and decision once the quarter is archived', async () => {
    app.clock.set('2027-01-09T16:00:00Z'); // 10 January 00:00 local: the lock
    expect(await app.runJob(JobName.Archive)).toMatchObject({ locked: 1 });
    expect((await stats()).body.archive).toEqual({ lockedAt: '2027-01-09T16:00:00.000Z', anonymisedAt: null });
    expect((await review({ reviewerId: 'sup1', opinion: '归档后审核' })).status).toBe(201);
    expect((await decide({ managerId: 'mgr1', decision: 'nonconformity' })).status).toBe(201);
    expect((await stats()).body.decision.decision).toBe('nonconformity');
  });
});
