import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { SandboxApp, startSandboxApp } from './sandbox-app';

/**
 * Thursday 26 November 2026, 15:10:05 in Shanghai: off WeCom's :00/:30 marks, so nothing the
 * newcomer causes is held back. The clock stands still; the demo week ends here.
 */
const NOW = '2026-11-26T07:10:05Z';

/** Debian's chromium, driven by playwright-core; no browser is ever downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the screenshot goes; `UPDATE_DOCS_SCREENSHOT=1` also refreshes the README's picture. */
const SCREENSHOTS = ['test-results/sandbox.png', ...(process.env.UPDATE_DOCS_SCREENSHOT === '1' ? ['docs/sandbox.png'] : [])];

describe('the chat sandbox in a real browser', () => {
  let app: SandboxApp;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    app = await startSandboxApp({ clock: new ManualClock(NOW) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.on('request', (request) => requested.push(request.url()));
    // Fail a step with its own message, well before the test's time-out.
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Clicks and waits for the answer of the sandbox call it makes. */
  const clickAndAnswer = async (path: string, click: () => Promise<void>): Promise<Response> => {
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === path), click()]);
    expect(response.status(), await response.text()).toBe(200);
    return response;
  };

  it('opens on the demo office: its five staff and twenty residents, and the visits of its week', async () => {
    expect(app.attached.seeded).toMatchObject({ staff: 5, residents: 20 });
    await page.goto(`${app.server.url}/sandbox`);
    await page.locator('.person', { hasText: '张三' }).waitFor();
    expect(await page.locator('.person').count()).toBe(25);
    await page.locator('#visits tr[data-status="overdue"]').first().waitFor();
    await page.locator('#visits tr[data-status="planned"]').first().waitFor();
  });

  it('lets a newcomer send a repair, run the jobs, tap 非常满意 in the resident’s chat and see the visit recorded', async () => {
    // 1. The form sends a work-order event, signed by the server, to the real webhook. A household
    // repair is answered by the resident in chat (a complaint is visited by staff).
    await page.selectOption('#wo-kind', 'repair');
    await page.fill('#wo-title', '厨房水龙头');
    await page.selectOption('#wo-resident', 'R-88');
    await page.fill('#wo-unit', 'B3-1202');
    const sent = await clickAndAnswer('/sandbox/api/work-orders', () => page.click('#wo-send'));
    const webhook = (await sent.json()).webhook;
    expect(webhook.status).toBe(202);
    const visitId: number = webhook.body.visits[0].id;
    await page.locator('#wo-result.ok').waitFor();
    await page.locator(`#visits tr[data-visit-id="${visitId}"][data-status="due"]`).waitFor();

    // 2. The due jobs run now: the resident's first card goes out.
    await clickAndAnswer('/sandbox/api/run-jobs', () => page.click('#run-jobs'));
    await page.locator('#jobs-result.ok').waitFor();

    // 3. The resident answers in their chat; every tap is an encrypted WeCom callback.
    await page.getByRole('button', { name: '打开 张三 的聊天' }).click();
    await page.locator('.chat-head', { hasText: 'zhangsan' }).waitFor();
    const ratings = page.locator('.card', { hasText: '请评价本次维修服务（1/3）' });
    await ratings.waitFor();
    // Untouched drop-downs start on 请选择, as in WeCom: a submit with one answer records nothing
    // and the card says what is missing, keeping what was chosen.
    expect(await ratings.getByLabel('质量评价').inputValue()).toBe('not_chosen');
    await ratings.getByLabel('满意程度评价').selectOption({ label: '非常满意' });
    await clickAndAnswer('/sandbox/api/tap', () => ratings.getByRole('button', { name: '提交' }).click());
    await ratings.locator('.desc', { hasText: '还有未选的项目' }).waitFor();
    expect((await app.call('GET', `/api/visits/${visitId}`)).body.answers).toMatchObject({ quality: null, effect: null, satisfaction: null });
    await ratings.getByLabel('质量评价').selectOption({ label: '很好' });
    await ratings.getByLabel('服务效果评价').selectOption({ label: '好' });
    await clickAndAnswer('/sandbox/api/tap', () => ratings.getByRole('button', { name: '提交' }).click());
    await ratings.locator('.done', { hasText: '已提交' }).waitFor();
    // The answered card shows the answers given, locked.
    expect(await ratings.getByLabel('服务效果评价').inputValue()).toBe('4');
    expect(await ratings.getByLabel('服务效果评价').isDisabled()).toBe(true);

    const shortcomings = page.locator('.card', { hasText: '哪些方面需改进（2/3）' });
    await shortcomings.waitFor();
    await shortcomings.getByLabel('无', { exact: true }).check();
    await clickAndAnswer('/sandbox/api/tap', () => shortcomings.getByRole('button', { name: '提交' }).click());

    const confirm = page.locator('.card', { hasText: '请确认本次回访（3/3）' });
    await confirm.waitFor();
    await confirm.getByLabel('问题是否已解决').selectOption({ label: '已解决' });
    await clickAndAnswer('/sandbox/api/tap', () => confirm.getByRole('button', { name: '确认' }).click());
    await confirm.locator('.done', { hasText: '已确认' }).waitFor();

    // 4. The live list shows the visit recorded (or further on).
    const row = page.locator(
      `#visits tr[data-visit-id="${visitId}"]:is([data-status="recorded"], [data-status="reviewed"], [data-status="closed"])`,
    );
    await row.waitFor();
    const visit = (await app.call('GET', `/api/visits/${visitId}`)).body;
    expect(visit).toMatchObject({
      status: 'recorded',
      method: 'chat',
      answers: { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'], solved: true },
      residentConfirmedAt: NOW.replace('Z', '.000Z'),
    });

    // Tall enough to show the resident's three answered cards and the list at once.
    await page.setViewportSize({ width: 1440, height: 1440 });
    await page.locator('#messages').evaluate((box) => (box.scrollTop = box.scrollHeight));
    for (const path of SCREENSHOTS) {
      mkdirSync(join(path, '..'), { recursive: true });
      await page.screenshot({ path });
    }
  });

  it('lets the supervisor close the visit from their chat with 通过', async () => {
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.locator('.person', { hasText: '李主管' }).click();
    const review = page.locator('.card', { hasText: '回访审核 · 维修回访：厨房水龙头' }).last();
    await review.waitFor();
    await clickAndAnswer('/sandbox/api/tap', () => review.getByRole('button', { name: '通过' }).click());
    await review.locator('.done', { hasText: '已审核：通过' }).waitFor();
    await page.locator('#visits tr[data-status="closed"]', { hasText: '厨房水龙头' }).waitFor();
  });

  it('is where GET / leads, says the demo office has quiet hours off, and runs no inline script', async () => {
    const res = await page.goto(`${app.server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/sandbox');
    expect(res!.status()).toBe(200);
    await page.locator('.office-note[data-quiet="off"]', { hasText: '免打扰时段已关闭' }).waitFor();
    const html = await res!.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).toContain('<script src="/sandbox/sandbox.js" defer></script>');
  });

  it('copies a visit’s survey link, which opens that visit’s survey page', async () => {
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.url });
    const row = page.locator('#visits tr[data-status="due"]').first();
    await row.waitFor();
    const visitId = Number(await row.getAttribute('data-visit-id'));
    const copy = row.getByRole('button', { name: '复制问卷链接' });
    await clickAndAnswer(`/sandbox/api/visits/${visitId}/survey-link`, () => copy.click());
    await row.getByRole('button', { name: '已复制' }).waitFor();
    const url = await page.evaluate(() => navigator.clipboard.readText());
    // The link as cards carry it: under PUBLIC_BASE_URL (here the test's), a signed token.
    expect(url).toMatch(/^http:\/\/localhost:3000\/s\/[\w-]+\.[\w-]+$/);
    const survey = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await survey.goto(`${app.server.url}${new URL(url).pathname}`);
      expect(await survey.locator('header .office').textContent()).toBe('一号物业服务中心');
    } finally {
      await survey.close();
    }
  });

  for (const [width, height] of [
    [1024, 768],
    [390, 844],
  ] as const) {
    it(`fits a ${width} px wide screen: nothing scrolls sideways, and the people, chat and work-order form are all there`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(`${app.server.url}/sandbox`);
      await page.locator('.person').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      for (const selector of ['#people', '#messages', '#wo-form', '#visits']) {
        const box = await page.locator(selector).boundingBox();
        expect(box, selector).not.toBeNull();
        expect(box!.width, selector).toBeGreaterThan(150);
        expect(box!.x + box!.width, selector).toBeLessThanOrEqual(width + 0.5);
      }
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: `test-results/sandbox-${width}.png`, fullPage: width < 700 });
    });
  }

  it('asks nothing of the network: every request stays on this server', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${app.server.url}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(app.sandbox.fake.unexpected).toEqual([]);
  });
});
