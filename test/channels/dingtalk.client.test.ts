import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../../src/channels/channel';
import { DingtalkClient } from '../../src/channels/dingtalk/dingtalk.client';
import { dingtalkApiError, dingtalkOapiError } from '../../src/channels/dingtalk/dingtalk-errors';
import { robotSign, signRobotWebhook } from '../../src/channels/dingtalk/dingtalk-robot-sign';
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
    expect(fake.unexpected).toEqual([]);
  } finally {
    await fake.close();
  }
});

function client(): DingtalkClient {
  return new DingtalkClient(fake.config(), { clock });
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

const weekly = { msgtype: 'markdown', markdown: { title: '周报', text: '#### 本周家访\n- 完成 42 次' } };

describe('the custom group robot', () => {
  it('signs the webhook URL so the robot accepts it', async () => {
    await client().robotSend(fake.robotWebhookUrl, fake.robotSecret, weekly);
    expect(fake.robotMessages()).toEqual([weekly]);
  });

  it('URL-encodes the signature exactly once', () => {
    const url = new URL(signRobotWebhook('https://oapi.dingtalk.com/robot/send?access_token=abc', 'SECxyz', 1742270400123));
    expect(url.searchParams.get('timestamp')).toBe('1742270400123');
    expect(url.searchParams.get('sign')).toBe(robotSign('SECxyz', 1742270400123));
    expect(url.search).not.toMatch(/sign=[^&]*[+/=]/);
  });

  it('maps a wrong secret or a missing signature to a permanent configuration error (310000)', async () => {
    expect(await failure(client().robotSend(fake.robotWebhookUrl, 'SECwrong', weekly))).toMatchObject({
      reason: 'configuration',
      retryable: false,
      platformCode: 310000,
    });
    expect(await failure(client().robotSend(fake.robotWebhookUrl, undefined, weekly))).toMatchObject({ platformCode: 310000 });
    expect(fake.robotMessages()).toEqual([]);
  });

  it('maps the 21st message in a minute to rate_limited with a 60 s hint', async () => {
    const robot = client();
    for (let i = 0; i < 20; i += 1) await robot.robotSend(fake.robotWebhookUrl, fake.robotSecret, weekly);
    expect(await failure(robot.robotSend(fake.robotWebhookUrl, fake.robotSecret, weekly))).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      retryAfterMs: 60_000,
      platformCode: 130101,
    });
  });

  it('accepts errcode "0" as a string', async () => {
    fake.failNext(1, { raw: { errcode: '0', errmsg: 'ok' } });
    await expect(client().robotSend(fake.robotWebhookUrl, fake.robotSecret, weekly)).resolves.toBeUndefined();
  });

  it('treats the anti-abuse body and any unknown body as failures, never as sent', async () => {
    fake.failNext(1, { raw: { status: 1111, wait: 5, source: 'x5', punish: 'deny' } });
    expect(await failure(client().robotSend(fake.robotWebhookUrl, fake.robotSecret, weekly))).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      retryAfterMs: 300_000,
    });
    fake.failNext(1, { raw: { hello: 'world' } });
    expect(await failure(client().robotSend(fake.robotWebhookUrl, fake.robotSecret, weekly))).toMatchObject({ reason: 'unavailable' });
  });
});

describe('the token refetch', () => {
  it('treats errcode 88 with sub_code 40014 as a refused token: one refetch, one retry', async () => {
    const api = client();
    await api.sendWorkNotice(['u0123'], { msgtype: 'text', text: { content: 'V-1' } });
    fake.failNext(1, { errcode: 88, sub_code: '40014' });
    await api.sendWorkNotice(['u0123'], { msgtype: 'text', text: { content: 'V-2' } });
    expect(fake.tokenFetches).toBe(2);
    expect(fake.deliveredNotices('u0123')).toHaveLength(2);
  });

  it('does not loop when the fresh token is refused too', async () => {
    fake.failNext(2, { status: 401, code: 'InvalidAuthentication' });
    const error = await failure(
      client().createAndDeliverCard({ outTrackId: 't1', cardTemplateId: fake.cardTemplateId, cardParamMap: {}, userIds: ['u0123'] }),
    );
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true });
    expect(fake.tokenFetches).toBe(2);
    expect(fake.calls.filter((c) => c.path === '/v1.0/card/instances/createAndDeliver')).toHaveLength(2);
  });
});

describe('work-notice results', () => {
  it('reads getsendresult into invalid / forbidden / failed / read / unread lists', async () => {
    const api = client();
    await api.sendWorkNotice(['u0123'], { msgtype: 'text', text: { content: 'V-1' } });
    const taskId = await api.sendWorkNotice(['u0123', 'u0456', 'ghost'], { msgtype: 'text', text: { content: 'V-1' } });
    expect(await api.getSendResult(taskId)).toEqual({
      invalid: ['ghost'],
      forbidden: ['u0123'],
      failed: [],
      read: [],
      unread: ['u0456'],
      forbiddenCodes: { u0123: '143106' },
    });
  });
});

describe('the fake is faithful where the notes are explicit', () => {
  it('refuses a form-encoded body on the v1.0 token endpoint ("body is mandatory")', async () => {
    const response = await fetch(`${fake.baseUrl}/v1.0/oauth2/accessToken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `appKey=${fake.appKey}&appSecret=${fake.appSecret}`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'body is mandatory for this action.' });
  });

  it('serves the legacy gettoken, whose token works on the v1.0 host too', async () => {
    const answer = (await (await fetch(`${fake.baseUrl}/gettoken?appkey=${fake.appKey}&appsecret=${fake.appSecret}`)).json()) as {
      access_token: string;
    };
    const response = await fetch(`${fake.baseUrl}/v1.0/card/instances`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'x-acs-dingtalk-access-token': answer.access_token },
      body: JSON.stringify({ outTrackId: 'unknown', cardData: { cardParamMap: {} } }),
    });
    expect(response.status).toBe(400); // past the token check: the card is unknown
    expect(await response.json()).toMatchObject({ code: 'param.cardNotExist' });
  });

  it('answers 404 to a call it does not know, and records it', async () => {
    const response = await fetch(`${fake.baseUrl}/v1.0/im/interactiveCards/send`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(fake.unexpected.splice(0)).toEqual([{ method: 'POST', path: '/v1.0/im/interactiveCards/send' }]);
  });
});

describe('error mapping (codes only)', () => {
  it.each([
    [-1, 'unavailable', true],
    [40014, 'unavailable', true],
    [90018, 'rate_limited', true],
    [90002, 'rate_limited', true],
    [130101, 'rate_limited', true],
    [410100, 'rate_limited', true],
    [90020, 'configuration', false],
    [60020, 'configuration', false],
    [40089, 'configuration', false],
    [310000, 'configuration', false],
    [300005, 'configuration', false],
    [400101, 'configuration', false],
    [400102, 'configuration', false],
    [400106, 'configuration', false],
    [60121, 'unknown_recipient', false],
    [40035, 'bad_request', false],
    [123456, 'bad_request', false],
  ] as const)('oapi errcode %s → %s (retryable %s)', (errcode, reason, retryable) => {
    expect(dingtalkOapiError('asyncsend_v2', errcode)).toMatchObject({ reason, retryable });
  });

  it('judges errcode 88 by its sub_code', () => {
    expect(dingtalkOapiError('asyncsend_v2', 88, '60011')).toMatchObject({ reason: 'configuration', platformCode: '88/60011' });
    expect(dingtalkOapiError('asyncsend_v2', 88, '90018')).toMatchObject({ reason: 'rate_limited', retryAfterMs: 1000 });
  });

  it('hints 60 s for throttled robots and 1 s for QPS limits', () => {
    expect(dingtalkOapiError('robot/send', 130101).retryAfterMs).toBe(60_000);
    expect(dingtalkOapiError('asyncsend_v2', 90018).retryAfterMs).toBe(1_000);
  });

  it.each([
    [500, 'system.busy', 'unavailable', true],
    [503, undefined, 'unavailable', true],
    [403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', 'rate_limited', true],
    [403, 'Forbidden.AccessDenied.QpsLimitForApi', 'rate_limited', true],
    [403, 'Forbidden.AccessDenied.ApiCountLimitForOrg', 'configuration', false],
    [400, 'invalidClientIdOrSecret', 'configuration', false],
    [400, 'param.userIdNotExist', 'unknown_recipient', false],
    [400, 'param.templateNotExist', 'bad_request', false],
    [400, 'param.cardAlreadyExist', 'bad_request', false],
    [400, 'param.contentUnsafe', 'bad_request', false],
  ] as const)('v1.0 HTTP %s %s → %s (retryable %s)', (status, code, reason, retryable) => {
    expect(dingtalkApiError('card/createAndDeliver', status, code)).toMatchObject({ reason, retryable });
  });
});
