import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { WecomTokenCache } from '../channels/wecom/wecom-token';
import { Clock } from '../clock';
import { Config } from '../config/config';
import { Logger } from '../log';
import { QuarterlyReportService } from '../reports/quarterly-report.service';
import { QuarterlyReviewService } from '../reports/quarterly-review.service';
import { QuarterlyStatsService } from '../reports/quarterly-stats.service';
import { chartAssetRoutes } from './charts/chart-assets.routes';
import { SignedLinks } from '../survey/signed-link';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { VisitQueries } from '../visits/visit-query.service';
import { ChatSignIn, dingtalkSignIn, wecomSignIn } from './chat-sign-in';
import { consoleRoutes } from './console.routes';
import { CONSOLE_SECTIONS } from './sections';
import { ConsoleSessions, sessionKeyFrom } from './session';
import { signInRoutes } from './sign-in.routes';
import { projectFileRoutes } from './warranty/project-files.routes';

/**
 * The console for supervisors and managers (docs/api.md §Console): sign-in routes first, then
 * its sections. `linkKey` is the signed links' key; sessions are signed with a key derived
 * from it for this purpose only.
 */
export function consoleModule(deps: { dataSource: DataSource; clock: Clock; log: Logger; config: Config; linkKey: string; lifecycle: VisitLifecycle; queries: VisitQueries; wecomTokens: WecomTokenCache }): Router[] {
  const { config, dataSource, clock } = deps;
  const sessions = new ConsoleSessions(sessionKeyFrom(deps.linkKey), config.publicBaseUrl);
  const platforms: ChatSignIn[] = [];
  if (config.wecom) platforms.push(wecomSignIn(config.wecom, deps.wecomTokens));
  if (config.dingtalk) platforms.push(dingtalkSignIn(config.dingtalk, clock));
  const stats = new QuarterlyStatsService({ dataSource, defaultTimeZone: config.defaultTimeZone });
  // The same services as the admin API's reports: the same figures, files, review rules.
  const reviews = new QuarterlyReviewService({ dataSource, clock, defaultTimeZone: config.defaultTimeZone });
  const reports = new QuarterlyReportService({ dataSource, clock, stats, reviews });
  return [
    chartAssetRoutes(),
    signInRoutes({ ...deps, sessions, publicBaseUrl: config.publicBaseUrl, adminToken: config.adminToken, sandbox: config.sandbox, platforms }),
    consoleRoutes({ dataSource, clock, stats, reports, reviews, links: new SignedLinks(deps.linkKey), lifecycle: deps.lifecycle, queries: deps.queries, defaultTimeZone: config.defaultTimeZone, sessions, sections: CONSOLE_SECTIONS, publicBaseUrl: config.publicBaseUrl }),
    projectFileRoutes({ dataSource, clock, sessions, defaultTimeZone: config.defaultTimeZone }),
  ];
}
