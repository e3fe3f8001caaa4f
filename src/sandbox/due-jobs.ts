import { JobName } from '../jobs/job';
import { JobRunResult } from '../jobs/job-runner';
import { DispatchOutcome } from '../outbox/dispatcher';
import { SandboxHost } from './sandbox-host';

/** The sweeps "run the due jobs now" runs, in this order (the campaign closing too: after 21:00 the demo callers hear of their day), before sending what they queued. */
export const DUE_JOBS: readonly JobName[] = [JobName.Reminders, JobName.ResidentReask, JobName.Overdue, JobName.CampaignClosing];

export interface DueJobsResult {
  jobs: JobRunResult[];
  dispatched: DispatchOutcome;
}

/**
 * Runs the visit sweeps now through the app's job runner (each a manual slot of its own, so
 * it always runs and is recorded like any run), then drains the outbox so what they queued
 * reaches the chats at once instead of at the next dispatch tick.
 */
export async function runDueJobs(host: Pick<SandboxHost, 'jobs' | 'dispatcher'>): Promise<DueJobsResult> {
  const jobs: JobRunResult[] = [];
  for (const name of DUE_JOBS) jobs.push(await host.jobs.runNow(name));
  return { jobs, dispatched: await host.dispatcher.drain() };
}
