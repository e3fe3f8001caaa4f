import { Logger } from '../log';

/** Names of the scheduled jobs (each also runs now through `POST /api/jobs/:name/run`). */
export enum JobName {
  Reminders = 'reminders',
  Dispatch = 'dispatch',
  Overdue = 'overdue',
  ResidentReask = 'resident-reask',
  WeeklySummary = 'weekly-summary',
  QuarterlyStats = 'quarterly-stats',
  Archive = 'archive',
  Warranty = 'warranty',
  CustomerMessages = 'customer-messages',
  CampaignClosing = 'campaign-closing',
  CampaignReports = 'campaign-reports',
  CampaignCalls = 'campaign-calls',
}

export interface JobContext {
  now: Date;
  log: Logger;
  runId: string;
}

/**
 * A sweep: selects what is due up to `now` and acts on it, idempotently — a rerun, or a run
 * after downtime, does nothing twice. Returns a summary of what it did.
 */
export interface Job {
  name: JobName;
  run(context: JobContext): Promise<Record<string, unknown>>;
}
