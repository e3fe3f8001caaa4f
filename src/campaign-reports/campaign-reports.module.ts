import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { Clock } from '../clock';
import { Job } from '../jobs/job';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from '../visits/notifier';
import { CampaignGuidanceService } from './campaign-guidance.service';
import { CampaignReportJob } from './campaign-report.job';
import { CampaignReportMessages } from './campaign-report-messages';
import { campaignReportRoutes } from './campaign-report.routes';
import { CampaignReports } from './campaign-report.service';
import { DailyClosingJob } from './daily-closing.job';

/**
 * Wires a campaign's daily closing and weekly report (docs/rules.md §8): the `campaign-closing`
 * and `campaign-reports` jobs, the report and guidance routes, the report page.
 */
export function campaignReportsModule(deps: { dataSource: DataSource; clock: Clock; notifier: Notifier; links: SignedLinks; publicBaseUrl: string; defaultTimeZone: string }): { routers: Router[]; jobs: Job[] } {
  const { dataSource, clock, notifier, links, defaultTimeZone } = deps;
  const reports = new CampaignReports({ dataSource, defaultTimeZone });
  const messages = new CampaignReportMessages({ notifier, links, publicBaseUrl: deps.publicBaseUrl });
  const guidance = new CampaignGuidanceService({ dataSource, clock, reports, messages });
  return {
    routers: [campaignReportRoutes({ dataSource, clock, links, reports, guidance })],
    jobs: [new DailyClosingJob({ dataSource, notifier, defaultTimeZone }), new CampaignReportJob({ dataSource, reports, messages, defaultTimeZone })],
  };
}
