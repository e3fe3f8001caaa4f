import cron, { ScheduledTask } from 'node-cron';
import { Clock } from '../clock';
import { ScheduleName } from '../config/config';
import { Logger } from '../log';
import { JobName } from './job';
import { JobRunner } from './job-runner';

/**
 * The few crons: each tick runs one sweep through the runner (which claims the slot). A tick
 * that finds the previous run of the same job still going is skipped in this instance.
 * `stop()` stops the crons and waits for runs in flight.
 */
export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Map<JobName, Promise<unknown>>();

  constructor(private readonly deps: { runner: JobRunner; clock: Clock; log: Logger; schedules: Record<ScheduleName, string> }) {}

  start(): void {
    for (const [name, expression] of Object.entries(this.deps.schedules) as [ScheduleName, string][]) {
      const job = name as unknown as JobName;
      if (!this.deps.runner.has(job)) continue;
      const task = cron.schedule(expression, () => this.tick(job), { scheduled: true });
      this.tasks.push(task);
    }
  }

  private tick(job: JobName): void {
    if (this.inFlight.has(job)) return;
    const tick = this.deps.clock.now();
    tick.setMilliseconds(0);
    const run = this.deps.runner
      .runSlot(job, tick)
      .catch((err: unknown) => this.deps.log.error({ job, err: (err as Error).message }, 'scheduled run failed'))
      .finally(() => this.inFlight.delete(job));
    this.inFlight.set(job, run);
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) task.stop();
    this.tasks = [];
    await Promise.allSettled([...this.inFlight.values()]);
  }
}
