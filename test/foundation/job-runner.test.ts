import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { JobRun } from '../../entities';
import { ManualClock } from '../support/manual-clock';
import { JobName } from '../../src/jobs/job';
import { JobRunner } from '../../src/jobs/job-runner';
import pino from 'pino';
import { log } from '../../src/log';
import { openTestDatabase } from '../support/database';

describe('the job runner', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db.destroy());

  it('runs a slot once across runners, and keeps only a week of job-run rows', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    let runs = 0;
    const job = { name: JobName.Dispatch, run: async () => ({ run: ++runs }) };
    const a = new JobRunner({ dataSource: db, clock, log, instanceId: 'a' }, [job]);
    const b = new JobRunner({ dataSource: db, clock, log, instanceId: 'b' }, [job]);
    const tick = clock.now();
    const [first, second] = await Promise.all([a.runSlot(JobName.Dispatch, tick), b.runSlot(JobName.Dispatch, tick)]);
    expect([first.status, second.status].sort()).toEqual(['done', 'skipped']);
    expect(runs).toBe(1);

    clock.set('2026-11-09T00:00:00Z');
    await a.runSlot(JobName.Dispatch, clock.now());
    // The run of 1 November is more than a week old: pruned; the new one stays.
    expect((await db.getRepository(JobRun).find()).map((r) => r.slot)).toEqual(['2026-11-09T00:00:00']);
  });

  it('logs a run that did nothing at debug, and one that did something at info', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const captured = pino({ level: 'debug', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const clock = new ManualClock('2026-11-10T00:00:00Z');
    let claimed = 0;
    const job = { name: JobName.Dispatch, run: async () => ({ claimed, sent: claimed, deliveries: { checked: 0, dropped: 0 } }) };
    const runner = new JobRunner({ dataSource: db, clock, log: captured, instanceId: 'a' }, [job]);
    await runner.runSlot(JobName.Dispatch, clock.now());
    claimed = 2;
    clock.advance(10_000);
    await runner.runSlot(JobName.Dispatch, clock.now());
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'job done, nothing to do'],
      [30, 'job done'],
    ]);
  });
});
