import { describe, expect, it } from 'vitest';
import { WecomTicket } from '../../entities';
import { signatureOf } from '../../src/channels/wecom/wecom-jsapi-tickets';
import { OFFICE_1 } from '../support/app';
import { CUSTOMER, SidebarApp, startSidebarApp, useSidebarApp } from './sidebar-app';

/**
 * The chat sidebar through HTTP: who opened it (WeCom OAuth against the fake WeCom) and the two
 * JS-SDK tickets (cached in the database, shared by instances, dropped once when a page reports
 * them refused). The resident's visits: sidebar-visits.test.ts.
 */
describe('the WeCom chat sidebar', () => {
  let s: SidebarApp;
  useSidebarApp('2026-11-26T08:00:00Z', (started) => (s = started));

  const pageUrl = (code = 'abc') => `${s.app.server.url}/sidebar?code=${code}&state=hf`;

  describe('who opened it', () => {
    it('sends a visitor without a code to WeCom OAuth, and takes no userid from the query', async () => {
      const res = await fetch(`${s.app.server.url}/sidebar?userid=lizhuguan`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const to = new URL(res.headers.get('location')!);
      expect(to.origin + to.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
      expect(Object.fromEntries(to.searchParams)).toMatchObject({
        appid: s.fake.corpId,
        redirect_uri: 'https://hf.example.org/sidebar',
        response_type: 'code',
        scope: 'snsapi_base',
        agentid: String(s.fake.agentId),
      });
      expect(to.hash).toBe('#wechat_redirect');
    });

    it('serves the page to active staff, with a session, the JS-SDK from the configured URL and a policy that allows only it', async () => {
      const res = await fetch(s.sidebarUrl('zhaozhuanyuan'));
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('赵专员');
      expect(html).toContain('<script src="https://jssdk.stand-in.test/jweixin-stand-in.js">');
      const policy = res.headers.get('content-security-policy')!;
      expect(policy).toContain("script-src 'self' https://jssdk.stand-in.test");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
    });

    it('asks WeCom once more for a used code, then ends in a clear page', async () => {
      const code = s.fake.jsapi.oauthCode('zhaozhuanyuan');
      expect((await fetch(pageUrl(code))).status).toBe(200);
      const again = await fetch(pageUrl(code), { redirect: 'manual' });
      expect(again.status).toBe(302);
      expect(new URL(again.headers.get('location')!).searchParams.get('state')).toBe('again');
      const twice = await fetch(`${s.app.server.url}/sidebar?code=${code}&state=again`);
      expect(twice.status).toBe(401);
      expect(await twice.text()).toContain('data-notice="identity_unavailable"');
    });

    it('refuses someone outside the directory and a member who left the office, each with a page saying so', async () => {
      const outsider = await fetch(pageUrl(s.fake.jsapi.outsiderCode()));
      expect(outsider.status).toBe(403);
      expect(await outsider.text()).toContain('data-notice="not_member"');

      const session = await s.session('qianzhuanyuan');
      const without = { ...OFFICE_1, staff: OFFICE_1.staff.filter((m) => m.id !== 'sp2') };
      expect((await s.app.api('PUT', '/api/offices/office-1', without)).status).toBe(200);
      const left = await fetch(s.sidebarUrl('qianzhuanyuan'));
      expect(left.status).toBe(403);
      expect(await left.text()).toContain('data-notice="not_staff"');
      // A page opened before they left: its next call is refused, named.
      const call = await s.call('POST', '/sidebar/api/signatures', session, { url: pageUrl() });
      expect(call).toMatchObject({ status: 403, body: { error: { code: 'not_staff' } } });
    });

    it('refuses calls without a session, or with an expired one', async () => {
      expect(await s.call('POST', '/sidebar/api/signatures', null, { url: pageUrl() })).toMatchObject({ status: 401, body: { error: { code: 'session_expired' } } });
      const session = await s.session('zhaozhuanyuan');
      s.clock.advance(13 * 3600_000);
      try {
        expect(await s.call('GET', `/sidebar/api/contacts/${CUSTOMER}/visits`, session)).toMatchObject({ status: 401, body: { error: { code: 'session_expired' } } });
      } finally {
        s.clock.set('2026-11-26T08:00:00Z');
      }
    });
  });

  describe('JS-SDK signatures', () => {
    it('signs the page for wx.config and wx.agentConfig with the two tickets, fetched once and kept in the database', async () => {
      const session = await s.session('zhaozhuanyuan');
      const before = { corp: s.fake.jsapi.ticketFetches('corp'), agent: s.fake.jsapi.ticketFetches('agent') };
      const url = pageUrl('first');
      const res = await s.call('POST', '/sidebar/api/signatures', session, { url });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.corp).toMatchObject({ appId: s.fake.corpId });
      expect(res.body.agent).toMatchObject({ corpid: s.fake.corpId, agentid: s.fake.agentId });
      expect(s.fake.jsapi.verify('corp', { url, ...res.body.corp })).toBe(true);
      expect(s.fake.jsapi.verify('agent', { url, ...res.body.agent })).toBe(true);
      // The company's ticket does not sign agentConfig, nor the app's wx.config.
      expect(s.fake.jsapi.verify('agent', { url, ...res.body.corp })).toBe(false);
      expect(res.body.corp.nonceStr).not.toBe(res.body.agent.nonceStr);

      const again = await s.call('POST', '/sidebar/api/signatures', session, { url });
      expect(again.status).toBe(200);
      expect(s.fake.jsapi.ticketFetches('corp') - before.corp).toBe(1);
      expect(s.fake.jsapi.ticketFetches('agent') - before.agent).toBe(1);
      const rows = await s.app.db.getRepository(WecomTicket).find();
      expect(rows.map((r) => r.kind).sort()).toEqual(['agent', 'corp']);
      // The signature is WeCom's algorithm over the stored ticket.
      const agent = rows.find((r) => r.kind === 'agent')!;
      expect(signatureOf(agent.value, url, again.body.agent)).toBe(again.body.agent.signature);

      // Two hours on, the tickets are stale and fetched again.
      s.clock.advance(2 * 3600_000);
      try {
        const later = await s.call('POST', '/sidebar/api/signatures', session, { url });
        expect(later.status).toBe(200);
        expect(s.fake.jsapi.ticketFetches('corp') - before.corp).toBe(2);
      } finally {
        s.clock.set('2026-11-26T08:00:00Z');
      }
    });

    it('shares the tickets with a second instance on the same database', async () => {
      const session = await s.session('zhaozhuanyuan');
      expect((await s.call('POST', '/sidebar/api/signatures', session, { url: pageUrl() })).status).toBe(200);
      const fetched = s.fake.jsapi.ticketFetches('agent');
      const second = await startSidebarApp('2026-11-26T08:00:00Z', { db: s.app.db, fake: s.fake, clock: s.clock });
      try {
        const url = `${second.app.server.url}/sidebar?code=x`;
        const res = await second.call('POST', '/sidebar/api/signatures', await second.session('zhaozhuanyuan'), { url });
        expect(res.status).toBe(200);
        expect(s.fake.jsapi.verify('agent', { url, ...res.body.agent })).toBe(true);
        expect(s.fake.jsapi.ticketFetches('agent')).toBe(fetched);
      } finally {
        await second.close();
      }
    });

    it('drops a ticket that lapsed mid-day when the page reports it refused, once, and signs with a fresh one', async () => {
      const session = await s.session('zhaozhuanyuan');
      const url = pageUrl();
      const first = (await s.call('POST', '/sidebar/api/signatures', session, { url })).body;
      s.fake.jsapi.expireTickets();
      const stale = (await s.call('POST', '/sidebar/api/signatures', session, { url })).body;
      expect(s.fake.jsapi.verify('agent', { url, ...stale.agent })).toBe(false);
      const fetched = s.fake.jsapi.ticketFetches('agent');

      const renewed = await s.call('POST', '/sidebar/api/signatures', session, { url, failed: { kind: 'agent', ...stale.agent } });
      expect(renewed.status).toBe(200);
      expect(s.fake.jsapi.verify('agent', { url, ...renewed.body.agent })).toBe(true);
      expect(s.fake.jsapi.ticketFetches('agent')).toBe(fetched + 1);
      // A second page reporting the same old ticket does not drop the fresh one.
      const late = await s.call('POST', '/sidebar/api/signatures', session, { url, failed: { kind: 'agent', ...first.agent } });
      expect(s.fake.jsapi.verify('agent', { url, ...late.body.agent })).toBe(true);
      expect(s.fake.jsapi.ticketFetches('agent')).toBe(fetched + 1);
    });

    it('refuses to sign any page but the sidebar, naming the field', async () => {
      const session = await s.session('zhaozhuanyuan');
      for (const url of ['https://evil.example.com/sidebar', `${s.app.server.url}/s/abc`, 'not a url']) {
        const res = await s.call('POST', '/sidebar/api/signatures', session, { url });
        expect(res.status, url).toBe(400);
        expect(JSON.stringify(res.body)).toContain('url');
      }
    });

    it('answers 503, named, when WeCom issues no ticket', async () => {
      await s.app.db.getRepository(WecomTicket).clear();
      const session = await s.session('zhaozhuanyuan');
      s.fake.failNext(1, { errcode: 48002 }, '/cgi-bin/get_jsapi_ticket');
      const res = await s.call('POST', '/sidebar/api/signatures', session, { url: pageUrl() });
      expect(res).toMatchObject({ status: 503, body: { error: { code: 'wecom_unavailable' } } });
      // Held a moment (no call to WeCom), then asked again.
      const calls = s.fake.calls('/cgi-bin/get_jsapi_ticket');
      expect((await s.call('POST', '/sidebar/api/signatures', session, { url: pageUrl() })).status).toBe(503);
      expect(s.fake.calls('/cgi-bin/get_jsapi_ticket')).toBe(calls);
      s.clock.advance(60_000);
      try {
        expect((await s.call('POST', '/sidebar/api/signatures', session, { url: pageUrl() })).status).toBe(200);
      } finally {
        s.clock.set('2026-11-26T08:00:00Z');
      }
    });
  });
});
