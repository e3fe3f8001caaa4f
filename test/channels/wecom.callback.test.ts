import { encrypt, getSignature } from '@wecom/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RenderedMessage } from '../../src/channels/channel';
import {
  buildCardEventXml,
  CallbackRejected,
  encryptCallback,
  WecomCallbackCodec,
} from '../../src/channels/wecom/wecom-callback';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { ManualClock } from '../support/manual-clock';
import { DomainError } from '../../src/errors';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';

/** WeCom's published sample values (docs/wecom.md §8.3). */
const SAMPLE = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
};
const SAMPLE_URL_CHECK = {
  msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const SAMPLE_ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const SAMPLE_POST_QUERY = {
  msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
};
const SAMPLE_POST_BODY = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${SAMPLE_ENCRYPT}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
/** "Now" as the samples were made (2014); a callback is only accepted within 300 s of it. */
const SAMPLE_NOW = new Date(1409659813 * 1000 + 20_000);

/** The CallbackRejected a call throws (fails the test otherwise). */
function rejectionOf(call: () => unknown): CallbackRejected {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackRejected);
    return error as CallbackRejected;
  }
  throw new Error('expected the callback to be rejected');
}

describe('WecomCallbackCodec with WeCom’s sample vectors', () => {
  const codec = new WecomCallbackCodec(SAMPLE);

  it('answers the URL check with the decrypted echostr', () => {
    expect(codec.verifyUrl(SAMPLE_URL_CHECK)).toBe('1616140317555161061');
  });

  it('still verifies when a router turned the echostr’s + into spaces', () => {
    const decoded = { ...SAMPLE_URL_CHECK, echostr: SAMPLE_URL_CHECK.echostr.replace(/\+/g, ' ') };
    expect(codec.verifyUrl(decoded)).toBe('1616140317555161061');
  });

  it('refuses a URL check with a wrong signature, with status 401', () => {
    const error = rejectionOf(() => codec.verifyUrl({ ...SAMPLE_URL_CHECK, msg_signature: '0'.repeat(40) }));
    expect(error.reason).toBe('bad_signature');
    expect(error.status).toBe(401);
    expect(error).toBeInstanceOf(DomainError);
  });

  it('refuses a URL check with a missing parameter', () => {
    const { nonce: _nonce, ...withoutNonce } = SAMPLE_URL_CHECK;
    expect(rejectionOf(() => codec.verifyUrl(withoutNonce)).reason).toBe('malformed');
  });

  it('decodes the sample POST to the text “hello” from mycreate, keyed by its MsgId', () => {
    expect(codec.decode(SAMPLE_POST_QUERY, SAMPLE_POST_BODY, SAMPLE_NOW)).toEqual({
      type: 'text_reply',
      channel: 'wecom',
      eventId: 'msg:4561255354251345929',
      userId: 'mycreate',
      text: 'hello',
      at: new Date(1409659813 * 1000),
    });
  });

  it('refuses the sample POST when its timestamp is more than 300 s from now', () => {
    const later = new Date(SAMPLE_NOW.getTime() + 300_000);
    expect(rejectionOf(() => codec.decode(SAMPLE_POST_QUERY, SAMPLE_POST_BODY, later)).reason).toBe('stale_timestamp');
    const today = new Date('2026-11-26T07:00:00Z');
    expect(rejectionOf(() => codec.decode(SAMPLE_POST_QUERY, SAMPLE_POST_BODY, today)).reason).toBe('stale_timestamp');
  });

  it('refuses a POST whose signature does not match the body', () => {
    const query = { ...SAMPLE_POST_QUERY, msg_signature: SAMPLE_URL_CHECK.msg_signature };
    expect(rejectionOf(() => codec.decode(query, SAMPLE_POST_BODY, SAMPLE_NOW)).reason).toBe('bad_signature');
    const short = { ...SAMPLE_POST_QUERY, msg_signature: 'abc' };
    expect(rejectionOf(() => codec.decode(short, SAMPLE_POST_BODY, SAMPLE_NOW)).reason).toBe('bad_signature');
  });

  it('refuses a payload addressed to another corpid', () => {
    const other = new WecomCallbackCodec({ ...SAMPLE, corpId: 'wwsomeoneelse' });
    expect(rejectionOf(() => other.verifyUrl(SAMPLE_URL_CHECK)).reason).toBe('wrong_receiver');
    expect(rejectionOf(() => other.decode(SAMPLE_POST_QUERY, SAMPLE_POST_BODY, SAMPLE_NOW)).reason).toBe('wrong_receiver');
  });

  it('refuses a correctly signed payload encrypted with another key', () => {
    const otherKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const forged = encrypt(otherKey, '<xml><MsgType>text</MsgType></xml>', SAMPLE.corpId);
    const query = { ...SAMPLE_POST_QUERY, msg_signature: getSignature(SAMPLE.token, SAMPLE_POST_QUERY.timestamp, SAMPLE_POST_QUERY.nonce, forged) };
    const error = rejectionOf(() => codec.decode(query, `<xml><Encrypt><![CDATA[${forged}]]></Encrypt></xml>`, SAMPLE_NOW));
    expect(['undecryptable', 'wrong_receiver']).toContain(error.reason);
  });

  it('refuses bodies that are not the envelope', () => {
    for (const body of ['', 'not xml', '<xml><ToUserName>x</ToUserName></xml>', '{"encrypt":"abc"}']) {
      expect(rejectionOf(() => codec.decode(SAMPLE_POST_QUERY, body, SAMPLE_NOW)).reason).toBe('malformed');
    }
  });
});

describe('WecomCallbackCodec on card events', () => {
  const keys = { token: 'huifangtoken', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'ww0123456789abcdef' };
  const codec = new WecomCallbackCodec(keys);
  const createTime = 1764140400;
  const now = new Date(createTime * 1000 + 2_000);
  const tap = (extra: Partial<Parameters<typeof buildCardEventXml>[0]> = {}) =>
    buildCardEventXml({
      corpId: keys.corpId,
      fromUser: 'zhangsan',
      createTime,
      eventKey: 'submit_visit',
      taskId: 'hf_8812_visit_1',
      cardType: 'multiple_interaction',
      responseCode: 'rc_from_tap',
      agentId: 1000002,
      ...extra,
    });

  it('maps a tap with several SelectedItems, one or many OptionIds each, to a card_action', () => {
    const inner = tap({ selections: { quality: ['good'], shortcomings: ['noise', 'late'] } });
    const callback = encryptCallback(keys, inner, { timestamp: createTime, nonce: 'n1', agentId: 1000002 });

    expect(codec.decode(callback.query, callback.body, now)).toEqual({
      type: 'card_action',
      channel: 'wecom',
      eventId: `zhangsan:${createTime}:hf_8812_visit_1:submit_visit:rc_from_tap`,
      userId: 'zhangsan',
      cardId: 'hf_8812_visit_1',
      actionKey: 'submit_visit',
      selections: { quality: ['good'], shortcomings: ['noise', 'late'] },
      responseCode: 'rc_from_tap',
      at: new Date(createTime * 1000),
    });
  });

  it('maps a button tap without SelectedItems to empty selections', () => {
    const callback = encryptCallback(keys, tap({ cardType: 'button_interaction', eventKey: 'sat_4' }), { timestamp: createTime, nonce: 'n2' });
    expect(codec.decode(callback.query, callback.body, now)).toMatchObject({ type: 'card_action', actionKey: 'sat_4', selections: {} });
  });

  it('maps a card-menu tap to a card_action too', () => {
    const callback = encryptCallback(keys, tap({ event: 'template_card_menu_event', eventKey: 'not_me' }), { timestamp: createTime, nonce: 'n3' });
    expect(codec.decode(callback.query, callback.body, now)).toMatchObject({ type: 'card_action', actionKey: 'not_me', cardId: 'hf_8812_visit_1' });
  });

  it('gives the same eventId to the same callback delivered twice, even with a new timestamp and nonce', () => {
    const inner = tap({ selections: { quality: ['good'] } });
    const first = encryptCallback(keys, inner, { timestamp: createTime, nonce: 'first' });
    const retry = encryptCallback(keys, inner, { timestamp: createTime + 5, nonce: 'retry' });

    const a = codec.decode(first.query, first.body, now);
    const b = codec.decode(retry.query, retry.body, now);
    const again = codec.decode(first.query, first.body, now);

    expect(b.eventId).toBe(a.eventId);
    expect(again.eventId).toBe(a.eventId);
    expect(first.body).not.toBe(retry.body);
  });

  it('gives two taps on different buttons in the same second different eventIds', () => {
    const one = encryptCallback(keys, tap({ eventKey: 'sat_4' }), { timestamp: createTime, nonce: 'a' });
    const two = encryptCallback(keys, tap({ eventKey: 'sat_2' }), { timestamp: createTime, nonce: 'b' });
    expect(codec.decode(one.query, one.body, now).eventId).not.toBe(codec.decode(two.query, two.body, now).eventId);
  });

  it('gives two submits of one card in the same second different eventIds (each tap has its own ResponseCode)', () => {
    const one = encryptCallback(keys, tap({ responseCode: 'rc_first' }), { timestamp: createTime, nonce: 'a' });
    const two = encryptCallback(keys, tap({ responseCode: 'rc_second' }), { timestamp: createTime, nonce: 'b' });
    expect(codec.decode(one.query, one.body, now).eventId).not.toBe(codec.decode(two.query, two.body, now).eventId);
  });

  it('keeps text with markup and ]]> intact through CDATA', () => {
    const inner =
      `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>` +
      `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
      `<Content><![CDATA[电梯 <b>还</b> 响 ]]]]><![CDATA[>]]></Content><MsgId>7000000000000000001</MsgId></xml>`;
    const callback = encryptCallback(keys, inner, { timestamp: createTime, nonce: 'n4' });
    expect(codec.decode(callback.query, callback.body, now)).toMatchObject({
      type: 'text_reply',
      eventId: 'msg:7000000000000000001',
      text: '电梯 <b>还</b> 响 ]]>',
    });
  });

  it('ignores other events, with an eventId from user, time and event', () => {
    const inner =
      `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>` +
      `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>` +
      `<EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>`;
    const callback = encryptCallback(keys, inner, { timestamp: createTime, nonce: 'n5' });
    expect(codec.decode(callback.query, callback.body, now)).toEqual({
      type: 'ignored',
      channel: 'wecom',
      eventId: `lisi:${createTime}:enter_agent`,
      what: 'enter_agent',
    });
  });

  it('refuses a decrypted card event that names no card', () => {
    const inner = tap().replace(/<TaskId>.*?<\/TaskId>/, '');
    const callback = encryptCallback(keys, inner, { timestamp: createTime, nonce: 'n6' });
    expect(rejectionOf(() => codec.decode(callback.query, callback.body, now)).reason).toBe('malformed');
  });
});

describe('a card tap travelling from the fake WeCom back to the card', () => {
  let clock: ManualClock;
  let fake: FakeWecom;

  beforeEach(async () => {
    clock = new ManualClock('2026-11-26T07:03:00Z');
    fake = await startFakeWecom({ clock, users: ['zhangsan', 'lisi'] });
  });
  afterEach(async () => {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  it('decodes the fake’s encrypted tap and greys out only the tapping user’s card with its response_code', async () => {
    const channel = new WecomChannel(fake.config(), { clock });
    const codec = new WecomCallbackCodec({ token: fake.token, encodingAesKey: fake.encodingAesKey, corpId: fake.corpId });
    const card: RenderedMessage = {
      wecom: {
        msgtype: 'template_card',
        template_card: {
          card_type: 'vote_interaction',
          main_title: { title: '问题是否已解决？' },
          task_id: 'hf_8812_solved_1',
          checkbox: {
            question_key: 'solved',
            mode: 0,
            option_list: [
              { id: 'yes', text: '已解决', is_checked: false },
              { id: 'no', text: '未解决', is_checked: false },
            ],
          },
          submit_button: { text: '提交', key: 'submit_solved' },
        },
      },
      dingtalk: { kind: 'notice', msg: {} },
    };
    const receipt = await channel.send(['zhangsan', 'lisi'], card);
    clock.advance(30_000);
    const tap = fake.cardTap({ userId: 'zhangsan', taskId: 'hf_8812_solved_1', eventKey: 'submit_solved', selections: { solved: ['yes'] } });

    const event = codec.decode(tap.query, tap.body, clock.now());
    if (event.type !== 'card_action') throw new Error(`expected a card_action, got ${event.type}`);
    expect(event).toMatchObject({ userId: 'zhangsan', cardId: 'hf_8812_solved_1', selections: { solved: ['yes'] } });
    await channel.update({ receipt, userIds: [event.userId], responseCode: event.responseCode }, { replaceText: '已提交' });

    expect(fake.updates('zhangsan')).toMatchObject([{ replaceName: '已提交' }]);
    expect(fake.updates('lisi')).toEqual([]);
  });

  it('answers the console’s URL check from the fake', () => {
    const codec = new WecomCallbackCodec({ token: fake.token, encodingAesKey: fake.encodingAesKey, corpId: fake.corpId });
    const query = fake.urlVerification('8472610395');
    expect(codec.verifyUrl(query, clock.now())).toBe('8472610395');
  });

  it('decodes the fake’s text reply with a 64-bit MsgId kept exact', () => {
    const codec = new WecomCallbackCodec({ token: fake.token, encodingAesKey: fake.encodingAesKey, corpId: fake.corpId });
    const reply = fake.textReply({ userId: 'lisi', content: '明天下午再来', msgId: '4561255354251345929' });
    expect(codec.decode(reply.query, reply.body, clock.now())).toMatchObject({
      type: 'text_reply',
      eventId: 'msg:4561255354251345929',
      userId: 'lisi',
      text: '明天下午再来',
    });
  });
});
