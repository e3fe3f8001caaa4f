import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { OutboundMessage, VisitHistoryEntry } from '../../entities';
import { ManualClock } from '../support/manual-clock';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { loadConfig } from '../../src/config/config';
import { openDatabase } from '../../src/db/data-source';
import { JobName } from '../../src/jobs/job';
import { RunningServer, startServer } from '../../src/server';
import { signWebhook } from '../../src/workorders/webhook-signature';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { ADMIN_TOKEN, OFFICE_1, WEBHOOK_SECRET, workOrderEvent } from '../support/app';
import { dbKindUnderTest, openTestDatabase, testDbTarget } from '../support/database';

/** 09:10 in Shanghai. */
const START = Date.parse('2026-11-26T01:10:00Z');
const CUSTOMERS = 6;

describe('two instances following the same mass-send tasks', () => {
  const clock = new ManualClock(new Date(START));
  let fake: FakeWecom;
  let dbA: DataSource;
  let dbB: DataSource;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    fake = await startFakeWecom({ clock });
    for (const s of OFFICE_1.staff) fake.users.add(s.wecomUserId);
    dbA = await openTestDatabase();
    dbB = dbKindUnderTest() === 'mysql' ? await openDatabase(testDbTarget()) : dbA;
    const config = { ...loadConfig({ ADMIN_TOKEN, WEBHOOK_SECRET }), port: 0 };
    const instance = (db: DataSource, instanceId: string) =>
      startServer(config, { clock, dataSource: db, instanceId, schedules: false, channels: [new WecomChannel(fake.config(), { clock })] });
    a = await instance(dbA, 'instance-a');
    b = await instance(dbB, 'instance-b');
    const put = await fetch(`${a.url}/api/offices/office-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      // Every help work order is visited (no sampling), so each customer gets a task.
      body: JSON.stringify({ ...OFFICE_1, rateTargets: { help: 1 } }),
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

  it('reminds each member once per round and hands each visit on once, whichever instance runs', async () => {
    for (let i = 1; i <= CUSTOMERS; i++) {
      fake.customers.set(`wmTwin${i}`, 'zhaozhuanyuan');
      const raw = JSON.stringify(
        workOrderEvent('completed', {
          id: `WO-TWIN-${i}`,
          kind: 'help',
          severity: null,
          department: null,
          completedAt: new Date(START - 5_000).toISOString(),
          resident: { id: `R-TWIN-${i}`, name: `住户${i}`, wecomExternalUserId: `wmTwin${i}`, wecomContactOwner: 'zhaozhuanyuan' },
        }),
      );
      const ts = String(Math.floor(clock.now().getTime() / 1000));
      const res = await fetch(`${a.url}/webhooks/work-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signWebhook(WEBHOOK_SECRET, ts, raw) },
        body: raw,
      });
      expect(res.status).toBe(202);
    }
    await a.jobs.runNow(JobName.Reminders);
    clock.set(new Date(START + 4 * 60_000));
    const drained = await a.dispatcher.drain();
    const rows = await dbA.getRepository(OutboundMessage).find();
    expect(fake.groupMsgs.tasks(), JSON.stringify({ drained, rows: rows.map((r) => [r.dedupeKey, r.status, r.lastError, r.nextAttemptAt]) })).toHaveLength(CUSTOMERS);

    // Both instances run the job at the same moments, every 10 minutes for 5 hours.
    for (let t = START + 5 * 60_000; t <= START + 5 * 3_600_000; t += 10 * 60_000) {
      clock.set(new Date(t));
      const runs = await Promise.all([a.jobs.runNow(JobName.CustomerMessages), b.jobs.runNow(JobName.CustomerMessages)]);
      for (const run of runs) expect(run.status, JSON.stringify(run)).toBe('done');
      await Promise.all([a.dispatcher.drain(), b.dispatcher.drain()]);
    }

    for (const task of fake.groupMsgs.tasks()) expect(task.reminders).toHaveLength(3);
    const history = await dbA.getRepository(VisitHistoryEntry).find();
    const count = (action: string) => history.filter((h) => h.action === action).length;
    expect(count('customer_message_reminded')).toBe(CUSTOMERS);
    expect(count('route_changed')).toBe(CUSTOMERS);
    const chat = fake.delivered('zhaozhuanyuan').filter((m) => JSON.stringify(m.content).includes('群发助手'));
    expect(chat).toHaveLength(CUSTOMERS);
    expect(fake.unexpected).toEqual([]);
  });
});
