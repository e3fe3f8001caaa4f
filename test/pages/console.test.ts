import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { SandboxApp, startSandboxApp } from '../sandbox/sandbox-app';
import { expectPhoneFriendly, launchBrowser, open, phonePage, screenshot } from './support';

describe('the console in a browser: the sandbox signs in as a supervisor, who sees the office at a glance', () => {
  let app: SandboxApp;
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];
  beforeAll(async () => {
    [app, browser] = await Promise.all([startSandboxApp({ clock: new ManualClock('2026-11-26T07:10:00Z'), seed: 'first-start' }), launchBrowser()]);
    page = await phonePage(browser);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('on a phone: /console asks to sign in, one tap on 李主管 opens the glance of the demo office', async () => {
    const first = await open(page, `${app.server.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(first.status()).toBe(200);
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-sign-in');

    await Promise.all([page.waitForURL(`${app.server.url}/console`), page.getByRole('button', { name: /^李主管/ }).tap()]);
    expect(await page.locator('[data-who]').textContent()).toBe('李主管');
    expect(await page.locator('h1').textContent()).toMatch(/^一号物业服务中心 · 2026-Q4$/);
    expect(await page.locator('[data-section="rates"] tr[data-kind]').count()).toBe(8);
    await expect.poll(() => page.locator('[data-section="to-review"] h2').textContent()).toMatch(/^待我审核（\d+）$/);
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-glance-phone');

    // Styled by its own CSS under the page's CSP, nothing refused.
    expect(await page.locator('header.bar').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(31, 35, 41)');
    expect(violations).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await screenshot(page, 'console-glance-1024');

    // The visits list and one visit, on a phone too.
    await page.setViewportSize({ width: 390, height: 844 });
    await Promise.all([page.waitForURL(`${app.server.url}/console/visits`), page.getByRole('link', { name: '回访', exact: true }).tap()]);
    expect(await page.locator('[data-section="visits"] tr[data-visit]').count()).toBeGreaterThan(0);
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-visits-phone');
    await Promise.all([page.waitForURL(/\/console\/visits\/\d+$/), page.locator('[data-section="visits"] tr[data-visit] a').first().tap()]);
    expect(await page.locator('[data-section="history"] li').count()).toBeGreaterThan(0);
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-visit-phone');
    expect(violations).toEqual([]);

    // Signed out, the glance is gone.
    await Promise.all([page.waitForURL(`${app.server.url}/console/sign-in`), page.getByRole('button', { name: '退出' }).tap()]);
    await open(page, `${app.server.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });
});
