import { Browser, Page } from 'playwright-core';
import { Visit } from '../../entities';
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

  it('says 您已完成评价 when the used link is opened again, shows the answers given, and records nothing more', async () => {
    const again = await open(page, link);
    expect(again.status()).toBe(200);
    expect(await page.locator('[data-notice="answered"] h1').textContent()).toBe('您已完成评价');
    expect(await page.locator('form').count()).toBe(0);
    const given = page.locator('section.given');
    expect(await given.locator('h2').textContent()).toBe('您的评价');
    const rows = await given.locator('dt, dd').allTextContents();
    expect(rows).toEqual(['质量评价', '好', '服务效果评价', '很好', '满意程度评价', '满意', '缺点与不足', '沟通', '问题是否已解决', '已解决', '建议', '师傅很耐心']);
    await expectPhoneFriendly(page);
    await screenshot(page, 'survey-answered-again');
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

  it('names the office and what was done when, and marks which questions must be answered', async () => {
    const fresh = pages.surveyLink((await pages.planVisit({ kind: 'repair', severity: null, department: null, title: '厨房水龙头', completedAt: '2026-11-03T01:40:00Z' })).id);
    await open(page, fresh);
    expect(await page.locator('header .office').textContent()).toBe('一号物业服务中心');
    // 09:40 on the 3rd in Shanghai, this month: the day and the time, then what was done.
    expect(await page.locator('header .what').textContent()).toBe('3 日 09:40 完成的维修服务：厨房水龙头');
    const legends = await page.locator('legend').allTextContents();
    expect(legends.filter((l) => l.includes('必填')).map((l) => l.replace(/必填.*/, ''))).toEqual(['质量评价', '服务效果评价', '满意程度评价', '缺点与不足']);
    expect(legends.filter((l) => l.includes('选填')).map((l) => l.replace(/选填.*/, ''))).toEqual(['问题是否已解决', '建议']);
    // No inline script and no inline handlers: the one script is a served file.
    const html = await page.content();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    expect(await page.locator('script[src="/assets/survey.js"]').count()).toBe(1);
    await expectPhoneFriendly(page);
  });

  it('shows what is missing beside each question in Chinese, not in the browser’s bubble, and records nothing', async () => {
    const id = (await pages.planVisit({ kind: 'repair', severity: null, department: null })).id;
    await open(page, pages.surveyLink(id));
    await tapChoice(page, '满意程度评价', '满意');
    // The browser sends the form as it is (novalidate): the server answers.
    const res = await submit(page, '确认');
    expect(res.status()).toBe(400);
    expect(await page.locator('.summary').textContent()).toBe('还有 3 处需要填写或修改，请看下面标红的地方。');
    const errorOf = (name: string) => page.locator(`fieldset[data-question="${name}"] .field-error`);
    expect(await errorOf('quality').textContent()).toBe('请选择质量评价');
    expect(await errorOf('effect').textContent()).toBe('请选择服务效果评价');
    expect(await errorOf('satisfaction').count()).toBe(0);
    // An empty shortcomings answer is never taken (the cards' rule too).
    expect(await errorOf('shortcomings').textContent()).toBe('请至少选一项；没有不足请选「无」');
    // What was chosen stays chosen.
    expect(await isChecked(page, 'satisfaction', '4')).toBe(true);
    await expectPhoneFriendly(page);
    await screenshot(page, 'survey-errors');
    expect((await pages.visit(id)).answers).toMatchObject({ quality: null, effect: null, satisfaction: null });

    // Answering a question takes its red mark away.
    await tapChoice(page, '质量评价', '很好');
    expect(await errorOf('quality').count()).toBe(0);
  });

  it('makes 无 stand alone among the shortcomings as it is ticked, and refuses it with others', async () => {
    const id = (await pages.planVisit({ kind: 'repair', severity: null, department: null })).id;
    const url = pages.surveyLink(id);
    await open(page, url);
    await tapChoice(page, '缺点与不足', '沟通');
    await tapChoice(page, '缺点与不足', '价格');
    await tapChoice(page, '缺点与不足', '无');
    expect(await isChecked(page, 'shortcomings', 'none')).toBe(true);
    expect(await isChecked(page, 'shortcomings', 'communication')).toBe(false);
    expect(await isChecked(page, 'shortcomings', 'price')).toBe(false);
    await tapChoice(page, '缺点与不足', '态度');
    expect(await isChecked(page, 'shortcomings', 'none')).toBe(false);
    expect(await isChecked(page, 'shortcomings', 'attitude')).toBe(true);

    // Without the script (or from a forged form) the server holds the same rule.
    const res = await page.request.post(url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: 'quality=5&effect=5&satisfaction=5&shortcomings=none&shortcomings=price',
    });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain('「无」不能和其他项同时选');
    expect((await pages.visit(id)).status).toBe('due');
  });

  it('starts from the answers the resident already gave in chat', async () => {
    const id = (await pages.planVisit({ kind: 'repair', severity: null, department: null })).id;
    // The ratings card answered in WeCom (as the chat loop stores them), then the link opened.
    await pages.app.server.dataSource.getRepository(Visit).update(id, { quality: 3, effect: 4, satisfaction: 5 });
    await open(page, pages.surveyLink(id));
    expect(await isChecked(page, 'quality', '3')).toBe(true);
    expect(await isChecked(page, 'effect', '4')).toBe(true);
    expect(await isChecked(page, 'satisfaction', '5')).toBe(true);
  });
});
