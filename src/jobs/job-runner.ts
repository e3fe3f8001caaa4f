import { randomBytes } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import { JobRun } from '../../entities';
import { Clock } from '../clock';
import { isUniqueViolation } from '../db/transaction';
import { Logger } from '../log';
import { Job, JobName } from './job';

export type JobRunResult =
  | { job: JobName; slot: string; status: 'done'; result: Record<string, unknown> }
  | { job: JobName; slot: string; status: 'skipped'; reason: 'slot_taken' }
  | { job: JobName; slot: string; status: 'failed'; error: string };

/** How long job-run rows are kept (they only guard slots and tell what happened). */
const KEEP_RUNS_MS = 7 * 86_400_000;

/**
 * Runs jobs so that two instances never both run one slot: the run first inserts its
 * (job, slot) row, unique in the database; the instance whose insert fails skips.
 */
export class JobRunner {
  private readonly jobs = new Map<JobName, Job>();
  /** When this instance last dropped old job-run rows (housekeeping, at most hourly). */
  private lastPruneAt = 0;

  constructor(
    private readonly deps: { dataSource: DataSource; clock: Clock; log: Logger; instanceId: string },
    jobs: Job[],
  ) {
    for (const job of jobs) this.jobs.set(job.name, job);
  }

  has(name: string): name is JobName {
    return this.jobs.has(name as JobName);
  }

  names(): JobName[] {
    return [...this.jobs.keys()];
  }

  /** A scheduled tick: the slot is the tick's instant, shared by every instance's cron. */
  async runSlot(name: JobName, tick: Date): Promise<JobRunResult> {
    return this.run(name, tick.toISOString().slice(0, 19));
  }

  /** Runs a job now, by hand: a slot of its own, so it always runs. */
  async runNow(name: JobName): Promise<JobRunResult> {
    return this.run(name, `manual:${this.deps.clock.now().toISOString()}:${randomBytes(3).toString('hex')}`);
  }

  private async run(name: JobName, slot: string): Promise<JobRunResult> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    const runs = this.deps.dataSource.getRepository(JobRun);
    const startedAt = this.deps.clock.now();
    let runId: number;
    try {
      const insert = await runs
        .createQueryBuilder()
        .insert()
        .values({ job: name, slot, instanceId: this.deps.instanceId, status: 'running', startedAt })
        .execute();
      runId = Number(insert.identifiers[0].id);
    } catch (err) {
      // Why: the unique (job, slot) row is the claim. Another instance has this slot.
      if (isUniqueViolation(err)) return { job: name, slot, status: 'skipped', reason: 'slot_taken' };
      throw err;
    }
    const log = this.deps.log.child({ job: name, runId });
    try {
      const result = await job.run({ now: startedAt, log, runId: String(runId) });
      await runs.update({ id: runId }, { status: 'done', finishedAt: this.deps.clock.now(), result });
      // A run that found nothing to do (the dispatch job every 10 s, mostly) is not news.
      if (didNothing(result)) log.debug({ result }, 'job done, nothing to do');
      else log.info({ result }, 'job done');
      await this.pruneHourly();
      return { job: name, slot, status: 'done', result };
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      await runs.update({ id: runId }, { status: 'failed', finishedAt: this.deps.clock.now(), result: { error: message } });
      log.error({ err: message }, 'job failed');
      return { job: name, slot, status: 'failed', error: message };
    }
  }

  /** Job runs add a row per slot (the dispatch job every 10 s): keep only the last week. */
  private async pruneHourly(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (now - this.lastPruneAt < 3_600_000) return;
    this.lastPruneAt = now;
    await this.prune().catch((err: unknown) => this.deps.log.warn({ err: (err as Error).message }, 'pruning job runs failed'));
  }

  /** Deletes job-run rows older than a week. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - KEEP_RUNS_MS);
    const result = await this.deps.dataSource.getRepository(JobRun).delete({ startedAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}

/**
 * True when a run's summary counts no work: every number in it (nested too) is 0, every list
 * empty, every flag false. Labels (strings, such as a week) say what was looked at, not work.
 */
export function didNothing(result: unknown): boolean {
  if (typeof result === 'number') return result === 0;
  if (typeof result === 'boolean') return !result;
  if (Array.isArray(result)) return result.length === 0;
  if (result !== null && typeof result === 'object') return Object.values(result).every(didNothing);
  return true;
}
