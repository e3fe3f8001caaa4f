import Router from '@koa/router';
import { Channel } from '../channels/channel';
import { WecomChannel } from '../channels/wecom/wecom.channel';
import { Clock, systemClock } from '../clock';
import { log as rootLog, Logger } from '../log';
import { restoreChats } from './chat-restore';
import { DemoSeedResult, demoOfficeExists, seedDemo } from './demo-seed';
import { DueJobsResult, runDueJobs } from './due-jobs';
import { FakeWecom, startFakeWecom } from './fake-wecom.server';
import { SandboxHost } from './sandbox-host';
import { sandboxHomeRoute, sandboxRoutes } from './sandbox.routes';
import { SandboxService } from './sandbox.service';

export type { SandboxHost } from './sandbox-host';

export interface SandboxOptions {
  /** The app's clock: the fake's token expiry and callback times must agree with it. */
  clock?: Clock;
  log?: Logger;
}

/** What `attach` did: the chats it restored, the demo it seeded and the jobs it ran then. */
export interface SandboxAttachResult {
  /** Messages sent before a restart, put back into the chats from the outbox. */
  restored: number;
  /** The demo seeded, or null when the demo office already existed (or `seed: 'never'`). */
  seeded: DemoSeedResult | null;
  jobs: DueJobsResult | null;
}

/** The chat sandbox, started before the app and attached to it once it listens. */
export interface Sandbox {
  /** The fake WeCom running inside this process. */
  readonly fake: FakeWecom;
  /** The channels the app sends through: WeCom, pointed at the fake. */
  readonly channels: Channel[];
  /** The keys of `/callbacks/wecom`: the fake encrypts and signs its callbacks with them. */
  readonly wecomCallback: { token: string; encodingAesKey: string; corpId: string };
  /** `GET /sandbox` and `/sandbox/api/*`; they answer 503 until `attach`. */
  readonly routers: Router[];
  /**
   * Hands over the running app. Puts back the chats of an earlier run (from the outbox); then,
   * with `seed: 'first-start'` (default), seeds the demo office and its week when the office
   * does not exist yet and runs the due jobs so the chats fill; `'never'` seeds nothing.
   */
  attach(host: SandboxHost, options?: { seed?: 'first-start' | 'never' }): Promise<SandboxAttachResult>;
  /** Ends the page's live streams: call it before stopping the app, whose HTTP server waits for them. */
  detach(): void;
  /** Stops the fake (after the app has stopped sending). */
  close(): Promise<void>;
}

/**
 * Starts the chat sandbox: the fake WeCom on loopback inside this process, the WeCom channel
 * that sends to it, and the sandbox page's routes. Used when no WeCom/DingTalk credentials
 * are configured (`config.sandbox`), so `npm start` shows the whole loop with nothing set up.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const log = (options.log ?? rootLog).child({ part: 'sandbox' });
  // Open directory: whoever a work order names is a member, as a newcomer invents residents.
  const fake = await startFakeWecom({ clock, openDirectory: true });
  const service = new SandboxService({ fake, clock, log });
  return {
    fake,
    channels: [new WecomChannel(fake.config(), { clock })],
    wecomCallback: { token: fake.token, encodingAesKey: fake.encodingAesKey, corpId: fake.corpId },
    routers: [sandboxRoutes(service), sandboxHomeRoute()],
    async attach(host, attachOptions = {}) {
      service.attach(host);
      const restored = await restoreChats(host.dataSource, fake);
      if ((attachOptions.seed ?? 'first-start') === 'never' || (await demoOfficeExists(host.dataSource))) {
        return { restored, seeded: null, jobs: null };
      }
      const seeded = await seedDemo(host, clock);
      const jobs = await runDueJobs(host);
      log.info({ workOrders: seeded.workOrders, visits: seeded.visits, sent: jobs.dispatched.sent }, 'demo office seeded');
      return { restored, seeded, jobs };
    },
    detach: () => service.endLive(),
    close: async () => {
      service.endLive();
      await fake.close();
    },
  };
}
