import { QueryFailedError } from 'typeorm';
import { driverCode } from '../db/transaction';
import { DomainError } from '../errors';
import { Logger } from '../log';

/** What names an item of a job: ids and labels only (office, visit, quarter, step), never personal data. */
export type JobItem = Record<string, string | number>;

/** One item a job could not do, and why. */
export interface ItemFailure extends JobItem {
  error: string;
}

/** A run's result lists at most this many failed items; the log has every one. */
const MAX_LISTED = 50;

/**
 * The items of one job run that failed. A job catches each item's failure, adds it here and
 * goes on with the rest: one bad row never stops a job for a whole office. Each failure is
 * logged at once; `report()` adds them to the run's result (stored in `job_runs`, answered by
 * `POST /api/jobs/:name/run`).
 */
export class ItemFailures {
  private readonly failures: ItemFailure[] = [];

  constructor(private readonly log: Logger) {}

  get count(): number {
    return this.failures.length;
  }

  add(item: JobItem, err: unknown): void {
    const failure = { ...item, error: failureReason(err) };
    this.failures.push(failure);
    this.log.error(failure, 'job item failed; the job goes on with the others');
  }

  /** Runs `work` for one item; a failure is added and `fallback` returned. */
  async attempt<T>(item: JobItem, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.add(item, err);
      return fallback;
    }
  }

  /** The failures for a run's result: none, or `failures` (the first MAX_LISTED). */
  report(): { failures?: ItemFailure[] } {
    return this.failures.length === 0 ? {} : { failures: this.failures.slice(0, MAX_LISTED) };
  }
}

/**
 * Why an item failed, in words safe to log and to keep: a database error by its code (its
 * message may quote the row's values: names, phones), anything else by its message, cut short.
 */
export function failureReason(err: unknown): string {
  if (err instanceof DomainError) return `${err.code}: ${err.message}`.slice(0, 200);
  if (err instanceof QueryFailedError || driverCode(err)) return `database error ${driverCode(err) ?? 'unknown'}`;
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}
