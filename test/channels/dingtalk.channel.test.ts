import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError, RenderedMessage } from '../../src/channels/channel';
import { DingtalkChannel } from '../../src/channels/dingtalk/dingtalk.channel';
import { DingtalkConfig } from '../../src/channels/dingtalk/dingtalk.config';
import { ManualClock } from '../support/manual-clock';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';

let clock: ManualClock;
let fake: FakeDingtalk;

beforeEach(async () => {
  clock = new ManualClock('2026-11-26T02:00:00Z');
  fake = await startFakeDingtalk({ clock });
});

afterEach(async () => {
  try {
    // The fake fails loudly: no test may make a call DingTalk does not know.
    expect(fake.unexpected).toEqual([]);
  } finally {
    await fake.close();
  }
});

function channel(overrides: Partial<DingtalkConfig> = {}): DingtalkChannel {
  return new DingtalkChannel(fake.config(overrides), { clock });
}

function notice(text: string): RenderedMessage {
  return {
    wecom: { msgtype: 'text', text: { content: text } },
    dingtalk: { kind: 'notice', msg: { msgtype: 'text', text: { content: text } } },
  };
}

function card(outTrackId: string, cardParamMap: Record<string, string> = { title: '家访回访', address: '3栋402', answered: 'false' }): RenderedMessage {
  return {
    wecom: { msgtype: 'text', text: { content: 'unused' } },
    dingtalk: { kind: 'card', outTrackId, cardParamMap },
  };
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

function callsTo(path: string): number {
  return fake.calls.filter((c) => c.path === path).length;
}

describe('access token', () => {
  it('fetches the token once for 100 concurrent sends', async () => {
    const dingtalk = channel();
    const receipts = await Promise.all(
      Array.from({ length: 100 }, (_, i) => dingtalk.send(['u0123'], notice(`明日 09:30 家访 V-${i}`))),
    );
    expect(fake.tokenFetches).toBe(1);
    expect(new Set(receipts.map((r) => r.messageId)).size).toBe(100);
    expect(fake.deliveredNotices('u0123')).toHaveLength(100);
  });

  it('drops a revoked token, refetches it once for a whole burst, and delivers', async () => {
    const dingtalk = channel();
    await dingtalk.send(['u0123'], notice('V-1 09:30'));
    fake.expireAllTokens();
    await Promise.all(Array.from({ length: 20 }, (_, i) => dingtalk.send(['u0456'], notice(`V-2-${i} 10:00`))));
    // Compare-and-swap invalidation: 20 refusals of the same token cause one refetch, not 20.
    expect(fake.tokenFetches).toBe(2);
    expect(fake.deliveredNotices('u0456')).toHaveLength(20);
  });

  it('refetches after the v1.0 card API refuses the token (InvalidAuthentication)', async () => {
    const dingtalk = channel();
    await dingtalk.send(['u0123'], card('survey-1'));
    fake.expireAllTokens();
    const receipt = await dingtalk.send(['u0123'], card('survey-2'));
    expect(receipt.outTrackId).toBe('survey-2');
    expect(fake.tokenFetches).toBe(2);
    expect(fake.deliveredCards('u0123').map((c) => c.outTrackId)).toEqual(['survey-1', 'survey-2']);
  });

  it('refreshes a token 300 s before expireIn, without a refused call first', async () => {
    const dingtalk = channel();
    await dingtalk.send(['u0123'], notice('V-1'));
    clock.advance(7200_000 - 300_000 - 1);
    await dingtalk.send(['u0123'], notice('V-2'));
    expect(fake.tokenFetches).toBe(1);
    clock.advance(2);
    await dingtalk.send(['u0123'], notice('V-3'));
    expect(fake.tokenFetches).toBe(2);
    clock.advance(3 * 3600_000); // long past expiry on both sides
    await dingtalk.send(['u0123'], notice('V-4'));
    expect(fake.tokenFetches).toBe(3);
    expect(callsTo('/topapi/message/corpconversation/asyncsend_v2')).toBe(4); // nothing was refused
    expect(fake.deliveredNotices('u0123')).toHaveLength(4);
  });

  it('refreshes a short-lived token at half its life rather than at birth', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, expireIn: 400 });
    const dingtalk = channel();
    await dingtalk.send(['u0123'], notice('V-1'));
    clock.advance(199_000);
    await dingtalk.send(['u0123'], notice('V-2'));
    expect(fake.tokenFetches).toBe(1);
    clock.advance(2_000);
    await dingtalk.send(['u0123'], notice('V-3'));
    expect(fake.tokenFetches).toBe(2);
  });

  it('reports a wrong secret as a permanent configuration error and does not hammer the token endpoint', async () => {
    const dingtalk = channel({ appSecret: 'wrong' });
    const first = await failure(dingtalk.send(['u0123'], notice('V-1')));
    expect(first).toMatchObject({ reason: 'configuration', retryable: false, platformCode: 'invalidClientIdOrSecret' });
    const second = await failure(dingtalk.send(['u0123'], notice('V-2')));
    expect(second.reason).toBe('configuration');
    expect(fake.tokenFetches).toBe(1);
  });
});

describe('platform failures', () => {
  it('surfaces system.busy (HTTP 500) as a retryable unavailable, and the retry succeeds', async () => {
    const dingtalk = channel();
    fake.failNext(1, { status: 500, code: 'system.busy' });
    const error = await failure(dingtalk.send(['u0123'], card('survey-1')));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true, platformCode: 'system.busy' });
    await expect(dingtalk.send(['u0123'], card('survey-1'))).resolves.toMatchObject({ outTrackId: 'survey-1' });
  });

  it('surfaces a QPS rejection (HTTP 403) as retryable rate_limited with a 1 s hint', async () => {
    fake.failNext(1, { status: 403, code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' });
    const error = await failure(channel().send(['u0123'], card('survey-1')));
    expect(error).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 1000 });
  });

  it('surfaces oapi errcode 90018 on a work notice as retryable rate_limited', async () => {
    fake.failNext(1, { errcode: 90018 });
    const error = await failure(channel().send(['u0123'], notice('V-1')));
    expect(error).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 1000, platformCode: 90018 });
  });

  it('stops on the monthly quota (90020 / ApiCountLimitForOrg): configuration, not retryable', async () => {
    fake.failNext(1, { errcode: 90020 });
    expect(await failure(channel().send(['u0123'], notice('V-1')))).toMatchObject({ reason: 'configuration', retryable: false });
    fake.failNext(1, { status: 403, code: 'Forbidden.AccessDenied.ApiCountLimitForOrg' });
    expect(await failure(channel().send(['u0123'], card('survey-1')))).toMatchObject({ reason: 'configuration', retryable: false });
  });

  it('turns a timeout into a retryable unavailable; the retry of a card DingTalk did create counts as sent', async () => {
    const dingtalk = channel({ timeoutMs: 100 });
    fake.slowNext(1, 400);
    const error = await failure(dingtalk.send(['u0123'], card('survey-1')));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true });
    await fake.settled(); // the fake carried the call out after our client gave up
    const receipt = await dingtalk.send(['u0123'], card('survey-1'));
    expect(receipt.outTrackIds).toEqual({ u0123: 'survey-1' });
    expect(fake.deliveredCards('u0123')).toHaveLength(1);
  });

  it('turns a reset connection into a retryable unavailable', async () => {
    fake.failNext(1, { reset: true });
    expect(await failure(channel().send(['u0123'], notice('V-1')))).toMatchObject({ reason: 'unavailable', retryable: true });
  });

  it('rejects a card template DingTalk does not know as a permanent bad_request', async () => {
    const error = await failure(channel({ cardTemplateId: 'nope.schema' }).send(['u0123'], card('survey-1')));
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false, platformCode: 'param.templateNotExist' });
  });
});

describe('recipients', () => {
  it('reports a card to an unknown user as unknown_recipient', async () => {
    const error = await failure(channel().send(['ghost'], card('survey-1')));
    expect(error).toMatchObject({ reason: 'unknown_recipient', retryable: false });
    expect(error.message).toContain('user not exist');
  });

  it('delivers a card to the known users and lists the unknown one on the receipt', async () => {
    const receipt = await channel().send(['u0123', 'ghost', 'u0456'], card('survey-7'));
    expect(receipt.outTrackIds).toEqual({ u0123: 'survey-7_0', u0456: 'survey-7_2' });
    expect(receipt.invalidRecipients).toEqual(['ghost']);
    expect(fake.deliveredCards('u0456').map((c) => c.outTrackId)).toEqual(['survey-7_2']);
  });

  it('names an unknown user of a work notice as failed/invalid in checkDelivery', async () => {
    const dingtalk = channel();
    const receipt = await dingtalk.send(['u0123', 'ghost'], notice('V-1 09:30'));
    const report = await dingtalk.checkDelivery(receipt, ['u0123', 'ghost']);
    expect(report).toMatchObject({ delivered: ['u0123'], failed: ['ghost'], invalid: ['ghost'], dropped: [], pending: [] });
  });

  it('splits more than 100 recipients into several work notices', async () => {
    const dingtalk = channel();
    const to = ['u0123', 'u0456', 'u0789', ...Array.from({ length: 147 }, (_, i) => `ghost${i}`)];
    const receipt = await dingtalk.send(to, notice('V-1 09:30'));
    expect(receipt.messageId?.split(',')).toHaveLength(2);
    const report = await dingtalk.checkDelivery(receipt, to);
    expect(report.delivered.sort()).toEqual(['u0123', 'u0456', 'u0789']);
    expect(report.invalid).toHaveLength(147);
  });

  it('refuses a work notice over 2048 bytes before calling DingTalk', async () => {
    const error = await failure(channel().send(['u0123'], notice('长'.repeat(700))));
    expect(error).toMatchObject({ reason: 'bad_request', retryable: false });
    expect(callsTo('/topapi/message/corpconversation/asyncsend_v2')).toBe(0);
  });
});

describe('silent drops of work notices', () => {
  it('shows the same notice sent twice in one day as dropped, and delivers it again the next day', async () => {
    const dingtalk = channel();
    const first = await dingtalk.send(['u0123'], notice('明日 09:30 家访 V-17'));
    const second = await dingtalk.send(['u0123'], notice('明日 09:30 家访 V-17'));
    // DingTalk answered success both times…
    expect(second.messageId).toBeTruthy();
    // …but only the first arrived.
    expect(fake.deliveredNotices('u0123')).toHaveLength(1);
    expect(await dingtalk.checkDelivery(first)).toMatchObject({ delivered: ['u0123'], dropped: [] });
    const report = await dingtalk.checkDelivery(second, ['u0123']);
    expect(report).toMatchObject({ delivered: [], dropped: ['u0123'], failed: [], dropCodes: { u0123: '143106' } });

    clock.advance(24 * 3600_000);
    const nextDay = await dingtalk.send(['u0123'], notice('明日 09:30 家访 V-17'));
    expect(await dingtalk.checkDelivery(nextDay)).toMatchObject({ delivered: ['u0123'], dropped: [] });
  });

  it('shows notices beyond the per-user daily cap as dropped', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, noticeDailyLimit: 2 });
    const dingtalk = channel();
    await dingtalk.send(['u0123'], notice('V-1'));
    await dingtalk.send(['u0123'], notice('V-2'));
    const third = await dingtalk.send(['u0123'], notice('V-3'));
    expect(await dingtalk.checkDelivery(third)).toMatchObject({ dropped: ['u0123'], dropCodes: { u0123: '143105' } });
  });
});

describe('interactive cards', () => {
  it('creates a card for a user and then updates it after a tap', async () => {
    const dingtalk = channel();
    const receipt = await dingtalk.send(['u0123'], card('survey-017-u0123'));
    expect(receipt).toMatchObject({ channel: 'dingtalk', outTrackId: 'survey-017-u0123', outTrackIds: { u0123: 'survey-017-u0123' } });
    const [delivered] = fake.deliveredCards('u0123');
    expect(delivered).toMatchObject({
      cardTemplateId: fake.cardTemplateId,
      callbackType: 'HTTP',
      callbackRouteKey: 'huifang-test',
      cardParamMap: { title: '家访回访', answered: 'false' },
    });

    await dingtalk.update({ receipt, userIds: ['u0123'] }, { replaceText: '已回答：满意' });
    expect(fake.deliveredCards('u0123')[0].cardParamMap).toEqual({
      title: '家访回访',
      address: '3栋402',
      answered: 'true',
      answerText: '已回答：满意',
    });

    await dingtalk.update({ receipt, userIds: ['u0123'] }, { message: card('ignored', { address: '3栋403' }) });
    expect(fake.deliveredCards('u0123')[0].cardParamMap).toMatchObject({ address: '3栋403', answered: 'true' });
  });

  it('gives each recipient an instance of their own, and an update changes only the tapper’s copy', async () => {
    const dingtalk = channel();
    const receipt = await dingtalk.send(['u0123', 'u0456'], card('survey-9'));
    expect(receipt.outTrackIds).toEqual({ u0123: 'survey-9_0', u0456: 'survey-9_1' });
    await dingtalk.update({ receipt, userIds: ['u0456'] }, { replaceText: '不满意' });
    expect(fake.deliveredCards('u0456')[0].cardParamMap.answered).toBe('true');
    expect(fake.deliveredCards('u0123')[0].cardParamMap.answered).toBe('false');
  });

  it('reports card delivery from the receipt in checkDelivery', async () => {
    const dingtalk = channel();
    const receipt = await dingtalk.send(['u0123', 'ghost'], card('survey-3'));
    expect(await dingtalk.checkDelivery(receipt)).toMatchObject({ delivered: ['u0123'], failed: ['ghost'], dropped: [] });
  });

  it('refuses to update a work notice', async () => {
    const dingtalk = channel();
    const receipt = await dingtalk.send(['u0123'], notice('V-1'));
    expect(await failure(dingtalk.update({ receipt, userIds: ['u0123'] }, { replaceText: 'x' }))).toMatchObject({ reason: 'bad_request' });
  });

  it('maps an update of a card DingTalk does not know to a permanent error', async () => {
    const error = await failure(channel().update({ receipt: { channel: 'dingtalk', outTrackId: 'never-sent' }, userIds: [] }, { replaceText: 'x' }));
    expect(error).toMatchObject({ retryable: false });
  });
});
