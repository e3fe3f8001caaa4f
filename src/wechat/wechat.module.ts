import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { ChannelRegistry } from '../channels/channel-registry';
import { Clock } from '../clock';
import { Job } from '../jobs/job';
import { SignedLinks } from '../survey/signed-link';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { CustomerLinkTracker } from './customer-link-tracker';
import { CustomerMessagesJob } from './customer-messages.job';
import { OfficialAccountClient } from './official-account.client';
import { WebAuthorisation } from './web-auth';

/**
 * Residents on WeChat (docs/rules.md §3 "How a resident is reached", docs/wecom.md §7.1, §11):
 * the job that follows mass-send tasks and template messages until they arrive or are handed
 * on, and — with an Official Account — the survey page's web authorisation that learns openids.
 */
export function wechatModule(deps: {
  dataSource: DataSource;
  clock: Clock;
  lifecycle: VisitLifecycle;
  channels: ChannelRegistry;
  instanceId: string;
  defaultTimeZone: string;
  mp: OfficialAccountClient | null;
  links: SignedLinks;
  publicBaseUrl: string;
}): { jobs: Job[]; routers: Router[]; webAuthorisation: WebAuthorisation | null } {
  const tracker = new CustomerLinkTracker({ ...deps, officialAccount: deps.mp !== null });
  const webAuthorisation = deps.mp ? new WebAuthorisation({ ...deps, client: deps.mp }) : null;
  return {
    jobs: [new CustomerMessagesJob({ dataSource: deps.dataSource, tracker, instanceId: deps.instanceId }).job()],
    routers: webAuthorisation ? [webAuthorisation.routes()] : [],
    webAuthorisation,
  };
}
