import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encryptEvent, signCardCallback } from '../../src/channels/dingtalk/dingtalk-callback';
import { buildCardEventXml, buildTextXml, encryptCallback, encryptEchostr } from '../../src/channels/wecom/wecom-callback-builder';
import { anyBody, anyJson, contentType, FUZZ_TIMEOUT_MS, fuzzParameters, headerValue, hostileText, probe, useFuzzApp } from './fuzz-support';

const aesKey = () => randomBytes(32).toString('base64').slice(0, 43);
const WECOM = { token: 'fuzz-wecom-token', encodingAesKey: aesKey(), corpId: 'wwfuzzcorp' };
const DINGTALK = { token: 'fuzz-dingtalk-token', aesKey: aesKey(), appKey: 'dingfuzzappkey', cardApiSecret: 'fuzz-card-api-secret' };

/** Query parameters as a platform or an attacker would send them. */
const callbackQuery = fc.record(
  {
    msg_signature: fc.oneof(headerValue, fc.string({ minLength: 40, maxLength: 40, unit: fc.constantFrom(...'0123456789abcdef') })),
    signature: headerValue,
    timestamp: fc.oneof(headerValue, fc.integer({ min: -1e12, max: 1e14 }).map(String)),
    nonce: headerValue,
    echostr: fc.oneof(headerValue, hostileText(100)),
  },
  { requiredKeys: [] },
);

/** The inner XML of a WeCom callback: a card tap or a text with hostile fields, or any text. */
const wecomInnerXml = (now: () => number) =>
  fc.oneof(
    fc.record({ fromUser: hostileText(40), eventKey: hostileText(40), taskId: hostileText(40), responseCode: hostileText(20), cardType: hostileText(20) }).map((f) =>
      buildCardEventXml({ corpId: WECOM.corpId, createTime: now(), agentId: 1000002, ...f }),
    ),
    fc.record({ fromUser: hostileText(40), content: hostileText(400), msgId: fc.oneof(hostileText(20), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String)) }).map((f) =>
      buildTextXml({ corpId: WECOM.corpId, createTime: now(), agentId: 1000002, ...f }),
    ),
    hostileText(400),
    fc.constantFrom('<xml>', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml>&e;</xml>', '<xml><a><a><a><a></a></a></a></a></xml>', `<xml>${'<a>'.repeat(5000)}</xml>`),
  );

describe('fuzz: the WeCom and DingTalk callbacks', () => {
  const fuzz = useFuzzApp({
    overrides: { wecomCallback: WECOM, dingtalkCallback: DINGTALK },
    secrets: [WECOM.token, WECOM.encodingAesKey, DINGTALK.token, DINGTALK.aesKey, DINGTALK.cardApiSecret],
  });
  const seconds = () => Math.floor(fuzz.app.clock.now().getTime() / 1000);
  const millis = () => fuzz.app.clock.now().getTime();

  /** Sends and checks: safe answer; refused ⇒ nothing stored; `mustRefuse` ⇒ a 4xx. */
  const check = async (path: string, init: { method: string; headers?: Record<string, string>; body?: string }, mustRefuse: boolean) => {
    const context = `${init.method} ${path} ${JSON.stringify(init.headers ?? {})} ${(init.body ?? '').slice(0, 200)}`;
    const answer = await probe(fuzz, path, init, context);
    if (mustRefuse) expect(answer.status, context).toBeGreaterThanOrEqual(400);
  };

  it(
    'WeCom, unsigned or forged: every query and body refused, nothing stored',
    async () => {
      await fc.assert(
        fc.asyncProperty(callbackQuery, anyBody, contentType, fc.constantFrom('GET', 'POST'), async (query, body, type, method) => {
          await check(`/callbacks/wecom?${new URLSearchParams(query)}`, { method, headers: { 'content-type': type }, body }, true);
        }),
        fuzzParameters(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'WeCom, signed and encrypted with the real keys: any inner XML, never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(wecomInnerXml(seconds), fc.boolean(), async (xml, verify) => {
          const at = { timestamp: seconds(), nonce: `n${Math.random().toString(36).slice(2, 10)}` };
          if (verify) {
            await check(`/callbacks/wecom?${new URLSearchParams({ ...encryptEchostr(WECOM, xml, at) })}`, { method: 'GET' }, false);
            return;
          }
          const signed = encryptCallback(WECOM, xml, { ...at, agentId: 1000002 });
          await check(`/callbacks/wecom?${new URLSearchParams({ ...signed.query })}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: signed.body }, false);
        }),
        fuzzParameters(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'DingTalk events and card taps, unsigned or forged: refused, nothing stored',
    async () => {
      const cardHeaders = fc.record(
        { 'x-ddpaas-signature-timestamp': fc.oneof(headerValue, fc.integer({ min: -1e12, max: 1e14 }).map(String)), 'x-ddpaas-signature': headerValue, 'content-type': contentType },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.boolean(), callbackQuery, cardHeaders, anyBody, async (card, query, headers, body) => {
          if (card) await check('/callbacks/dingtalk/card', { method: 'POST', headers: headers as Record<string, string>, body }, true);
          else await check(`/callbacks/dingtalk?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, true);
        }),
        fuzzParameters(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'DingTalk, signed with the real keys: any event, any card-tap body, never a 5xx',
    async () => {
      const cardBody = fc.oneof(
        anyBody,
        fc.record({ type: fc.constantFrom('actionCallback', 'x'), outTrackId: hostileText(60), userId: hostileText(40), content: fc.oneof(hostileText(200), anyJson.map((v) => JSON.stringify(v))) }).map((v) => JSON.stringify(v)),
      );
      await fc.assert(
        fc.asyncProperty(fc.boolean(), anyJson, cardBody, async (card, event, body) => {
          if (card) {
            const timestamp = String(millis());
            await check('/callbacks/dingtalk/card', { method: 'POST', headers: { 'content-type': 'application/json', 'x-ddpaas-signature-timestamp': timestamp, 'x-ddpaas-signature': signCardCallback(DINGTALK.cardApiSecret, timestamp) }, body }, false);
            return;
          }
          const push = encryptEvent({ token: DINGTALK.token, aesKey: DINGTALK.aesKey, ownerKey: DINGTALK.appKey }, typeof event === 'string' ? event : JSON.stringify(event), { timestamp: millis(), nonce: 'fuzzNonce' });
          await check(`/callbacks/dingtalk?${new URLSearchParams({ ...push.query })}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(push.body) }, false);
        }),
        fuzzParameters(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
