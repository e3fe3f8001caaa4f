import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';
import { ConsoleClient } from './client';

describe('console sign-in in sandbox mode (no WeCom or DingTalk configured), public URL on https', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PUBLIC_BASE_URL: 'https://hf.example.org' } });
    expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  });
  afterAll(async () => app?.close());

  it('the sign-in page lists the demo staff to sign in as, and offers no chat platform', async () => {
    const page = await new ConsoleClient(app.server.url).get('/console/sign-in');
    expect(page.text).toContain('data-section="sandbox-people"');
    for (const person of OFFICE_1.staff) expect(page.text).toContain(`value="${person.wecomUserId}"`);
    expect(page.text).not.toContain('/console/sign-in/wecom');
    expect((await new ConsoleClient(app.server.url).get('/console/sign-in/wecom')).status).toBe(404);
    expect((await new ConsoleClient(app.server.url).get('/console/oauth/wecom?code=x&state=y')).status).toBe(404);
  });

  it('one tap signs in as a demo person; the cookie is Secure because the public URL is https', async () => {
    const browser = new ConsoleClient(app.server.url);
    const res = await browser.post('/console/sign-in/as', { userId: 'lizhuguan' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console');
    expect(browser.lastSetCookie.find((c) => c.startsWith('hf_console='))).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    const glance = await browser.get('/console');
    expect(glance.status).toBe(200);
    expect(glance.text).toContain('data-office="office-1"');
  });

  it('nobody signs in as someone who is not on a staff list', async () => {
    const browser = new ConsoleClient(app.server.url);
    expect((await browser.post('/console/sign-in/as', { userId: 'zhangsan' })).location).toBe('/console/sign-in?error=unknown');
    expect((await browser.post('/console/sign-in/as', {})).location).toBe('/console/sign-in?error=unknown');
    expect(browser.cookies.has('hf_console')).toBe(false);
  });
});
