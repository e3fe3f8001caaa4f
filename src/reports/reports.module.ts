import Router from '@koa/router';
import { DataSource, EntityManager } from 'typeorm';
import { Visit } from '../../entities';
import { ArchiveJob } from '../archive/archive.job';
import { archiveRoutes } from '../archive/archive.routes';
import { assertWritable } from '../archive/assert-writable';
import { QuarterArchiver } from '../archive/quarter-archiver.service';
import { Clock } from '../clock';
import { Job } from '../jobs/job';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from '../visits/notifier';
import { QuarterlyReportService } from './quarterly-report.service';
import { QuarterlyReviewService } from './quarterly-review.service';
import { QuarterlyStatsJob } from './quarterly-stats.job';
import { QuarterlyStatsService } from './quarterly-stats.service';
import { reportsRoutes } from './reports.routes';
import { WeeklySummaryJob } from './weekly-summary.job';
import { WeeklySummaryService } from './weekly-summary.service';

/** What the reports and archive need from the composition root. */
export interface ReportsDeps {
  dataSource: DataSource;
  clock: Clock;
  notifier: Notifier;
  defaultTimeZone: string;
  /** Origin of links in cards (`PUBLIC_BASE_URL`). */
  publicBaseUrl: string;
  /** `SUMMARY_ROBOT_WEBHOOK` (+ secret): the weekly summary also goes to this group robot. */
  summaryRobot: { url: string; secret: string | null } | null;
  /** Signs the weekly card's link to the summary page. */
  links?: SignedLinks;
}

/** The routers, jobs and the archive guard of reports and archive, for `src/server.ts`. */
export interface ReportsModule {
  routers: Router[];
  jobs: Job[];
  /** Throws `409 quarter_archived` for a visit of a locked quarter (see archive/assert-writable). */
  assertWritable(manager: EntityManager, visit: Visit): Promise<void>;
}

/**
 * Wires reports (docs/rules.md §5: weekly summary, quarterly statistics with their review and
 * decision) and the archive (§6: reminder, lock, archive file, retention) from their deps.
 */
export function reportsModule(deps: ReportsDeps): ReportsModule {
  const { dataSource, clock, defaultTimeZone } = deps;
  const stats = new QuarterlyStatsService({ dataSource, defaultTimeZone });
  const reviews = new QuarterlyReviewService({ dataSource, clock, defaultTimeZone });
  const weekly = new WeeklySummaryService({ dataSource, stats, defaultTimeZone });
  const quarterly = new QuarterlyReportService({ dataSource, clock, stats, reviews });
  const archiver = new QuarterArchiver({ dataSource, stats, reviews, defaultTimeZone });
  return {
    routers: [reportsRoutes({ dataSource, clock, weekly, quarterly, reviews, links: deps.links }), archiveRoutes(archiver, clock)],
    jobs: [
      new WeeklySummaryJob({
        dataSource,
        notifier: deps.notifier,
        summaries: weekly,
        defaultTimeZone,
        publicBaseUrl: deps.publicBaseUrl,
        summaryRobot: deps.summaryRobot,
        links: deps.links,
      }),
      new ArchiveJob({ dataSource, notifier: deps.notifier, archiver, defaultTimeZone }),
      new QuarterlyStatsJob({ dataSource, notifier: deps.notifier, stats, defaultTimeZone, publicBaseUrl: deps.publicBaseUrl }),
    ],
    assertWritable,
  };
}
