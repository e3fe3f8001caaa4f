import { createDecipheriv, createHash } from 'node:crypto';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackEvent } from '../../src/channels/channel';
import {
  CallbackRejected,
  DingtalkEventCodec,
  cardCallbackReply,
  encryptEvent,
  parseCardCallback,
  signCardCallback,
  verifyCardCallback,
} from '../../src/channels/dingtalk/dingtalk-callback';
import { ManualClock } from '../support/manual-clock';
import { FakeDingtalk, startFakeDingtalk } from '../fakes/fake-dingtalk';

/** docs/dingtalk.md §5.5: the published DingTalk test values (the ciphertext itself is not in the notes). */
const V55 = {
  token: 'mryue',
  aesKey: 'Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7',
  ownerKey: 'ding6ccabc44d2c8d38b',
  timestamp: '1608001896814',
  nonce: 'WL4PK6yA',
};

/** docs/wecom.md §8.4: DingTalk's published debugging vector, ciphertext included. */
const V84 = {
  token: '123456',
  aesKey: '4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij',
  ownerKey: 'suite4xxxxxxxxxxxxxxx',
  timestamp: '1445827045067',
  nonce: 'nEXhMP4r',
  encrypt:
    '1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==',
  signature: '5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0',
};

/** An implementation independent of @wecom/crypto: §5.3 written out with node:crypto. */
function independentDecrypt(aesKey: string, encrypted: string): { message: string; owner: string } {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const pad = padded[padded.length - 1];
  expect(pad).toBeGreaterThanOrEqual(1);
  expect(pad).toBeLessThanOrEqual(32);
  expect(padded.length % 32).toBe(0);
  const plain = padded.subarray(0, padded.length - pad);
  const length = plain.readUInt32BE(16);
  return { message: plain.subarray(20, 20 + length).toString('utf8'), owner: plain.subarray(20 + length).toString('utf8') };
}

function independentSignature(...parts: string[]): string {
  return createHash('sha1').update(parts.sort().join('')).digest('hex');
}

function rejection(run: () => unknown): CallbackRejected {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackRejected);
    return error as CallbackRejected;
  }
  throw new Error('expected CallbackRejected');
}

describe('event push crypto', () => {
  it('verifies and decrypts DingTalk’s published vector (docs/wecom.md §8.4)', () => {
    const codec = new DingtalkEventCodec({ token: V84.token, aesKey: V84.aesKey, ownerKey: V84.ownerKey });
    const decoded = codec.decode(
      { signature: V84.signature, timestamp: V84.timestamp, nonce: V84.nonce },
      { encrypt: V84.encrypt },
      new Date(Number(V84.timestamp) + 1000),
    );
    expect(decoded.event).toEqual({ EventType: 'check_create_suite_url', Random: 'LPIdSnlF', TestSuiteKey: 'suite4xxxxxxxxxxxxxxx' });
    expect(decoded.eventId).toMatch(/^dingtalk:check_create_suite_url:[0-9a-f]{40}$/);
  });

  it('round-trips a check_url push with the §5.5 values (token mryue, owner ding6ccabc44d2c8d38b)', () => {
    const codec = new DingtalkEventCodec({ token: V55.token, aesKey: V55.aesKey, ownerKey: V55.ownerKey });
    const push = encryptEvent({ token: V55.token, aesKey: V55.aesKey, ownerKey: V55.ownerKey }, { EventType: 'check_url' }, V55);
    expect(push.query).toMatchObject({ timestamp: V55.timestamp, nonce: V55.nonce });
    // 16 + 4 + 25 + 20 = 65 plaintext bytes → 96 with 32-byte PKCS#7 (the notes: 96 bytes, 31-byte pad).
    expect(Buffer.from(push.body.encrypt, 'base64')).toHaveLength(96);
    expect(independentDecrypt(V55.aesKey, push.body.encrypt)).toEqual({ message: '{"EventType":"check_url"}', owner: V55.ownerKey });
    const decoded = codec.decode(push.query, push.body, new Date(Number(V55.timestamp)));
    expect(decoded.event).toEqual({ EventType: 'check_url' });
  });

  const keys = { token: 'fakeEventToken', aesKey: V55.aesKey, ownerKey: 'dingfakeappkey0001' };
  const codec = new DingtalkEventCodec(keys);
  const now = new Date('2026-11-26T02:00:00Z');
  const at = { timestamp: now.getTime(), nonce: 'n0nce123' };

  it('answers with `success` encrypted under our owner key, a 16-char nonce and a valid signature', () => {
    const reply = codec.successReply(now);
    expect(reply.timeStamp).toBe(String(now.getTime()));
    expect(reply.nonce).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(reply.msg_signature).toBe(independentSignature(keys.token, reply.timeStamp, reply.nonce, reply.encrypt));
    expect(independentDecrypt(keys.aesKey, reply.encrypt)).toEqual({ message: 'success', owner: keys.ownerKey });
    expect(codec.successReply(now, 'Xk3v9QpL2mZr7TbW').nonce).toBe('Xk3v9QpL2mZr7TbW');
  });

  it('accepts both spellings: msg_signature/timeStamp and signature/timestamp', () => {
    const push = encryptEvent(keys, { EventType: 'user_add_org', UserId: ['u0123'], TimeStamp: '1' }, { ...at, spelling: 'msg_signature' });
    const q = push.query as { msg_signature: string; timestamp: string; nonce: string };
    expect(codec.decode({ msg_signature: q.msg_signature, timeStamp: q.timestamp, nonce: q.nonce }, push.body, now).event.EventType).toBe(
      'user_add_org',
    );
  });

  it('gives a redelivered event the same eventId and a different event another', () => {
    const event = { EventType: 'user_add_org', UserId: ['u0123'], TimeStamp: '1764122400000' };
    const once = encryptEvent(keys, event, at);
    const first = codec.decode(once.query, once.body, now);
    const again = encryptEvent(keys, event, at);
    expect(codec.decode(again.query, again.body, now).eventId).toBe(first.eventId);
    const other = encryptEvent(keys, { ...event, TimeStamp: '1764122400001' }, at);
    expect(codec.decode(other.query, other.body, now).eventId).not.toBe(first.eventId);
  });

  it('rejects a bad signature with 401', () => {
    const push = encryptEvent(keys, { EventType: 'check_url' }, at);
    const forged = { ...push.query, signature: '0'.repeat(40) };
    const error = rejection(() => codec.decode(forged, push.body, now));
    expect(error).toMatchObject({ status: 401, reason: 'bad_signature' });
    // Another first character (a ciphertext starting with 'A' already would be left as it was).
    expect(rejection(() => codec.decode(push.query, { encrypt: push.body.encrypt.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, now)).status).toBe(401);
    expect(rejection(() => new DingtalkEventCodec({ ...keys, token: 'other' }).decode(push.query, push.body, now)).status).toBe(401);
  });

  it('rejects another app’s push (owner key) with 403', () => {
    const push = encryptEvent({ ...keys, ownerKey: 'dingsomeoneelse' }, { EventType: 'check_url' }, at);
    expect(rejection(() => codec.decode(push.query, push.body, now))).toMatchObject({ status: 403, reason: 'wrong_owner' });
  });

  it('rejects timestamps more than 5 minutes off, reading seconds and milliseconds by magnitude', () => {
    const late = encryptEvent(keys, { EventType: 'check_url' }, { ...at, timestamp: now.getTime() - 301_000 });
    expect(rejection(() => codec.decode(late.query, late.body, now))).toMatchObject({ status: 401, reason: 'stale_timestamp' });
    const early = encryptEvent(keys, { EventType: 'check_url' }, { ...at, timestamp: now.getTime() + 301_000 });
    expect(rejection(() => codec.decode(early.query, early.body, now)).reason).toBe('stale_timestamp');
    const seconds = encryptEvent(keys, { EventType: 'check_url' }, { ...at, timestamp: Math.floor(now.getTime() / 1000) - 60 });
    expect(codec.decode(seconds.query, seconds.body, now).event).toEqual({ EventType: 'check_url' });
    const oldSeconds = encryptEvent(keys, { EventType: 'check_url' }, { ...at, timestamp: Math.floor(now.getTime() / 1000) - 400 });
    expect(rejection(() => codec.decode(oldSeconds.query, oldSeconds.body, now)).reason).toBe('stale_timestamp');
  });

  it('rejects a push without signature, timestamp or body', () => {
    const push = encryptEvent(keys, { EventType: 'check_url' }, at);
    expect(rejection(() => codec.decode({ timestamp: at.timestamp.toString(), nonce: at.nonce }, push.body, now)).status).toBe(401);
    expect(rejection(() => codec.decode(push.query, {}, now)).status).toBe(401);
    expect(rejection(() => codec.decode(push.query, null, now)).status).toBe(401);
  });
});

describe('card action callback', () => {
  const secret = 'card-api-secret-0123456789abcdefXYZ';
  const now = new Date('2026-11-26T02:00:00Z');
  const body = {
    type: 'actionCallback',
    outTrackId: 'survey-017-u0123',
    corpId: 'ding1234567890abcdef',
    userId: 'u0123',
    content: JSON.stringify({ cardPrivateData: { actionIds: ['btn_satisfied'], params: { answer: '3', tags: ['clean', 'quick'] } } }),
  };

  it('accepts the right HMAC (ms or s timestamps) and parses the tap', () => {
    const ts = String(now.getTime());
    expect(() => verifyCardCallback({ 'x-ddpaas-signature-timestamp': ts, 'x-ddpaas-signature': signCardCallback(secret, ts) }, secret, now)).not.toThrow();
    const seconds = String(Math.floor(now.getTime() / 1000));
    expect(() =>
      verifyCardCallback({ 'x-ddpaas-signature-timestamp': seconds, 'x-ddpaas-signature': signCardCallback(secret, seconds) }, secret, now),
    ).not.toThrow();

    const event = parseCardCallback(body, now);
    expect(event).toEqual<CallbackEvent>({
      type: 'card_action',
      channel: 'dingtalk',
      eventId: 'survey-017-u0123:u0123:btn_satisfied',
      userId: 'u0123',
      cardId: 'survey-017-u0123',
      actionKey: 'btn_satisfied',
      params: { answer: '3', tags: '["clean","quick"]' },
      selections: { tags: ['clean', 'quick'] },
      at: now,
    });
  });

  it('rejects a wrong HMAC, a missing one, and a stale timestamp with 401', () => {
    const ts = String(now.getTime());
    expect(rejection(() => verifyCardCallback({ 'x-ddpaas-signature-timestamp': ts, 'x-ddpaas-signature': signCardCallback('other', ts) }, secret, now)))
      .toMatchObject({ status: 401, reason: 'bad_signature' });
    expect(rejection(() => verifyCardCallback({ 'x-ddpaas-signature-timestamp': ts }, secret, now)).status).toBe(401);
    const old = String(now.getTime() - 301_000);
    expect(rejection(() => verifyCardCallback({ 'x-ddpaas-signature-timestamp': old, 'x-ddpaas-signature': signCardCallback(secret, old) }, secret, now)))
      .toMatchObject({ reason: 'stale_timestamp' });
  });

  it('reads `value` when `content` is absent, and refuses a body without an action', () => {
    const { content, ...rest } = body;
    expect(parseCardCallback({ ...rest, value: content }, now).actionKey).toBe('btn_satisfied');
    expect(rejection(() => parseCardCallback({ ...rest, content: '{"cardPrivateData":{"actionIds":[]}}' }, now)).reason).toBe('malformed');
    expect(rejection(() => parseCardCallback({ ...rest, content: 'not json' }, now)).reason).toBe('malformed');
    expect(rejection(() => parseCardCallback({ content }, now)).reason).toBe('malformed');
  });

  it('builds the ≤ 2 s reply that marks the tapper’s copy answered', () => {
    expect(cardCallbackReply('满意')).toEqual({
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      cardData: { cardParamMap: {} },
      userPrivateData: { cardParamMap: { answered: 'true', answerText: '满意' } },
    });
  });
});

describe('inbound requests from the fake DingTalk to our HTTP endpoints', () => {
  let clock: ManualClock;
  let fake: FakeDingtalk;
  let server: Server;
  let url: string;
  const events: string[] = [];
  const taps: CallbackEvent[] = [];

  beforeAll(async () => {
    clock = new ManualClock('2026-11-26T02:00:00Z');
    fake = await startFakeDingtalk({ clock });
    const codec = new DingtalkEventCodec({ token: fake.token, aesKey: fake.aesKey, ownerKey: fake.appKey });
    // The routes as the real app would write them: verify first, answer fast, hand off.
    const app = new Koa();
    app.use(async (ctx) => {
      const body = JSON.parse(await getRawBody(ctx.req, { encoding: 'utf8', limit: '1mb' })) as unknown;
      try {
        if (ctx.path === '/callbacks/dingtalk') {
          const decoded = codec.decode(ctx.query, body, clock.now());
          events.push(String(decoded.event.EventType));
          ctx.body = codec.successReply(clock.now());
        } else if (ctx.path === '/callbacks/dingtalk/card') {
          verifyCardCallback(ctx.headers, fake.cardApiSecret, clock.now());
          const tap = parseCardCallback(body, clock.now());
          taps.push(tap);
          ctx.body = cardCallbackReply(`已选择 ${tap.params?.answer}`);
        }
      } catch (error) {
        if (!(error instanceof CallbackRejected)) throw error;
        ctx.status = error.status;
        ctx.body = { error: { code: error.code, message: error.message } };
      }
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  it('answers the console’s check_url push with an encrypted success', async () => {
    const response = await fake.pushEvent(`${url}/callbacks/dingtalk`, { EventType: 'check_url' });
    expect(response.status).toBe(200);
    const reply = response.body as { msg_signature: string; timeStamp: string; nonce: string; encrypt: string };
    expect(reply.msg_signature).toBe(independentSignature(fake.token, reply.timeStamp, reply.nonce, reply.encrypt));
    expect(independentDecrypt(fake.aesKey, reply.encrypt)).toEqual({ message: 'success', owner: fake.appKey });
    expect(events).toContain('check_url');
  });

  it('refuses a push signed with another token', async () => {
    const response = await fake.pushEvent(`${url}/callbacks/dingtalk`, { EventType: 'user_add_org' }, { token: 'not-ours' });
    expect(response.status).toBe(401);
    expect(events).not.toContain('user_add_org');
  });

  it('verifies and parses a signed tap, and refuses one signed with the wrong secret', async () => {
    const ok = await fake.tapCard(`${url}/callbacks/dingtalk/card`, {
      outTrackId: 'survey-1',
      userId: 'u0123',
      actionId: 'btn_satisfied',
      params: { answer: '满意' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.userPrivateData.cardParamMap).toEqual({ answered: 'true', answerText: '已选择 满意' });
    expect(taps.map((t) => t.eventId)).toEqual(['survey-1:u0123:btn_satisfied']);

    const forged = await fake.tapCard(`${url}/callbacks/dingtalk/card`, {
      outTrackId: 'survey-1',
      userId: 'u0123',
      actionId: 'btn_unsatisfied',
      apiSecret: 'wrong-secret',
    });
    expect(forged.status).toBe(401);
    expect(taps).toHaveLength(1);
  });
});
