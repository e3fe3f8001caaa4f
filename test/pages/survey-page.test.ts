import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoTrace, expectPhoneFriendly, isChecked, launchBrowser, open, PagesApp, phonePage, screenshot, startPagesApp, submit, tapChoice } from './support';

/** 2026-11-26 15:10:05 in Shanghai, just after the work order was completed. */
const NOW = '2026-11-26T07:10:05Z';
const DAY_MS = 86_400_000;

describe('the resident survey page on a phone', () => {
  let pages: PagesApp;
  let browser: Browser;
  let page: Page;
  let visitId: number;
  let link: string;
  beforeAll(async () => {
    [pages, browser] = await Promise.all([startPagesApp(NOW), launchBrowser()]);
    page = await phonePage(browser);
    // A household repair: the resident's own answers are the visit (docs/rules.md §3).
    visitId = (await pages.planVisit({ kind: 'repair', severity: null, department: null })).id;
    link = pages.surveyLink(visitId);
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('records five tapped answers with the resident’s confirmation and thanks them', async () => {
    const shown = await open(page, link);
    expect(shown.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('请评价本次服务');
    await expectPhoneFriendly(page);

    await tapChoice(page, '质量评价', '好');
    await tapChoice(page, '服务效果评价', '很好');
    await tapChoice(page, '满意程度评价', '满意');
    await tapChoice(page, '问题是否已解决', '已解决');
    await tapChoice(page, '缺点与不足', '沟通');
    await page.locator('textarea[name=suggestions]').fill('师傅很耐心');
    expect(await isChecked(page, 'quality', '4')).toBe(true);
    expect(await isChecked(page, 'satisfaction', '4')).toBe(true);
    expect(await isChecked(page, 'satisfaction', '5')).toBe(false);
    await screenshot(page, 'survey-form');

    const answered = await submit(page, '确认');
    expect(answered.status()).toBe(200);
    expect(await page.locator('[data-notice="thanks"] h1').textContent()).toBe('感谢您的评价');
    await expectPhoneFriendly(page);
    await screenshot(page, 'survey-thanks');

    const visit = await pages.visit(visitId);
    expect(visit).toMatchObject({
      status: 'recorded',
      method: 'survey',
      answers: { quality: 4, effect: 5, satisfaction: 4, shortcomings: ['communication'], suggestions: '师傅很耐心', solved: true },
    });
    expect(visit.residentConfirmedAt).toBe(NOW.replace('Z', '.000Z'));
  });

  it('says 您已完成评价 when the used link is opened again, and records nothing more', async () => {
    const again = await open(page, link);
    expect(again.status()).toBe(200);
    expect(await page.locator('[data-notice="answered"] h1').textContent()).toBe('您已完成评价');
    expect(await page.locator('form').count()).toBe(0);
    const visit = await pages.visit(visitId);
    expect(visit.history.filter((h: { action: string }) => h.action === 'recorded')).toHaveLength(1);
  });

  it('shows a clear 410 page for a link opened after its 7 days', async () => {
    const other = (await pages.planVisit()).id;
    const stale = pages.surveyLink(other);
    pages.app.clock.advance(8 * DAY_MS);
    try {
      const res = await open(page, stale);
      expect(res.status()).toBe(410);
      expect(await page.locator('[data-notice="expired"] h1').textContent()).toBe('链接已过期');
      expectNoTrace(await res.text());
      await expectPhoneFriendly(page);
      await screenshot(page, 'survey-expired');
    } finally {
      pages.app.clock.advance(-8 * DAY_MS);
    }
    // The same link within its 7 days still opens the questions: the page above was the clock's doing.
    expect((await open(page, stale)).status()).toBe(200);
    expect(await page.locator('form button').textContent()).toBe('确认');
  });

  it('shows a clear 404 page for a link whose signature or visit was tampered with', async () => {
    const token = new URL(pages.surveyLink(visitId)).pathname.slice('/s/'.length);
    const [payload, signature] = token.split('.');
    const flipped = `${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    const otherVisit = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), visitId: visitId + 1 })).toString('base64url');
    for (const forged of [flipped, `${otherVisit}.${signature}`, 'not-a-token']) {
      const res = await open(page, `${pages.app.server.url}/s/${forged}`);
      expect(res.status(), forged).toBe(404);
      expect(await page.locator('[data-notice="invalid"] h1').textContent()).toBe('链接无效');
      expectNoTrace(await res.text());
    }
    await screenshot(page, 'survey-invalid');
  });
});
