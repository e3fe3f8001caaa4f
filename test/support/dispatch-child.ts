/**
 * A dispatcher in a process of its own, so a test can kill it with SIGKILL mid-batch.
 * Env: DISPATCH_DB_URL, WECOM_BASE, WECOM_CORP_ID, WECOM_CORP_SECRET, WECOM_AGENT_ID, INSTANCE_ID,
 * and NOW: the instant this process lives at (the test's clock), so leases compare with it.
 */
import { parseDbUrl } from '../../src/db/db-url';
import { openDatabase } from '../../src/db/data-source';
import { ChannelRegistry } from '../../src/channels/channel-registry';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { ManualClock } from './manual-clock';
import { log } from '../../src/log';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import { Notifier } from '../../src/visits/notifier';

async function main(): Promise<void> {
  const env = process.env;
  const dataSource = await openDatabase(parseDbUrl(env.DISPATCH_DB_URL!)!);
  const channel = new WecomChannel({
    corpId: env.WECOM_CORP_ID!,
    corpSecret: env.WECOM_CORP_SECRET!,
    agentId: Number(env.WECOM_AGENT_ID),
    apiBase: env.WECOM_BASE!,
  });
  const dispatcher = new OutboxDispatcher({
    dataSource,
    clock: new ManualClock(env.NOW!),
    channels: new ChannelRegistry([channel]),
    notifier: new Notifier({ defaultChannel: 'wecom', defaultTimeZone: 'Asia/Shanghai' }),
    log,
    instanceId: env.INSTANCE_ID ?? 'child',
    batchSize: 25,
  });
  process.stdout.write('ready\n');
  for (;;) {
    const outcome = await dispatcher.runOnce();
    process.stdout.write(`batch ${JSON.stringify(outcome)}\n`);
    if (outcome.claimed === 0) break;
  }
  await dataSource.destroy();
}

void main();
