import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/app';
import { ConsoleClient } from './client';
import { ConsoleWorld, startConsoleWorld } from './world';

describe('console sign-in and sessions', () => {
  let world: ConsoleWorld;
  beforeAll(async () => {
    world = await startConsoleWorld();
  });
  afterAll(async () => world?.close());

  const expectSignedOut = async (browser: ConsoleClient) => {
    const res = await browser.get('/console');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/sign-in');
  };

  it('without a session, /console sends the browser to the sign-in page, which offers WeCom, DingTalk and the admin token but no demo people', async () => {
    const browser = world.client();
    await expectSignedOut(browser);
    const page = await browser.get('/console/sign-in');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
    expect(page.text).toContain('href="/console/sign-in/wecom"');
    expect(page.text).toContain('href="/console/sign-in/dingtalk"');
    expect(page.text).toContain('action="/console/sign-in/admin"');
    expect(page.text).not.toContain('sandbox-people');
    // Outside the sandbox nobody signs in as anyone.
    expect((await browser.post('/console/sign-in/as', { userId: 'lizhuguan' })).status).toBe(404);
    expect(browser.cookies.has('hf_console')).toBe(false);
  });

  it('every console route but signing in and out wants a session: without one it sends the browser to sign in, acting on nothing', async () => {
    const open = /^\/console\/(sign-in|sign-out|oauth)(\/|$)/;
    const guarded = world.app.server.routes.filter((r) => r.path.startsWith('/console') && !open.test(r.path));
    expect(guarded.map((r) => r.path)).toEqual(expect.arrayContaining(['/console', '/console/visits', '/console/visits/:id', '/console/visits/:id/review', '/console/visits/:id/assign']));
    const before = await world.app.api('GET', `/api/visits/${world.visits.toReview}`);
    for (const route of guarded) {
      const path = route.path.replace(':id', String(world.visits.toReview));
      for (const method of route.methods.filter((m) => m === 'GET' || m === 'POST')) {
        const res = await fetch(`${world.app.server.url}${path}`, { method, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: method === 'POST' ? 'verdict=ok&staffId=sp1' : undefined });
        expect([method, path, res.status, res.headers.get('location')]).toEqual([method, path, 303, '/console/sign-in']);
      }
    }
    expect(await world.app.api('GET', `/api/visits/${world.visits.toReview}`)).toEqual(before);
  });

  it('WeCom: the round trip goes to the authorization page with a state, and the code comes back to a signed HttpOnly SameSite=Lax session', async () => {
    const browser = world.client();
    const sent = await browser.get('/console/sign-in/wecom');
    expect(sent.status).toBe(302);
    const authorize = new URL(sent.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(authorize.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      appid: world.wecom.corpId,
      agentid: String(world.wecom.agentId),
      redirect_uri: 'http://hf.test/console/oauth/wecom',
      response_type: 'code',
      scope: 'snsapi_base',
    });
    const state = authorize.searchParams.get('state')!;
    expect(state).toMatch(/^[\w-]{20,}$/);
    const back = await browser.get(`/console/oauth/wecom?code=${world.wecom.jsapi.oauthCode('lizhuguan')}&state=${state}`);
    expect(back.status).toBe(303);
    expect(back.location).toBe('/console');
    const session = browser.lastSetCookie.find((c) => c.startsWith('hf_console='))!;
    expect(session).toMatch(/; Path=\/console; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    expect(session).not.toContain('Secure');
    const glance = await browser.get('/console');
    expect(glance.status).toBe(200);
    expect(glance.text).toContain('李主管');
  });

  it('DingTalk: authCode → user token → unionId → userid, mapped to the staff record carrying that DingTalk userid', async () => {
    const browser = world.client();
    const sent = await browser.get('/console/sign-in/dingtalk');
    const authorize = new URL(sent.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://login.dingtalk.com/oauth2/auth');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: world.dingtalk.appKey, redirect_uri: 'http://hf.test/console/oauth/dingtalk', scope: 'openid', response_type: 'code' });
    const state = authorize.searchParams.get('state')!;
    const back = await browser.get(`/console/oauth/dingtalk?authCode=${world.dingtalk.authorize('u0456')}&state=${state}`);
    expect(back.location).toBe('/console');
    const glance = await browser.get('/console');
    expect(glance.status).toBe(200);
    expect(glance.text).toContain('王经理');
  });

  it('a state that is not the one the browser was sent off with, or no state cookie at all, is refused and signs nobody in', async () => {
    const browser = world.client();
    await browser.get('/console/sign-in/wecom');
    const mismatch = await browser.get(`/console/oauth/wecom?code=${world.wecom.jsapi.oauthCode('lizhuguan')}&state=somebody-elses-state-value`);
    expect(mismatch.location).toBe('/console/sign-in?error=state');
    expect(browser.cookies.has('hf_console')).toBe(false);
    // An attacker's link, opened by a browser that never started a sign-in (login CSRF).
    const fresh = world.client();
    const forged = await fresh.get(`/console/oauth/wecom?code=${world.wecom.jsapi.oauthCode('lizhuguan')}&state=anything`);
    expect(forged.location).toBe('/console/sign-in?error=state');
    expect(fresh.cookies.has('hf_console')).toBe(false);
    await expectSignedOut(fresh);
    // The browser's state is used up by its round trip: the same state again is refused.
    const once = world.client();
    const state = new URL((await once.get('/console/sign-in/wecom')).location!).searchParams.get('state')!;
    expect((await once.get(`/console/oauth/wecom?code=${world.wecom.jsapi.oauthCode('lizhuguan')}&state=${state}`)).location).toBe('/console');
    expect(once.cookies.has('hf_console_state')).toBe(false);
    expect((await once.get(`/console/oauth/wecom?code=${world.wecom.jsapi.oauthCode('lizhuguan')}&state=${state}`)).location).toBe('/console/sign-in?error=state');
  });

  it('a used code and an expired code are refused, on WeCom and on DingTalk', async () => {
    const roundTrip = async (platform: 'wecom' | 'dingtalk', code: string, name = 'code') => {
      const browser = world.client();
      const state = new URL((await browser.get(`/console/sign-in/${platform}`)).location!).searchParams.get('state')!;
      const back = await browser.get(`/console/oauth/${platform}?${name}=${code}&state=${state}`);
      return { location: back.location, signedIn: browser.cookies.has('hf_console') };
    };
    const code = world.wecom.jsapi.oauthCode('lizhuguan');
    expect((await roundTrip('wecom', code)).location).toBe('/console');
    expect(await roundTrip('wecom', code)).toEqual({ location: '/console/sign-in?error=code', signedIn: false });
    const stale = world.wecom.jsapi.oauthCode('lizhuguan');
    const dingStale = world.dingtalk.authorize('u0456');
    world.clock.advance(5 * 60_000 + 1);
    expect(await roundTrip('wecom', stale)).toEqual({ location: '/console/sign-in?error=code', signedIn: false });
    expect(await roundTrip('dingtalk', dingStale, 'authCode')).toEqual({ location: '/console/sign-in?error=code', signedIn: false });
    const dingCode = world.dingtalk.authorize('u0456');
    expect((await roundTrip('dingtalk', dingCode, 'authCode')).location).toBe('/console');
    expect(await roundTrip('dingtalk', dingCode, 'authCode')).toEqual({ location: '/console/sign-in?error=code', signedIn: false });
    expect(await roundTrip('wecom', '', 'code')).toEqual({ location: '/console/sign-in?error=code', signedIn: false });
  });

  it("sign-ins reuse the app's access token: more of them (and forged codes) cost the token endpoints nothing", async () => {
    await world.wecomSignIn('lizhuguan');
    const [wecomFetches, dingtalkFetches] = [world.wecom.tokenFetches, world.dingtalk.tokenFetches];
    for (let i = 0; i < 3; i++) await world.wecomSignIn('lizhuguan');
    const browser = world.client();
    const state = new URL((await browser.get('/console/sign-in/dingtalk')).location!).searchParams.get('state')!;
    expect((await browser.get(`/console/oauth/dingtalk?authCode=${world.dingtalk.authorize('u0456')}&state=${state}`)).location).toBe('/console');
    const again = world.client();
    const state2 = new URL((await again.get('/console/sign-in/dingtalk')).location!).searchParams.get('state')!;
    expect((await again.get(`/console/oauth/dingtalk?authCode=${world.dingtalk.authorize('u0456')}&state=${state2}`)).location).toBe('/console');
    expect(world.wecom.tokenFetches).toBe(wecomFetches);
    expect(world.dingtalk.tokenFetches).toBeLessThanOrEqual(dingtalkFetches + 1);
  });

  it('a chat user who is on no staff list, or outside the organisation, gets no session, on WeCom and DingTalk', async () => {
    const browser = world.client();
    const state = new URL((await browser.get('/console/sign-in/wecom')).location!).searchParams.get('state')!;
    expect((await browser.get(`/console/oauth/wecom?code=${world.wecom.jsapi.oauthCode('stranger')}&state=${state}`)).location).toBe('/console/sign-in?error=unknown');
    expect(browser.cookies.has('hf_console')).toBe(false);
    const outsider = world.client();
    const oState = new URL((await outsider.get('/console/sign-in/wecom')).location!).searchParams.get('state')!;
    expect((await outsider.get(`/console/oauth/wecom?code=${world.wecom.jsapi.outsiderCode()}&state=${oState}`)).location).toBe('/console/sign-in?error=unknown');
    expect(outsider.cookies.has('hf_console')).toBe(false);
    const other = world.client();
    const dState = new URL((await other.get('/console/sign-in/dingtalk')).location!).searchParams.get('state')!;
    expect((await other.get(`/console/oauth/dingtalk?authCode=${world.dingtalk.authorize('u0123')}&state=${dState}`)).location).toBe('/console/sign-in?error=unknown');
    expect(other.cookies.has('hf_console')).toBe(false);
  });

  it('a tampered, forged or expired session cookie is refused: the browser is sent to sign in', async () => {
    const browser = await world.wecomSignIn('zhaozhuanyuan');
    expect((await browser.get('/console')).status).toBe(200);
    const [payload, signature] = browser.cookies.get('hf_console')!.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims.sub).toBe('wecom:zhaozhuanyuan');
    // The same signature over a payload that says "admin".
    const promoted = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    for (const value of [`${promoted}.${signature}`, `${payload}.${signature.slice(0, -2)}AA`, `${payload}`, `${payload}.${signature}.x`, 'garbage']) {
      const forged = world.client();
      forged.cookies.set('hf_console', value);
      await expectSignedOut(forged);
    }
    world.clock.advance(12 * 3600_000 + 1000);
    await expectSignedOut(browser);
  });

  it('a person taken off the staff list loses the console at once, whatever the cookie says', async () => {
    const browser = await world.wecomSignIn('qianzhuanyuan');
    expect((await browser.get('/console')).status).toBe(200);
    const office = (await world.app.api('GET', '/api/offices/office-1')).body;
    const staff = office.staff.filter((s: { id: string }) => s.id !== 'sp2').map((s: Record<string, unknown>) => ({ id: s.id, name: s.name, roles: s.roles, department: s.department ?? undefined, wecomUserId: s.wecomUserId ?? undefined, dingtalkUserId: s.dingtalkUserId ?? undefined }));
    expect((await world.app.api('PUT', '/api/offices/office-1', { name: office.name, timeZone: office.timeZone, channel: office.channel, staff })).status).toBeLessThan(300);
    await expectSignedOut(browser);
  });

  it('the admin signs in with ADMIN_TOKEN; a wrong token is refused', async () => {
    const wrong = world.client();
    expect((await wrong.post('/console/sign-in/admin', { token: 'not-the-token-0123456789' })).location).toBe('/console/sign-in?error=token');
    expect(wrong.cookies.has('hf_console')).toBe(false);
    const admin = world.client();
    const res = await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console');
    expect((await admin.get('/console')).text).toContain('管理员');
  });

  it('sign-out drops the session cookie', async () => {
    const browser = await world.wecomSignIn('lizhuguan');
    const res = await browser.post('/console/sign-out');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/sign-in');
    expect(browser.lastSetCookie.find((c) => c.startsWith('hf_console='))).toMatch(/^hf_console=; Path=\/console; Max-Age=0;/);
    await expectSignedOut(browser);
  });
});
