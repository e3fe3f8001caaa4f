import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { JobRun, OutboundMessage } from '../../entities';
import { ManualClock } from '../support/manual-clock';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { loadConfig } from '../../src/config/config';
import { openDatabase } from '../../src/db/data-source';
import { JobName } from '../../src/jobs/job';
import { RunningServer, startServer } from '../../src/server';
import { signWebhook } from '../../src/workorders/webhook-signature';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { ADMIN_TOKEN, HOUSEHOLD_REPAIR, OFFICE_1, WEBHOOK_SECRET, workOrderEvent } from '../support/app';
import { dbKindUnderTest, openTestDatabase } from '../support/database';
import { RESIDENT_USER } from '../support/wecom-loop';

/** 00:10 on 26 November in Shanghai; the simulated day runs 24 hours from here. */
const DAWN = Date.parse('2026-11-25T16:10:00Z');
const TICK_MS = 10 * 60_000;
const SWEEPS = [JobName.Reminders, JobName.ResidentReask, JobName.Overdue, JobName.Dispatch];

describe('two instances with their schedules on one database through a simulated day', () => {
  const clock = new ManualClock(new Date(DAWN));
  let fake: FakeWecom;
  let dbA: DataSource;
  let dbB: DataSource;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    fake = await startFakeWecom({ clock });
    for (const s of OFFICE_1.staff) fake.users.add(s.wecomUserId);
    fake.users.add(RESIDENT_USER);
    dbA = await openTestDatabase();
    // On MySQL each instance has its own connection pool, as two servers would. SQLite has
    // one writer per file, so there the two instances share one connection.
    dbB = dbKindUnderTest() === 'mysql' ? await openDatabase((await import('../support/database')).testDbTarget()) : dbA;
    const config = { ...loadConfig({ ADMIN_TOKEN, WEBHOOK_SECRET }), port: 0 };
    const wecomCallback = { token: fake.token, encodingAesKey: fake.encodingAesKey, corpId: fake.corpId };
    const instance = (db: DataSource, instanceId: string) =>
      startServer(config, { clock, dataSource: db, instanceId, schedules: false, wecomCallback, channels: [new WecomChannel(fake.config(), { clock })] });
    a = await instance(dbA, 'instance-a');
    b = await instance(dbB, 'instance-b');
    const put = await fetch(`${a.url}/api/offices/office-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(OFFICE_1),
    });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    if (dbB !== dbA) await dbB.destroy();
    await dbA.destroy();
    await fake.close();
  });

  const send = async (server: RunningServer, event: unknown) => {
    const raw = JSON.stringify(event);
    const ts = String(Math.floor(clock.now().getTime() / 1000));
    const res = await fetch(`${server.url}/webhooks/work-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signWebhook(WEBHOOK_SECRET, ts, raw) },
      body: raw,
    });
    expect(res.status).toBe(202);
  };

  it('sends every message exactly once and runs every slot once', async () => {
    let completed = 0;
    let taps = 0;
    const outcomes: string[] = [];
    for (let t = DAWN; t < DAWN + 24 * 3600_000; t += TICK_MS) {
      clock.set(new Date(t));
      const tick = clock.now();
      // Work orders complete through the day, through either instance, some at night.
      if ((t - DAWN) % (2 * 3600_000) === 3600_000) {
        completed++;
        // Complaints are visited by staff; repairs and help are answered by the resident in chat.
        const kind = completed % 3 === 0 ? {} : completed % 3 === 1 ? HOUSEHOLD_REPAIR : { kind: 'help', severity: null, department: null };
        await send(completed % 2 ? a : b, workOrderEvent('completed', { id: `WO-DAY-${completed}`, completedAt: tick.toISOString(), ...kind }));
      }
      // Both instances' crons fire for the same slot at the same moment.
      for (const job of SWEEPS) {
        const pair = await Promise.all([a.jobs.runSlot(job, tick), b.jobs.runSlot(job, tick)]);
        outcomes.push(pair.map((r) => r.status).sort().join('+'));
      }
      // The resident answers the newest ratings card now and then; WeCom delivers the tap to
      // one instance and, as a retry, to the other.
      const cards = fake.delivered(RESIDENT_USER).filter((m) => JSON.stringify(m.content).includes('ratings_submit'));
      if (cards.length > taps && (t - DAWN) % (3 * 3600_000) === 0) {
        const card = cards[taps++];
        const callback = fake.cardTap({ userId: RESIDENT_USER, taskId: card.taskId!, eventKey: 'ratings_submit', selections: { quality: ['4'], effect: ['5'], satisfaction: ['5'] } });
        const [first, second] = await Promise.all([fake.postCallback(`${a.url}/callbacks/wecom`, callback), fake.postCallback(`${b.url}/callbacks/wecom`, callback)]);
        expect([first.status, second.status]).toEqual([200, 200]);
        await Promise.all([a.settled(), b.settled()]);
      }
    }
    // Messages that fell due in the night are held until 08:00 the next morning.
    clock.set(new Date(DAWN + 32 * 3600_000));
    await a.dispatcher.drain();

    const rows = await dbA.getRepository(OutboundMessage).find();
    const sent = rows.filter((r) => r.status === 'sent');
    expect(completed).toBe(12);
    expect(taps).toBeGreaterThan(2);
    expect(sent.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'cancelled')).toEqual([]);
    // Every queued message reached its person once: no repeat deliveries, none held back.
    const deliveries = fake.allDelivered();
    const updates = sent.filter((r) => r.purpose === 'card_update').length;
    expect(deliveries.length).toBe(sent.length - updates);
    expect(new Set(deliveries.map((d) => `${d.userId}|${JSON.stringify(d.content)}`)).size).toBe(deliveries.length);
    expect(fake.deduplicated()).toBe(0);
    expect(fake.dropped()).toBe(0);
    expect(fake.unexpected).toEqual([]);
    // Each tapped card got one update, although each tap reached both instances.
    expect(fake.updates(RESIDENT_USER)).toHaveLength(taps);
    // Every slot ran exactly once, on one instance or the other; the other skipped it.
    expect(outcomes).toHaveLength(144 * SWEEPS.length);
    expect(new Set(outcomes)).toEqual(new Set(['done+skipped']));
    const runs = await dbA.getRepository(JobRun).find();
    expect(runs).toHaveLength(144 * SWEEPS.length);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    // A whole simulated day of 144 ticks, each running every sweep on both instances.
  }, 180_000);
});
