import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError, RenderedMessage } from '../../src/channels/channel';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { WecomClient, WecomLogger } from '../../src/channels/wecom/wecom.client';
import { ManualClock } from '../support/manual-clock';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';

const SEND = '/cgi-bin/message/send';
const UPDATE = '/cgi-bin/message/update_template_card';

function satisfactionCard(taskId: string): RenderedMessage {
  return {
    wecom: {
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        source: { desc: '物业回访', desc_color: 0 },
        main_title: { title: '请评价本次维修服务', desc: '电梯异响 · WO-2026-000123' },
        task_id: taskId,
        button_list: [
          { text: '满意', style: 1, key: 'sat_4' },
          { text: '不满意', style: 3, key: 'sat_2' },
        ],
      },
    },
    dingtalk: { kind: 'notice', msg: {} },
  };
}

function text(content: string): RenderedMessage {
  return { wecom: { msgtype: 'text', text: { content } }, dingtalk: { kind: 'notice', msg: {} } };
}

/** The ChannelError a promise rejects with (fails the test if it resolves or throws anything else). */
async function failureOf(promise: Promise<unknown>): Promise<ChannelError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ChannelError);
  return outcome as ChannelError;
}

describe('WecomChannel against a fake WeCom on loopback', () => {
  let clock: ManualClock;
  let fake: FakeWecom;
  let channel: WecomChannel;

  beforeEach(async () => {
    clock = new ManualClock('2026-11-26T07:03:00Z');
    fake = await startFakeWecom({ clock, users: ['zhangsan', 'lisi'] });
    channel = new WecomChannel(fake.config(), { clock });
  });
  afterEach(async () => {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  it('sends a card with touser joined by |, an integer agentid and WeCom’s 4-hour duplicate check, and returns msgid, response_code and task_id', async () => {
    const receipt = await channel.send(['zhangsan', 'lisi'], satisfactionCard('hf_8812_sat_1'));

    const [body] = fake.bodies(SEND);
    expect(body).toMatchObject({ touser: 'zhangsan|lisi', agentid: fake.agentId, msgtype: 'template_card', enable_duplicate_check: 1, duplicate_check_interval: 14400 });
    expect(receipt).toEqual({
      channel: 'wecom',
      messageId: fake.delivered('zhangsan')[0].msgid,
      responseCode: fake.delivered('zhangsan')[0].responseCode,
      taskId: 'hf_8812_sat_1',
      invalidRecipients: undefined,
    });
    expect(receipt.responseCode).toMatch(/^rc_/);
    expect(fake.delivered('zhangsan')).toHaveLength(1);
    expect(fake.delivered('lisi')).toHaveLength(1);
    expect(fake.rejections).toEqual([]);
  });

  it('fetches exactly one token for 100 concurrent sends', async () => {
    for (let i = 0; i < 100; i++) fake.users.add(`staff${i}`);

    await Promise.all(Array.from({ length: 100 }, (_, i) => channel.send([`staff${i}`], text(`第${i}条提醒`))));

    expect(fake.tokenFetches).toBe(1);
    for (let i = 0; i < 100; i++) expect(fake.delivered(`staff${i}`)).toHaveLength(1);
  });

  it('refreshes the token ahead of expiry by the clock, before WeCom ever rejects it', async () => {
    await channel.send(['zhangsan'], text('一'));
    clock.advance((7200 - 300) * 1000 - 1);
    await channel.send(['zhangsan'], text('二'));
    expect(fake.tokenFetches).toBe(1);

    clock.advance(2);
    await channel.send(['zhangsan'], text('三'));

    expect(fake.tokenFetches).toBe(2);
    expect(fake.rejections).toEqual([]);
    expect(fake.delivered('zhangsan')).toHaveLength(3);
  });

  it('refetches a token that expired mid-run once, however many sends hit it, and delivers each message exactly once', async () => {
    for (let i = 0; i < 20; i++) fake.users.add(`staff${i}`);
    await channel.send(['zhangsan'], text('warm-up'));
    fake.expireAllTokens();

    await Promise.all(Array.from({ length: 20 }, (_, i) => channel.send([`staff${i}`], text('提醒'))));

    expect(fake.tokenFetches).toBe(2);
    expect(fake.rejections.filter((r) => r.errcode === 42001)).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(fake.delivered(`staff${i}`)).toHaveLength(1);
  });

  it('answers 40014 with one refetch and one retry', async () => {
    await channel.send(['zhangsan'], text('warm-up'));
    fake.revokeToken();

    await channel.send(['lisi'], text('提醒'));

    expect(fake.tokenFetches).toBe(2);
    expect(fake.calls(SEND)).toBe(3);
    expect(fake.rejections.map((r) => r.errcode)).toEqual([40014]);
    expect(fake.delivered('lisi')).toHaveLength(1);
  });

  it('does not retry a second time when the fresh token is rejected too, and says it may pass', async () => {
    await channel.send(['zhangsan'], text('warm-up'));
    fake.failNext(2, { errcode: 42001 }, SEND);

    const error = await failureOf(channel.send(['lisi'], text('提醒')));

    expect(error).toMatchObject({ reason: 'unavailable', retryable: true, platformCode: 42001 });
    expect(fake.calls(SEND)).toBe(3);
    expect(fake.tokenFetches).toBe(2);
    expect(fake.delivered('lisi')).toHaveLength(0);
  });

  it('gives a business-call 40001 one forced token refresh', async () => {
    fake.failNext(1, { errcode: 40001 }, SEND);

    await channel.send(['lisi'], text('提醒'));

    expect(fake.tokenFetches).toBe(2);
    expect(fake.delivered('lisi')).toHaveLength(1);
  });

  it('surfaces three 502s as retryable errors for the outbox, and the next attempt delivers once', async () => {
    fake.failNext(3, { status: 502 }, SEND);

    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await failureOf(channel.send(['zhangsan'], text('提醒')));
      expect(error).toMatchObject({ reason: 'unavailable', retryable: true, platformCode: 'http_502' });
    }
    await channel.send(['zhangsan'], text('提醒'));

    expect(fake.delivered('zhangsan')).toHaveLength(1);
    expect(fake.calls(SEND)).toBe(4);
  });

  it.each([-1, 45033, 45035, 45036])('treats errcode %i as retryable unavailable', async (errcode) => {
    fake.failNext(1, { errcode }, SEND);
    const error = await failureOf(channel.send(['zhangsan'], text('提醒')));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true, platformCode: errcode });
    expect(fake.calls(SEND)).toBe(1);
  });

  it('maps 45009 to rate_limited with a 60 s retry hint', async () => {
    fake.failNext(1, { errcode: 45009 }, SEND);
    const error = await failureOf(channel.send(['zhangsan'], text('提醒')));
    expect(error).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 60_000, platformCode: 45009 });
  });

  it('treats a timeout as retryable, although WeCom may have delivered the message', async () => {
    const impatient = new WecomChannel(fake.config({ timeoutMs: 100 }), { clock });
    fake.slowNext(1, 400, SEND);

    const error = await failureOf(impatient.send(['zhangsan'], text('提醒')));

    expect(error).toMatchObject({ reason: 'unavailable', retryable: true, platformCode: 'ECONNABORTED' });
    expect(fake.delivered('zhangsan')).toHaveLength(1);
  });

  it('treats a dropped connection as retryable', async () => {
    fake.failNext(1, { drop: true }, SEND);
    const error = await failureOf(channel.send(['zhangsan'], text('提醒')));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true });
  });

  it('fails with a permanent unknown_recipient when nobody is in the directory', async () => {
    const error = await failureOf(channel.send(['ghost'], text('提醒')));
    expect(error).toMatchObject({ reason: 'unknown_recipient', retryable: false, platformCode: 81013 });
    expect(fake.allDelivered()).toEqual([]);
  });

  it('reports skipped recipients in the caller’s spelling and delivers to the others', async () => {
    const receipt = await channel.send(['zhangsan', 'WangWu'], text('提醒'));
    expect(receipt.invalidRecipients).toEqual(['WangWu']);
    expect(fake.delivered('zhangsan')).toHaveLength(1);
  });

  it('stops at a wrong secret with a configuration error and does not call gettoken again', async () => {
    const misconfigured = new WecomChannel(fake.config({ corpSecret: 'rotated-away' }), { clock });

    const first = await failureOf(misconfigured.send(['zhangsan'], text('提醒')));
    const second = await failureOf(misconfigured.send(['lisi'], text('提醒')));

    expect(first).toMatchObject({ reason: 'configuration', retryable: false, platformCode: 40001 });
    expect(second).toMatchObject({ reason: 'configuration', retryable: false });
    expect(fake.tokenFetches).toBe(1);
    expect(fake.calls(SEND)).toBe(0);

    // Only after the hold (15 min) does it ask again, so a fixed console setting can recover.
    clock.advance(15 * 60_000);
    await failureOf(misconfigured.send(['lisi'], text('提醒')));
    expect(fake.tokenFetches).toBe(2);
  });

  it('maps a wrong corpid to a configuration error', async () => {
    const misconfigured = new WecomChannel(fake.config({ corpId: 'wwnotours' }), { clock });
    const error = await failureOf(misconfigured.send(['zhangsan'], text('提醒')));
    expect(error).toMatchObject({ reason: 'configuration', retryable: false, platformCode: 40013 });
  });

  it('greys out the tapped card with the tap’s response_code, and a used code is expired', async () => {
    const receipt = await channel.send(['zhangsan', 'lisi'], satisfactionCard('hf_8812_sat_1'));
    const tap = fake.cardTap({ userId: 'zhangsan', taskId: 'hf_8812_sat_1', eventKey: 'sat_4' });

    await channel.update({ receipt, userIds: ['zhangsan'], responseCode: tap.responseCode }, { replaceText: '已评价：满意' });

    expect(fake.bodies(UPDATE)[0]).toEqual({
      userids: ['zhangsan'],
      agentid: fake.agentId,
      response_code: tap.responseCode,
      button: { replace_name: '已评价：满意' },
    });
    expect(fake.updates('zhangsan')).toMatchObject([{ replaceName: '已评价：满意', taskId: 'hf_8812_sat_1' }]);
    expect(fake.updates('lisi')).toEqual([]);

    const error = await failureOf(
      channel.update({ receipt, userIds: ['zhangsan'], responseCode: tap.responseCode }, { replaceText: '已评价' }),
    );
    expect(error).toMatchObject({ reason: 'expired', retryable: false, platformCode: 60140 });
  });

  it('replaces the card for every recipient with the send’s response_code, leaving task_id out', async () => {
    const receipt = await channel.send(['zhangsan', 'lisi'], satisfactionCard('hf_8812_sat_1'));
    const withdrawn = satisfactionCard('hf_8812_sat_1');
    Object.assign((withdrawn.wecom as { template_card: Record<string, unknown> }).template_card, {
      main_title: { title: '回访已结束' },
      button_list: [{ text: '已结束', style: 2, key: 'closed' }],
    });

    await channel.update({ receipt, userIds: [] }, { message: withdrawn });

    const body = fake.bodies(UPDATE)[0] as { atall: number; template_card: Record<string, unknown> };
    expect(body.atall).toBe(1);
    expect(body.template_card).not.toHaveProperty('task_id');
    expect(fake.updates('zhangsan')).toHaveLength(1);
    expect(fake.updates('lisi')).toHaveLength(1);
    expect(fake.rejections).toEqual([]);
  });

  it('refuses to update without a response_code, without calling WeCom', async () => {
    const error = await failureOf(
      channel.update({ receipt: { channel: 'wecom', taskId: 't1' }, userIds: ['zhangsan'] }, { replaceText: '已评价' }),
    );
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false });
    expect(fake.calls(UPDATE)).toBe(0);
  });

  it('refuses a re-used task_id as a permanent bad_request', async () => {
    await channel.send(['zhangsan'], satisfactionCard('hf_8812_sat_1'));
    const error = await failureOf(channel.send(['lisi'], satisfactionCard('hf_8812_sat_1')));
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false });
    expect(fake.delivered('lisi')).toHaveLength(0);
  });

  it('refuses a card WeCom would refuse (seven buttons) as a permanent bad_request', async () => {
    const card = satisfactionCard('hf_1_sat_1');
    (card.wecom as { template_card: Record<string, unknown> }).template_card.button_list = Array.from({ length: 7 }, (_, i) => ({
      text: `${i}`,
      key: `k${i}`,
    }));
    const error = await failureOf(channel.send(['zhangsan'], card));
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false, platformCode: 40058 });
  });

  it('refuses text over 2048 bytes as a permanent bad_request', async () => {
    const error = await failureOf(channel.send(['zhangsan'], text('回'.repeat(683))));
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false, platformCode: 45002 });
  });

  it('posts to a group robot and reports its 21st message in a minute as rate_limited', async () => {
    const client = new WecomClient(fake.config(), { clock });
    const summary = { msgtype: 'markdown', markdown: { content: '**回访周报 2026-W48**' } };
    for (let i = 0; i < 20; i++) await client.robotSend(fake.robotUrl, summary);

    const error = await failureOf(client.robotSend(fake.robotUrl, summary));
    expect(error).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 60_000 });

    clock.advance(60_000);
    await client.robotSend(fake.robotUrl, summary);
    expect(fake.robotMessages()).toHaveLength(21);
    expect(fake.tokenFetches).toBe(0);
  });

  it('writes no userid, message text, token or secret into its log lines', async () => {
    const lines: unknown[] = [];
    const capture = (obj: object, msg?: string) => lines.push({ obj, msg });
    const logger: WecomLogger = { info: capture, warn: capture, error: capture };
    const logged = new WecomChannel(fake.config(), { clock, logger });
    await logged.send(['zhangsan'], text('张三家的电梯'));
    fake.revokeToken();
    fake.failNext(1, { errcode: 45009 }, SEND);
    await failureOf(logged.send(['zhangsan'], text('张三家的电梯')));
    await failureOf(logged.send(['ghost'], text('张三家的电梯')));
    fake.failNext(1, { status: 502 }, SEND);
    await failureOf(logged.send(['lisi'], text('张三家的电梯')));

    const all = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of ['zhangsan', 'ghost', 'lisi', '电梯', fake.corpSecret, 'access_token']) {
      expect(all).not.toContain(secret);
    }
  });
});
