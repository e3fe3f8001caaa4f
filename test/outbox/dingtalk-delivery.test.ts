import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { RenderedMessage } from '../../src/channels/channel';
import { DingtalkChannel } from '../../src/channels/dingtalk/dingtalk.channel';
import { ManualClock } from '../support/manual-clock';
import { inTransaction } from '../../src/db/transaction';
import { enqueue } from '../../src/outbox/outbox';
import { messagePayload } from '../../src/outbox/outbox-payload';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';

const notice = (text: string): RenderedMessage => ({
  wecom: { msgtype: 'text', text: { content: text } },
  dingtalk: { kind: 'notice', msg: { msgtype: 'text', text: { content: text } } },
});

describe('DingTalk work notices that are accepted and then dropped', () => {
  const clock = new ManualClock('2026-11-26T02:10:00Z');
  let fake: FakeDingtalk;
  let app: TestApp;
  beforeAll(async () => {
    fake = await startFakeDingtalk({ clock, users: ['dt-sup1'] });
    app = await startTestApp({ clock, overrides: { channels: [new DingtalkChannel(fake.config(), { clock })] } });
    await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, channel: 'dingtalk', staff: [{ id: 'sup1', name: '李主管', roles: ['supervisor'], dingtalkUserId: 'dt-sup1' }] });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  it('finds the drop with the send-result API and delivers it again, marked as a resend', async () => {
    // Two different things to say that happen to read the same: DingTalk keeps only the first.
    await inTransaction(app.db, async (manager) => {
      for (const key of ['first', 'second']) {
        await enqueue(
          manager,
          { officeId: 'office-1', dedupeKey: key, channel: 'dingtalk', purpose: 'test', recipientKind: 'staff', recipientId: 'sup1', address: 'dt-sup1', payload: messagePayload(notice('回访 #7 已逾期')), notBefore: clock.now() },
          clock.now(),
        );
      }
    });
    const run = async () => (await app.api('POST', '/api/jobs/dispatch/run')).body.result;
    expect(await run()).toMatchObject({ sent: 2 });
    expect(fake.deliveredNotices('dt-sup1')).toHaveLength(1);

    clock.advance(61_000);
    expect((await run()).deliveries).toEqual({ checked: 2, dropped: 1, failed: 0 });
    const requeued = await app.db.getRepository(OutboundMessage).findOneByOrFail({ dedupeKey: 'second' });
    expect(requeued.status).toBe('pending');

    clock.advance(61_000);
    await run();
    const received = fake.deliveredNotices('dt-sup1');
    expect(received).toHaveLength(2);
    expect(JSON.stringify(received[1])).toContain('补发');
    clock.advance(61_000);
    expect((await run()).deliveries).toEqual({ checked: 1, dropped: 0, failed: 0 });
  });

  it('turns a notice DingTalk could not deliver into a failed message the supervisor hears of', async () => {
    await inTransaction(app.db, (manager) =>
      enqueue(
        manager,
        { officeId: 'office-1', dedupeKey: 'to-ghost', channel: 'dingtalk', purpose: 'test', recipientKind: 'staff', recipientId: 'ghost', address: 'dt-ghost', payload: messagePayload(notice('回访 #8 提醒')), notBefore: clock.now() },
        clock.now(),
      ),
    );
    const run = async () => (await app.api('POST', '/api/jobs/dispatch/run')).body.result;
    expect(await run()).toMatchObject({ sent: 1 });
    clock.advance(61_000);
    expect((await run()).deliveries).toEqual({ checked: 1, dropped: 0, failed: 1 });
    const failed = await app.api('GET', '/api/outbox?status=failed');
    expect(failed.body.messages.map((m: { recipientId: string }) => m.recipientId)).toEqual(['ghost']);
    await run();
    expect(JSON.stringify(fake.deliveredNotices('dt-sup1').at(-1))).toContain('ghost');
  });
});
