import { Page } from 'playwright-core';
import { FakeWecom } from '../fakes/fake-wecom';
import { STAND_IN_SDK_URL } from './sidebar-app';

/**
 * A stand-in for WeCom's JS-SDK, served at the page's configured SDK URL. Like the real SDK it
 * talks to the WeCom client through a bridge the webview injects; here that bridge is a
 * function Playwright exposes, and the Node side plays the WeCom client: it checks `wx.config`
 * and `wx.agentConfig` signatures against the tickets the fake WeCom issued, answers
 * `getCurExternalContact` with the customer of the chat, and records every call.
 */
const STAND_IN = `(function () {
  var bridge = window.__wecomBridge;
  var ready = [], errors = [];
  var plain = function (o) { return JSON.parse(JSON.stringify(o)); };
  var page = function () { return location.href.split('#')[0]; };
  window.wx = window.jWeixin = {
    config: function (cfg) {
      bridge('config', { url: page(), cfg: plain(cfg) }).then(function (r) {
        (r.ok ? ready : errors).forEach(function (fn) { fn(r.res); });
      });
    },
    ready: function (fn) { ready.push(fn); },
    error: function (fn) { errors.push(fn); },
    agentConfig: function (cfg) {
      bridge('agentConfig', { url: page(), cfg: plain(cfg) }).then(function (r) {
        if (r.ok && cfg.success) cfg.success(r.res);
        if (!r.ok && cfg.fail) cfg.fail(r.res);
      });
    },
    invoke: function (name, args, callback) {
      bridge('invoke', { name: name, args: plain(args || {}) }).then(function (r) { if (r !== null) callback(r); });
    }
  };
})();`;

export interface BridgeCall {
  api: string;
  args: Record<string, any>;
}

/** The WeCom client as the page sees it; change the fields to stage a fault. */
export interface StandInClient {
  calls: BridgeCall[];
  /** The external userid of the customer in the chat; null: an internal chat (no customer). */
  contact: string | null;
  /** WeCom refuses every agentConfig (as with a ticket that keeps failing). */
  refuseAgentConfig: boolean;
  /** WeCom never answers getCurExternalContact (the page must not wait forever). */
  silentContact: boolean;
  /** WeCom sends the message, or the staff member cancels it. */
  sendChatMessage: 'ok' | 'cancel';
  /** The names of the APIs called, in order. */
  names(): string[];
}

/** Serves the stand-in at the SDK URL and plays the WeCom client for `page`. */
export async function installStandIn(page: Page, fake: FakeWecom, contact: string | null): Promise<StandInClient> {
  const client: StandInClient = {
    calls: [],
    contact,
    refuseAgentConfig: false,
    silentContact: false,
    sendChatMessage: 'ok',
    names: () => client.calls.map((c) => c.api),
  };
  let corpOk = false;
  let agentOk = false;
  await page.route(STAND_IN_SDK_URL, (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body: STAND_IN }));
  await page.exposeFunction('__wecomBridge', async (kind: string, payload: any) => {
    if (kind === 'config') {
      client.calls.push({ api: 'config', args: payload.cfg });
      const cfg = payload.cfg;
      corpOk = cfg.appId === fake.corpId && cfg.beta === true && fake.jsapi.verify('corp', { url: payload.url, timestamp: cfg.timestamp, nonceStr: cfg.nonceStr, signature: cfg.signature });
      return corpOk ? { ok: true, res: { errMsg: 'config:ok' } } : { ok: false, res: { errMsg: 'config:fail, invalid signature' } };
    }
    if (kind === 'agentConfig') {
      client.calls.push({ api: 'agentConfig', args: payload.cfg });
      const cfg = payload.cfg;
      agentOk =
        corpOk &&
        !client.refuseAgentConfig &&
        cfg.corpid === fake.corpId &&
        Number(cfg.agentid) === fake.agentId &&
        fake.jsapi.verify('agent', { url: payload.url, timestamp: cfg.timestamp, nonceStr: cfg.nonceStr, signature: cfg.signature });
      return agentOk ? { ok: true, res: { errMsg: 'agentConfig:ok' } } : { ok: false, res: { errMsg: 'agentConfig:fail', errCode: 42012, err_msg: 'ticket no available' } };
    }
    const { name, args } = payload as { name: string; args: Record<string, any> };
    client.calls.push({ api: name, args });
    if (!agentOk) return { err_msg: `${name}:fail no permission` };
    if (name === 'getCurExternalContact' && client.silentContact) return null;
    if (name === 'getCurExternalContact') {
      return client.contact ? { err_msg: 'getCurExternalContact:ok', userId: client.contact } : { err_msg: 'getCurExternalContact:fail, not an external contact chat' };
    }
    if (name === 'sendChatMessage') return client.sendChatMessage === 'ok' ? { err_msg: 'sendChatMessage:ok' } : { err_msg: 'sendChatMessage:cancel' };
    return { err_msg: `${name}:fail not supported by the stand-in` };
  });
  return client;
}
