import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { Clock, systemClock } from './clock';
import { Config } from './config/config';
import { isMysqlSource, openDatabase } from './db/data-source';
import { createApp } from './http/app';
import { healthRoutes } from './http/health.routes';
import { log as rootLog, Logger } from './log';
import { Channel } from './channels/channel';
import { ChannelRegistry } from './channels/channel-registry';
import { groupRobotSender } from './channels/group-robot';
import { DingtalkEventCodec } from './channels/dingtalk/dingtalk-callback';
import { DingtalkChannel } from './channels/dingtalk/dingtalk.channel';
import { WecomCallbackCodec } from './channels/wecom/wecom-callback';
import { WecomChannel } from './channels/wecom/wecom.channel';
import { WecomTokenCache } from './channels/wecom/wecom-token';
import { BackgroundWork } from './callbacks/background-work';
import { CallbackHandler } from './callbacks/callback-handler';
import { dingtalkCallbackRoutes } from './callbacks/dingtalk-callback.routes';
import { wecomCallbackRoutes } from './callbacks/wecom-callback.routes';
import { consoleModule } from './console/console.module';
import { linkSecretFrom, SignedLinks } from './survey/signed-link';
import { staffFormRoutes } from './staff-form/staff-form.routes';
import { surveyRoutes } from './survey/survey.routes';
import { visitActionRoutes } from './visits/visit-actions.routes';
import { VisitLifecycle } from './visits/visit-lifecycle.service';
import { VisitMessages } from './visits/visit-messages';
import { VisitSweeps } from './visits/visit-sweeps';
import { ItemFailures } from './jobs/item-failures';
import { JobName } from './jobs/job';
import { JobRunner } from './jobs/job-runner';
import { jobRoutes } from './jobs/job.routes';
import { Scheduler } from './jobs/scheduler';
import { officeRoutes } from './offices/office.routes';
import { customerRoutes } from './customers/customer.routes';
import { campaignRoutes } from './campaigns/campaign.routes';
import { CampaignService } from './campaigns/campaign.service';
import { CampaignCalls } from './campaigns/campaign-calls';
import { CallComplaints } from './campaigns/call-complaint';
import { CallCards } from './campaigns/call-cards';
import { CallCardTaps } from './campaigns/call-card-taps';
import { MorningCalls } from './campaigns/morning-calls';
import { CallForm } from './campaigns/call-form';
import { reportsModule } from './reports/reports.module';
import { campaignReportsModule } from './campaign-reports/campaign-reports.module';
import { OutboxDispatcher } from './outbox/dispatcher';
import { InstantSends } from './outbox/instant-sends';
import { outboxRoutes } from './outbox/outbox.routes';
import { OfficeService } from './offices/office.service';
import { Notifier } from './visits/notifier';
import { VisitQueries } from './visits/visit-query.service';
import { visitRoutes } from './visits/visit.routes';
import { WorkOrderIngest } from './workorders/work-order-ingest.service';
import { workOrderRoutes } from './workorders/work-order.routes';
import { warrantyModule } from './warranty/warranty.module';
import { customerAskFacts } from './wechat/customer-ask-facts';
import { wechatModule } from './wechat/wechat.module';
import { OfficialAccountClient } from './wechat/official-account.client';
import { sidebarModule } from './sidebar/sidebar.module';

export interface ServerOverrides {
  clock?: Clock;
  log?: Logger;
  /** An already open data source (tests share one per file). */
  dataSource?: DataSource;
  /** Identifies this process in job runs and outbox claims. */
  instanceId?: string;
  /** Channels to use instead of those built from configuration (tests, sandbox). */
  channels?: Channel[];
  /** Run the cron schedules (default true; tests drive jobs through the API instead). */
  schedules?: boolean;
  /** Callback keys to use instead of those of the configuration (tests, sandbox). */
  wecomCallback?: { token: string; encodingAesKey: string; corpId: string };
  dingtalkCallback?: { token: string; aesKey: string; appKey: string; cardApiSecret: string };
  /** More routers, mounted after the app's own (the chat sandbox's page and its API). */
  routers?: Router[];
}

export interface RunningServer {
  url: string;
  port: number;
  dataSource: DataSource;
  config: Config;
  instanceId: string;
  /** The webhook's HMAC key: configured, or generated for this run in sandbox mode. */
  webhookSecret: string;
  jobs: JobRunner;
  dispatcher: OutboxDispatcher;
  /** What the webhook hands its events to, after the signature and schema checks. */
  ingest: WorkOrderIngest;
  links: SignedLinks;
  /** Every route it serves, as its routers declare them (the fuzz suite walks them all). */
  routes: ReadonlyArray<{ methods: string[]; path: string }>;
  /** Resolves when work started after an answer (callbacks) is done. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root: opens (and migrates) the database, wires services and routes,
 * listens. `main.ts` calls it with the environment's configuration; tests call it with
 * their own configuration, clock and fakes.
 */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const log = overrides.log ?? rootLog;
  const instanceId = overrides.instanceId ?? `hf-${process.pid}-${randomBytes(3).toString('hex')}`;
  const ownsDataSource = overrides.dataSource === undefined;
  const dataSource = overrides.dataSource ?? (await openDatabase(config.db));

  const clock = overrides.clock ?? systemClock;
  // The sandbox speaks the WeCom protocol, so without credentials WeCom is the default.
  const defaultChannel = config.wecom ? 'wecom' : config.dingtalk ? 'dingtalk' : 'wecom';
  const webhookSecret = config.webhookSecret ?? randomBytes(24).toString('hex');

  const notifier = new Notifier({ defaultChannel, defaultTimeZone: config.defaultTimeZone });
  const linkKey = linkSecretFrom(config.linkSecret, webhookSecret);
  const links = new SignedLinks(linkKey);
  const reports = reportsModule({
    dataSource,
    clock,
    notifier,
    defaultTimeZone: config.defaultTimeZone,
    publicBaseUrl: config.publicBaseUrl,
    summaryRobot: config.summaryRobot,
    links,
  });

  // One access-token cache for the WeCom app: the channel and the chat sidebar share its token.
  const wecomTokens = new WecomTokenCache({ clock });
  const channels = new ChannelRegistry(overrides.channels ?? channelsFromConfig(config, clock, wecomTokens));
  const robot = config.summaryRobot ? groupRobotSender(config.summaryRobot, clock) : undefined;
  const mp = config.officialAccount ? new OfficialAccountClient(config.officialAccount, { clock }) : null;
  const dispatcher = new OutboxDispatcher({ dataSource, clock, channels, notifier, log, instanceId, robot, officialAccount: mp });
  const background = new BackgroundWork(log);
  // What a person's tap, record or review causes leaves from here right after its commit.
  const instant = new InstantSends({ dispatcher, background });

  const messages = new VisitMessages({ notifier, links, publicBaseUrl: config.publicBaseUrl });
  // Records of an archived quarter are read-only: every change to a visit asks the archive first.
  const officialAccount = mp !== null;
  const customers = customerAskFacts({ officialAccount });
  const lifecycle = new VisitLifecycle({ dataSource, clock, messages, defaultTimeZone: config.defaultTimeZone, assertWritable: reports.assertWritable, instant, customers });
  const ingest = new WorkOrderIngest({
    dataSource,
    clock,
    defaultTimeZone: config.defaultTimeZone,
    channelOf: (office) => notifier.channelOf(office),
    officialAccount,
    lifecycle,
    messages,
  });
  const offices = new OfficeService({ dataSource, clock, defaultTimeZone: config.defaultTimeZone });
  const sweeps = new VisitSweeps({ dataSource, lifecycle });
  const warranty = warrantyModule({ dataSource, clock, lifecycle, notifier, links, publicBaseUrl: config.publicBaseUrl, defaultTimeZone: config.defaultTimeZone });
  const callCards = new CallCards({ links, publicBaseUrl: config.publicBaseUrl });
  const callTaps = new CallCardTaps({ clock, lifecycle, cards: callCards });
  const callbacks = new CallbackHandler({ dataSource, clock, lifecycle, log, instant, otherTaps: [...warranty.cardTaps, callTaps] });
  const queries = new VisitQueries(dataSource);
  const campaignReports = campaignReportsModule({ dataSource, clock, notifier, links, publicBaseUrl: config.publicBaseUrl, defaultTimeZone: config.defaultTimeZone });
  const campaignCalls = new CampaignCalls(dataSource);
  const wechat = wechatModule({ dataSource, clock, lifecycle, channels, instanceId, defaultTimeZone: config.defaultTimeZone, mp, links, publicBaseUrl: config.publicBaseUrl });

  const jobs = new JobRunner({ dataSource, clock, log, instanceId }, [
    {
      name: JobName.Dispatch,
      // Callbacks acknowledged but never worked (a stop in between) are redone here too.
      run: async ({ log: runLog }) => {
        const failures = new ItemFailures(runLog);
        return {
          ...(await dispatcher.runOnce(failures)),
          deliveries: await dispatcher.checkDeliveries(),
          callbacksRedone: await callbacks.processPending(failures),
          ...failures.report(),
        };
      },
    },
    ...sweeps.jobs(),
    ...reports.jobs,
    ...warranty.jobs,
    ...wechat.jobs,
    ...campaignReports.jobs,
    new MorningCalls({ dataSource, notifier, cards: callCards, defaultTimeZone: config.defaultTimeZone }).job(),
  ]);
  const scheduler = new Scheduler({ runner: jobs, clock, log, schedules: config.schedules });

  const routers = [
    healthRoutes(dataSource, isMysqlSource(dataSource) ? 'mysql' : 'sqlite'),
    workOrderRoutes({ secret: webhookSecret, clock, ingest }),
    officeRoutes(offices),
    customerRoutes({ dataSource, clock, log, defaultTimeZone: config.defaultTimeZone }),
    visitRoutes(queries, clock),
    visitActionRoutes({ lifecycle, queries, campaignCalls: (id, body) => campaignCalls.command(id, body) }),
    campaignRoutes(new CampaignService({ dataSource, clock, defaultTimeZone: config.defaultTimeZone, channelOf: (office) => notifier.channelOf(office), officialAccount }), new CallComplaints({ dataSource, clock, ingest, lifecycle })),
    outboxRoutes({ dataSource, dispatcher }),
    jobRoutes(jobs),
    ...reports.routers,
    ...warranty.routers,
    ...campaignReports.routers,
    surveyRoutes({ dataSource, clock, links, lifecycle, defaultTimeZone: config.defaultTimeZone, webAuthorisation: wechat.webAuthorisation }),
    ...wechat.routers,
    staffFormRoutes({ dataSource, clock, links, lifecycle, defaultTimeZone: config.defaultTimeZone, campaignForm: new CallForm({ dataSource, lifecycle }) }),
    ...consoleModule({ dataSource, clock, log, config, linkKey, lifecycle, queries, wecomTokens }),
    ...sidebarModule({ wecom: config.wecom, tokens: wecomTokens, dataSource, clock, links, lifecycle, publicBaseUrl: config.publicBaseUrl, defaultTimeZone: config.defaultTimeZone }),
    ...callbackRouters(config, overrides, { handler: callbacks, clock, background }),
    ...(overrides.routers ?? []),
  ];
  const app = createApp({ log, adminToken: config.adminToken, sandbox: config.sandbox, routers });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  if (overrides.schedules !== false) scheduler.start();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataSource,
    config,
    instanceId,
    webhookSecret,
    jobs,
    dispatcher,
    ingest,
    links,
    routes: routers.flatMap((router) => router.stack.map((layer) => ({ methods: [...layer.methods], path: String(layer.path) }))),
    settled: () => background.idle(),
    async close() {
      await scheduler.stop();
      await background.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      if (ownsDataSource && dataSource.isInitialized) await dataSource.destroy();
    },
  };
}


/** The real chat platforms named by the configuration. */
function channelsFromConfig(config: Config, clock: Clock, wecomTokens: WecomTokenCache): Channel[] {
  const channels: Channel[] = [];
  if (config.wecom) channels.push(new WecomChannel(config.wecom, { clock, tokens: wecomTokens }));
  if (config.dingtalk) channels.push(new DingtalkChannel(config.dingtalk, { clock }));
  return channels;
}

/** The callback routes of the configured platforms (only those with callback keys). */
function callbackRouters(
  config: Config,
  overrides: ServerOverrides,
  deps: { handler: CallbackHandler; clock: Clock; background: BackgroundWork },
) {
  const routers = [];
  const wecom =
    overrides.wecomCallback ??
    (config.wecom?.token && config.wecom.encodingAesKey
      ? { token: config.wecom.token, encodingAesKey: config.wecom.encodingAesKey, corpId: config.wecom.corpId }
      : null);
  if (wecom) routers.push(wecomCallbackRoutes({ codec: new WecomCallbackCodec(wecom), ...deps }));
  const dingtalk = overrides.dingtalkCallback;
  const dingtalkKeys = dingtalk
    ? { token: dingtalk.token, aesKey: dingtalk.aesKey, ownerKey: dingtalk.appKey }
    : config.dingtalk?.token && config.dingtalk.aesKey
      ? { token: config.dingtalk.token, aesKey: config.dingtalk.aesKey, ownerKey: config.dingtalk.appKey }
      : null;
  const cardApiSecret = dingtalk?.cardApiSecret ?? config.dingtalk?.cardApiSecret ?? null;
  if (dingtalkKeys || cardApiSecret) {
    routers.push(dingtalkCallbackRoutes({ codec: dingtalkKeys ? new DingtalkEventCodec(dingtalkKeys) : null, cardApiSecret, ...deps }));
  }
  return routers;
}
