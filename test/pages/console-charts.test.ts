import { readFileSync } from 'node:fs';
import { get, IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleWorld, startConsoleWorld } from '../console/world';
import { expectPhoneFriendly, launchBrowser, open, screenshot } from './support';

/**
 * A browser context holding the supervisor's console session (signed in through WeCom's OAuth
 * by the test client), collecting what a person would never see but must not happen: script
 * errors, console errors and Content-Security-Policy refusals.
 */
async function signedInPage(browser: Browser, world: ConsoleWorld, viewport: { width: number; height: number }, phone: boolean): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const client = await world.wecomSignIn('lizhuguan');
  const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, locale: 'zh-CN' });
  const url = new URL(world.app.server.url);
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/console' })));
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Injected by the browser's protocol, outside the page's CSP: records every refusal.
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  return { page, context, problems };
}

/** Each chart of the page drawn: a canvas as wide as its place (which is within the screen). */
async function drawnCharts(page: Page): Promise<{ name: string; place: number; canvas: number; hidden: boolean }[]> {
  await page.waitForSelector('[data-chart] canvas');
  return page.$$eval('[data-chart]', (nodes) =>
    nodes.map((node) => ({
      name: node.getAttribute('data-chart-name') ?? '',
      place: Math.round(node.getBoundingClientRect().width),
      canvas: Math.round(node.querySelector('canvas')?.getBoundingClientRect().width ?? 0),
      hidden: (node as HTMLElement).hidden,
    })),
  );
}

describe('the console charts in Chromium: drawn by ECharts from our own files, under the CSP, at 1024 px and on a phone', () => {
  let world: ConsoleWorld;
  let browser: Browser;
  beforeAll(async () => {
    [world, browser] = await Promise.all([startConsoleWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('at 1024 px: the glance and the quarter page draw both charts on canvases that fill their place; narrowed to 390 px they redraw to fit', async () => {
    const { page, context, problems } = await signedInPage(browser, world, { width: 1024, height: 768 }, false);
    expect((await open(page, `${world.app.server.url}/console`)).status()).toBe(200);
    const glance = await drawnCharts(page);
    expect(glance.map((c) => c.name)).toEqual(['rates', 'satisfaction']);
    for (const chart of glance) {
      expect(chart.hidden).toBe(false);
      expect(chart.place).toBeGreaterThan(900);
      expect(Math.abs(chart.canvas - chart.place)).toBeLessThanOrEqual(2);
    }
    // The chart tells what it shows to a screen reader (ECharts' aria), the table stays beside it.
    expect(await page.locator('[data-chart-name="rates"]').getAttribute('aria-label')).toBeTruthy();
    expect(await page.locator('[data-section="rates"] tr[data-kind]').count()).toBe(8);

    expect((await open(page, `${world.app.server.url}/console/quarter?office=office-1&quarter=2026-Q4`)).status()).toBe(200);
    expect((await drawnCharts(page)).map((c) => c.name)).toEqual(['rates', 'satisfaction']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await screenshot(page, 'console-quarter-1024');

    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(async () => (await drawnCharts(page)).map((c) => c.canvas <= 390 && Math.abs(c.canvas - c.place) <= 2))
      .toEqual([true, true]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("on a phone (390 px, touch, as WeCom's browser): the charts are drawn, the page fits the screen, nothing refused", async () => {
    const { page, context, problems } = await signedInPage(browser, world, { width: 390, height: 844 }, true);
    expect((await open(page, `${world.app.server.url}/console/quarter?office=office-1&quarter=2026-Q4`)).status()).toBe(200);
    const charts = await drawnCharts(page);
    expect(charts).toHaveLength(2);
    for (const chart of charts) expect(chart.canvas).toBeLessThanOrEqual(390);
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-quarter-phone');
    expect((await open(page, `${world.app.server.url}/console`)).status()).toBe(200);
    expect(await drawnCharts(page)).toHaveLength(2);
    await expectPhoneFriendly(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without script the charts stay hidden and the tables say it all', async () => {
    const client = await world.wecomSignIn('lizhuguan');
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const url = new URL(world.app.server.url);
    await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/console' })));
    const page = await context.newPage();
    await open(page, `${world.app.server.url}/console/quarter?office=office-1&quarter=2026-Q4`);
    expect(await page.locator('[data-chart]').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().height))).toEqual([0, 0]);
    expect(await page.locator('[data-section="rates"] tbody tr').count()).toBe(8);
    expect(await page.locator('[data-section="satisfaction-trend"] tr[data-week="2026-W48"]').textContent()).toBe('11月23日3.002');
    await context.close();
  });

  it('ECharts is served from the installed package, gzipped when asked, cached for a year under a versioned path', async () => {
    const html = await (await world.wecomSignIn('lizhuguan')).get('/console');
    const path = /<script src="(\/assets\/echarts\.[0-9a-f]{12}\.js)"/.exec(html.text)![1];
    const plain = await fetch(`${world.app.server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const installed = readFileSync(require.resolve('echarts/dist/echarts.common.min.js'));
    expect(Buffer.from(await plain.arrayBuffer()).equals(installed)).toBe(true);
    // Raw, as the phone's browser gets it: gzip (Node's fetch would unpack it by itself).
    const zipped = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      const request = get(`${world.app.server.url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      });
      request.on('error', reject);
    });
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.bytes.length).toBeLessThan(installed.length / 2);
    expect(gunzipSync(zipped.bytes).equals(installed)).toBe(true);
  });
});
