import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InboundEvent } from '../../entities';
import { emptyAllTables } from '../support/database';
import { startTestApp, TestApp } from '../support/app';
import { at, insertOffice, insertVisit, seedQuarter } from '../reports/quarter-fixture';

/** 10 January 2027, 00:00 in Shanghai: 2026-Q4's lock time. */
const LOCK = '2027-01-09T16:00:00Z';

describe('one bad row does not stop a job for the whole office', () => {
  let app: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    const log = pino({ level: 'info', base: undefined }, { write: (line: string) => void logLines.push(line) });
    app = await startTestApp({ now: LOCK, overrides: { log } });
  });
  afterAll(async () => app?.close());
  beforeEach(async () => {
    app.clock.set(LOCK);
    logLines.length = 0;
    await emptyAllTables(app.db);
    await insertOffice(app.db);
    await seedQuarter(app.db);
  });

  /** A visit whose quarter a year-0 instant corrupted, as the webhook used to store them. */
  const insertCorrupted = (quarter: string) =>
    insertVisit(app.db, { workOrderId: `WO-BAD-${quarter}`, kind: 'repair', quarter, opensAt: at('2026-10-05'), closesAt: at('2026-10-08'), assignees: ['sp1'] });

  it.each(['0-Q1', '0000-Q1', '1-Q3', '0001-Q3'])('locks 2026-Q4 and reports the visits of quarter %s as the one item it could not do', async (quarter) => {
    await insertCorrupted(quarter);

    const run = await app.api('POST', '/api/jobs/archive/run');

    expect(run.status).toBe(200);
    expect(run.body.status).toBe('done');
    expect(run.body.result).toMatchObject({ locked: 1, failed: 1 });
    expect(run.body.result.failures).toEqual([{ officeId: 'office-1', step: 'lock', quarter, error: expect.any(String) }]);
    const locked = await app.db.query(`SELECT quarter FROM quarter_archives WHERE officeId = 'office-1'`);
    expect(locked.map((r: { quarter: string }) => r.quarter)).toEqual(['2026-Q4']);
    expect((await app.api('GET', '/api/archives/office-1/2026-Q4.xlsx')).status).toBe(200);

    const failure = logLines.map((l) => JSON.parse(l)).find((l) => l.msg?.startsWith('job item failed'));
    expect(failure).toMatchObject({ job: 'archive', officeId: 'office-1', step: 'lock', quarter });
    // No personal data of the fixture's residents or staff in anything the run logged.
    for (const line of logLines) expect(line).not.toMatch(/李主管|赵专员|钱专员|1380000|张/);

    // The next run reports the bad quarter again (it is still there) and locks nothing twice.
    const again = await app.api('POST', '/api/jobs/archive/run');
    expect(again.body.result).toMatchObject({ locked: 0, failed: 1 });
  });
});

describe('one bad visit does not stop a sweep', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-10-06T02:00:00Z' });
  });
  afterAll(async () => app?.close());

  it('opens the other visits and lists the one it could not open by its id', async () => {
    await emptyAllTables(app.db);
    await insertOffice(app.db);
    const planned = { kind: 'repair', quarter: '2026-Q4', opensAt: at('2026-10-05'), closesAt: at('2026-10-08'), assignees: ['sp1'], status: 'planned' as never };
    const good = await insertVisit(app.db, { ...planned, workOrderId: 'WO-GOOD' });
    // A visit of an office that is not there (a row written by hand, or half deleted).
    const orphan = await insertVisit(app.db, { ...planned, workOrderId: 'WO-ORPHAN', officeId: 'office-gone' });
    const alsoGood = await insertVisit(app.db, { ...planned, workOrderId: 'WO-GOOD-2' });

    const run = await app.api('POST', '/api/jobs/reminders/run');

    expect([run.status, run.body.status]).toEqual([200, 'done']);
    expect(run.body.result.opened).toBe(2);
    expect(run.body.result.failures).toEqual([{ visitId: orphan, error: expect.any(String) }]);
    const statuses = await app.db.query(`SELECT id, status FROM visits ORDER BY id`);
    expect(statuses.find((v: { id: number }) => v.id === good).status).not.toBe('planned');
    expect(statuses.find((v: { id: number }) => v.id === alsoGood).status).not.toBe('planned');
  });
});

describe('one bad callback row does not stop the dispatch job', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-26T02:00:00Z' });
  });
  afterAll(async () => app?.close());

  it('redoes the other pending callbacks and lists the one it cannot read by its id', async () => {
    await emptyAllTables(app.db);
    const receivedAt = new Date('2026-11-26T01:00:00Z');
    const insert = async (eventId: string, payload: unknown) =>
      Number(
        (
          await app.db
            .createQueryBuilder()
            .insert()
            .into(InboundEvent)
            .values({ source: 'wecom', eventId, type: 'card_action', subjectId: null, outcome: 'pending', payload: payload as never, receivedAt, processedAt: null })
            .execute()
        ).identifiers[0].id,
      );
    // A row whose payload is not an event at all (written by hand, or cut short).
    const corrupted = await insert('wecom-corrupted', null);
    const readable = await insert('wecom-readable', { type: 'ignored', channel: 'wecom', eventId: 'wecom-readable', what: 'enter_agent' });

    const run = await app.api('POST', '/api/jobs/dispatch/run');

    expect([run.status, run.body.status]).toEqual([200, 'done']);
    expect(run.body.result.callbacksRedone).toBe(2);
    expect(run.body.result.failures).toEqual([{ inboundEventId: corrupted, error: expect.any(String) }]);
    const outcomes = await app.db.query(`SELECT id, outcome FROM inbound_events ORDER BY id`);
    expect(outcomes.map((r: { id: number; outcome: string }) => [Number(r.id), r.outcome])).toEqual([
      [corrupted, 'failed'],
      [readable, 'ignored'],
    ]);
    // Marked failed: the next run does not trip over it again.
    expect((await app.api('POST', '/api/jobs/dispatch/run')).body.result).toMatchObject({ callbacksRedone: 0 });
  });
});
