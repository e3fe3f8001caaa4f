import { expect } from 'vitest';
import { ManualClock } from './manual-clock';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { DeliveredMessage, FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { OFFICE_1, startTestApp, TestApp } from './app';

/** The resident of the contract's example event, a member of the WeCom directory. */
export const RESIDENT_USER = 'zhangsan';

export interface WecomLoop {
  app: TestApp;
  fake: FakeWecom;
  clock: ManualClock;
  /** Runs a job now through the admin API, as an operator (or the schedule) would. */
  job(name: string): Promise<Record<string, unknown>>;
  /** Lets sends already under way finish (instant sends), then runs the dispatcher until nothing due is left. */
  dispatch(): Promise<void>;
  /** The newest card or message `userId` received. */
  last(userId: string): DeliveredMessage;
  /** `userId` taps `key` on card `taskId`; resolves when the work it causes is done. */
  tap(userId: string, taskId: string, key: string, selections?: Record<string, string[]>): Promise<void>;
  reply(userId: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** The app wired to a fake WeCom on loopback, callbacks included, with one manual clock. */
export async function startWecomLoop(now: string, options: { env?: Record<string, string> } = {}): Promise<WecomLoop> {
  const clock = new ManualClock(now);
  const fake = await startFakeWecom({ clock });
  for (const s of OFFICE_1.staff) fake.users.add(s.wecomUserId);
  fake.users.add(RESIDENT_USER);
  const app = await startTestApp({
    clock,
    env: options.env,
    overrides: {
      channels: [new WecomChannel(fake.config(), { clock })],
      wecomCallback: { token: fake.token, encodingAesKey: fake.encodingAesKey, corpId: fake.corpId },
    },
  });
  expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);

  const loop: WecomLoop = {
    app,
    fake,
    clock,
    async job(name) {
      const res = await app.api('POST', `/api/jobs/${name}/run`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.result;
    },
    async dispatch() {
      await app.server.settled();
      await app.server.dispatcher.drain();
    },
    last(userId) {
      const all = fake.delivered(userId);
      expect(all.length, `${userId} received nothing`).toBeGreaterThan(0);
      return all[all.length - 1];
    },
    async tap(userId, taskId, key, selections) {
      const res = await fake.postCallback(`${app.server.url}/callbacks/wecom`, fake.cardTap({ userId, taskId, eventKey: key, selections }));
      expect(res.status).toBe(200);
      await app.server.settled();
    },
    async reply(userId, text) {
      const res = await fake.postCallback(`${app.server.url}/callbacks/wecom`, fake.textReply({ userId, content: text }));
      expect(res.status).toBe(200);
      await app.server.settled();
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
  return loop;
}

/** The card's task_id (WeCom) of a delivered template card. */
export const taskOf = (message: DeliveredMessage): string => {
  expect(message.taskId, `not a card: ${JSON.stringify(message.content).slice(0, 200)}`).toBeTruthy();
  return message.taskId!;
};
