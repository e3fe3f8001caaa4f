import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { OutboundMessage } from '../../entities';
import { RenderedMessage } from '../../src/channels/channel';
import { ChannelRegistry } from '../../src/channels/channel-registry';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { ManualClock } from '../support/manual-clock';
import { inTransaction } from '../../src/db/transaction';
import { log } from '../../src/log';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import { enqueue } from '../../src/outbox/outbox';
import { messagePayload } from '../../src/outbox/outbox-payload';
import { Notifier } from '../../src/visits/notifier';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { dbKindUnderTest, emptyAllTables, openTestDatabase } from '../support/database';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';

const START = '2026-11-26T02:05:00Z';

function text(content: string): RenderedMessage {
  return {
    wecom: { msgtype: 'text', text: { content } },
    dingtalk: { kind: 'notice', msg: { msgtype: 'text', text: { content } } },
  };
}

describe('the outbox dispatcher against a fake WeCom', () => {
  let app: TestApp;
  let fake: FakeWecom;
  let clock: ManualClock;
  let db: DataSource;

  beforeAll(async () => {
    clock = new ManualClock(START);
    fake = await startFakeWecom({ clock });
    db = await openTestDatabase();
    app = await startTestApp({
      clock,
      db,
      overrides: { channels: [new WecomChannel(fake.config(), { clock })] },
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(async () => {
    clock.set(START);
    await emptyAllTables(db);
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    fake.reset();
    fake.users.clear();
    for (const s of OFFICE_1.staff) fake.users.add(s.wecomUserId);
  });
  afterEach(() => {
    expect(fake.unexpected).toEqual([]);
  });

  /** Queues `count` messages, to `users` in turn, as a change would. */
  async function queue(count: number, users: string[], tag = 'm'): Promise<void> {
    await inTransaction(db, async (manager) => {
      for (let i = 0; i < count; i++) {
        const user = users[i % users.length];
        await enqueue(
          manager,
          {
            officeId: 'office-1',
            dedupeKey: `${tag}:${i}`,
            channel: 'wecom',
            purpose: 'test',
            recipientKind: 'staff',
            recipientId: user,
            address: user,
            payload: messagePayload(text(`回访提醒 ${tag} #${i}`)),
            notBefore: clock.now(),
          },
          clock.now(),
        );
      }
    });
  }

  const users = (n: number, prefix = 'u'): string[] => {
    const ids = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
    ids.forEach((id) => fake.users.add(id));
    return ids;
  };

  const rows = (status: string) => db.getRepository(OutboundMessage).countBy({ status: status as never });

  it('sends 100 messages with one token fetch', async () => {
    await queue(100, users(100));
    const before = fake.tokenFetches;
    const outcome = await app.server.dispatcher.drain();
    expect(outcome.sent).toBe(100);
    expect(fake.tokenFetches - before).toBe(1);
    expect(fake.allDelivered()).toHaveLength(100);
  });

  it('refreshes a token that expired mid-run and still delivers', async () => {
    const to = users(20);
    await queue(10, to, 'a');
    await app.server.dispatcher.drain();
    fake.expireAllTokens();
    await queue(10, to, 'b');
    const outcome = await app.server.dispatcher.drain();
    expect(outcome.sent).toBe(10);
    expect(fake.allDelivered()).toHaveLength(20);
  });

  it('delivers once after three 502s, backing off between attempts', async () => {
    await queue(1, users(1));
    fake.failNext(3, { status: 502 }, '/cgi-bin/message/send');
    const seen: number[] = [];
    for (let round = 0; round < 4; round++) {
      await app.server.dispatcher.drain();
      const [row] = await db.getRepository(OutboundMessage).find();
      seen.push(row.attempts);
      if (row.status === 'sent') break;
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
      clock.set(row.nextAttemptAt);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(await rows('sent')).toBe(1);
    expect(fake.allDelivered()).toHaveLength(1);
  });

  it('backs off on a rate-limit code and delivers after the wait', async () => {
    await queue(1, users(1));
    fake.failNext(1, { errcode: 45009 }, '/cgi-bin/message/send');
    await app.server.dispatcher.drain();
    const [row] = await db.getRepository(OutboundMessage).find();
    expect(row.status).toBe('pending');
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(60_000);
    clock.advance(30_000);
    expect((await app.server.dispatcher.drain()).sent).toBe(0);
    clock.set(row.nextAttemptAt);
    expect((await app.server.dispatcher.drain()).sent).toBe(1);
    expect(fake.allDelivered()).toHaveLength(1);
  });

  it('marks a message to an unknown user failed, tells the supervisor, and lists it for retry', async () => {
    await queue(1, ['ghost']);
    await app.server.dispatcher.drain();
    expect(await rows('failed')).toBe(1);
    const failed = await app.api('GET', '/api/outbox?status=failed');
    expect(failed.body.messages).toEqual([expect.objectContaining({ recipientId: 'ghost', status: 'failed', lastError: expect.stringContaining('unknown_recipient') })]);
    await app.server.dispatcher.drain();
    const told = fake.delivered('lizhuguan');
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0].content)).toContain('ghost');

    fake.users.add('ghost');
    const retried = await app.api('POST', '/api/outbox/retry', { ids: [failed.body.messages[0].id] });
    expect(retried.body).toEqual({ requeued: 1 });
    await app.server.dispatcher.drain();
    expect(fake.delivered('ghost')).toHaveLength(1);
  });

  it('holds a busy person under 30 messages a minute by queueing, never by dropping', async () => {
    const [busy] = users(1, 'busy');
    await queue(40, [busy]);
    const first = await app.server.dispatcher.drain();
    expect(first.sent).toBe(25);
    expect(await rows('pending')).toBe(15);
    clock.advance(62_000);
    await app.server.dispatcher.drain();
    expect(fake.delivered(busy)).toHaveLength(40);
    expect(fake.dropped()).toBe(0);
  });

  it('sends each of 1,000 messages exactly once with two dispatchers running at once', async () => {
    const to = users(100, 'p');
    await queue(1000, to);
    const second = new OutboxDispatcher({
      dataSource: db,
      clock,
      channels: new ChannelRegistry([new WecomChannel(fake.config(), { clock })]),
      notifier: new Notifier({ defaultChannel: 'wecom', defaultTimeZone: 'Asia/Shanghai' }),
      log,
      instanceId: 'second-instance',
    });
    const [a, b] = await Promise.all([app.server.dispatcher.drain(), second.drain()]);
    expect(a.sent + b.sent).toBe(1000);
    expect(fake.allDelivered()).toHaveLength(1000);
    const texts = fake.allDelivered().map((d) => (d.content as { content: string }).content);
    expect(new Set(texts).size).toBe(1000);
    expect(fake.deduplicated()).toBe(0);
  });

  it('delivers every message exactly once when a dispatcher is killed with SIGKILL mid-batch and another starts', async () => {
    const to = users(60, 'k');
    await queue(60, to);
    // WeCom acts on each send at once but answers late: the kill lands between a delivery
    // and the row being marked sent, the hardest place for "none twice".
    fake.slowNext(1000, 150, '/cgi-bin/message/send');
    const dbUrl = dbKindUnderTest() === 'mysql' ? process.env.DB_URL! : `sqlite:${db.options.database as string}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/dispatch-child.ts'], {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        DISPATCH_DB_URL: dbUrl,
        WECOM_BASE: fake.baseUrl,
        WECOM_CORP_ID: fake.corpId,
        WECOM_CORP_SECRET: fake.corpSecret,
        WECOM_AGENT_ID: String(fake.agentId),
        INSTANCE_ID: 'doomed',
        NOW: clock.now().toISOString(),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await waitFor(() => fake.allDelivered().length >= 20);
    child.kill('SIGKILL');
    await exited;
    expect(fake.allDelivered().length).toBeLessThan(60);

    // The killed process's claims lapse after their lease; a new dispatcher takes over.
    fake.clearFaults();
    clock.advance(5 * 60_000);
    await app.server.dispatcher.drain();
    expect(await rows('sent')).toBe(60);
    for (const user of to) expect(fake.delivered(user)).toHaveLength(1);
    expect(fake.allDelivered()).toHaveLength(60);
    // The message in flight at the kill was sent again, and WeCom's duplicate check held it.
    expect(fake.deduplicated()).toBeGreaterThanOrEqual(1);
  });
});

/** Waits for a condition that a real event (a delivery at the fake) makes true. */
async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
