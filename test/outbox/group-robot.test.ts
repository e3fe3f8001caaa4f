import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { inTransaction } from '../../src/db/transaction';
import { enqueue } from '../../src/outbox/outbox';
import { OutboxPayload } from '../../src/outbox/outbox-payload';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';

const clock = new ManualClock('2026-11-30T01:10:00Z');

/** A weekly-summary-like message rendered for both platforms' robots. */
const summary = (text: string): OutboxPayload => ({
  kind: 'robot',
  wecom: { msgtype: 'markdown', markdown: { content: text } },
  dingtalk: { msgtype: 'markdown', markdown: { title: '回访周报', text } },
});

async function queueRobot(app: TestApp, url: string, key: string): Promise<void> {
  await inTransaction(app.db, (manager) =>
    enqueue(
      manager,
      { officeId: 'office-1', dedupeKey: key, channel: 'robot', purpose: 'weekly_summary', recipientKind: 'group', recipientId: 'summary-robot', address: url, payload: summary(`**回访周报 ${key}**`), notBefore: clock.now() },
      clock.now(),
    ),
  );
}

describe('the summary group robot', () => {
  let wecom: FakeWecom;
  let dingtalk: FakeDingtalk;
  beforeAll(async () => {
    wecom = await startFakeWecom({ clock });
    dingtalk = await startFakeDingtalk({ clock, robotSecret: 'SECrobotsecret' });
  });
  afterAll(async () => {
    await wecom.close();
    await dingtalk.close();
  });

  it('posts to a WeCom robot webhook in the WeCom robot shape', async () => {
    const app = await startTestApp({ clock, env: { SUMMARY_ROBOT_WEBHOOK: wecom.robotUrl } });
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    await queueRobot(app, wecom.robotUrl, '2026-W48');
    await app.server.dispatcher.drain();
    expect(wecom.robotMessages().map((m) => m.body)).toEqual([{ msgtype: 'markdown', markdown: { content: '**回访周报 2026-W48**' } }]);
    await app.close();
  });

  it('signs a DingTalk robot call with the 加签 secret', async () => {
    const app = await startTestApp({ clock, env: { SUMMARY_ROBOT_WEBHOOK: dingtalk.robotWebhookUrl, SUMMARY_ROBOT_SECRET: 'SECrobotsecret' } });
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    await queueRobot(app, dingtalk.robotWebhookUrl, '2026-W48');
    await app.server.dispatcher.drain();
    expect(dingtalk.robotMessages()).toEqual([{ msgtype: 'markdown', markdown: { title: '回访周报', text: '**回访周报 2026-W48**' } }]);
    await app.close();
  });

  it('refuses a robot URL of neither platform at start', async () => {
    await expect(startTestApp({ clock, env: { SUMMARY_ROBOT_WEBHOOK: 'https://example.org/hook' } })).rejects.toThrow(/SUMMARY_ROBOT_WEBHOOK/);
  });
});
