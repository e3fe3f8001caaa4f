import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Visit } from '../../entities';
import { expectPhoneFriendly, isChecked, launchBrowser, open, PagesApp, phonePage, PlannedVisit, screenshot, startPagesApp, submit, tapChoice } from './support';

/** 2026-11-26 15:10:05 in Shanghai, just after the work orders were completed. */
const NOW = '2026-11-26T07:10:05Z';

describe('the staff form on a phone: record, review, handle', () => {
  let pages: PagesApp;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [pages, browser] = await Promise.all([startPagesApp(NOW), launchBrowser()]);
    page = await phonePage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  const historyText = async () => (await page.locator('[data-section="history"] li').allTextContents()).map((t) => t.replace(/\s+/g, ' '));

  describe('a routine visit', () => {
    let planned: PlannedVisit;
    let visitId: number;
    let specialistLink: string;
    let stale: Page;
    beforeAll(async () => {
      planned = await pages.planVisit();
      visitId = planned.id;
      specialistLink = pages.staffLink(visitId, planned.specialist.id);
    });

    it('a specialist records a phone visit through the page, after the page names what was missing', async () => {
      const shown = await open(page, specialistLink);
      expect(shown.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('电梯异响');
      expect(await page.locator('[data-status]').textContent()).toBe('待回访');
      expect(await page.locator('[data-section="resident"] a').getAttribute('href')).toBe('tel:13800000000');
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-record-form');

      // Half filled in: the form comes back with 400, naming the rest and keeping what was given.
      await tapChoice(page, '回访方式', '电话');
      await tapChoice(page, '质量评价', '很好');
      await page.locator('textarea[name=suggestions]').fill('希望电梯按时保养');
      const incomplete = await submit(page, '提交记录');
      expect(incomplete.status()).toBe(400);
      expect(await page.getByRole('alert').textContent()).toBe('请检查：服务效果评价、满意程度评价');
      expect(await page.locator('fieldset.invalid').evaluateAll((sets) => sets.map((s) => s.getAttribute('data-field')))).toEqual(['effect', 'satisfaction']);
      expect(await isChecked(page, 'method', 'phone')).toBe(true);
      expect(await isChecked(page, 'quality', '5')).toBe(true);
      expect(await page.locator('textarea[name=suggestions]').inputValue()).toBe('希望电梯按时保养');
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-record-form-400');
      expect((await pages.visit(visitId)).status).toBe('due');

      await tapChoice(page, '服务效果评价', '好');
      await tapChoice(page, '满意程度评价', '满意');
      await tapChoice(page, '问题是否已解决', '已解决');
      await tapChoice(page, '缺点与不足', '无');
      await page.locator('textarea[name=notes]').fill('住户白天在家');
      const recorded = await submit(page, '提交记录');
      expect(recorded.status()).toBe(200);
      expect(await page.locator('[data-notice="recorded"] h1').textContent()).toBe('回访记录已提交');
      expect(await page.locator('[data-notice] p').textContent()).toContain('请住户确认');
      expect(await page.locator('[data-notice] p').textContent()).toContain('请您本人确认');
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-record-done');

      const visit = await pages.visit(visitId);
      expect(visit).toMatchObject({
        status: 'recorded',
        method: 'phone',
        recordedBy: planned.specialist.id,
        residentConfirmedAt: null,
        answers: { quality: 5, effect: 4, satisfaction: 4, shortcomings: ['none'], suggestions: '希望电梯按时保养', solved: true },
      });
      expect((await pages.app.db.getRepository(Visit).findOneByOrFail({ id: visitId })).notes).toBe('住户白天在家');
    });

    it('shows the supervisor the record with the review form, and 通过 closes the visit', async () => {
      // The same form opened a second time (another tab, or a second supervisor), used later.
      stale = await phonePage(browser);
      expect((await open(stale, pages.staffLink(visitId, 'sup1'))).status()).toBe(200);
      const shown = await open(page, pages.staffLink(visitId, 'sup1'));
      expect(shown.status()).toBe(200);
      const record = (await page.locator('[data-section="record"]').textContent()) ?? '';
      for (const text of ['电话回访', planned.specialist.name, '很好', '满意', '希望电梯按时保养', '住户白天在家', '住户确认待确认']) expect(record).toContain(text);
      expect(await page.locator('.warn').count()).toBe(0);
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-review-form');

      await tapChoice(page, '审核结论', '通过');
      await page.locator('textarea[name=opinion]').fill('回访及时');
      const reviewed = await submit(page, '提交审核');
      expect(reviewed.status()).toBe(200);
      expect(await page.locator('[data-notice="reviewed_ok"] h1').textContent()).toBe('审核已提交：通过');

      // Passed: it closes once the resident and the specialist have confirmed (or 7 days on).
      const visit = await pages.visit(visitId);
      expect(visit).toMatchObject({ status: 'reviewed', verdict: 'ok', review: { reviewerId: 'sup1', opinion: '回访及时' } });
    });

    it('shows the reviewed visit read-only to the specialist, with who did what and when', async () => {
      const shown = await open(page, specialistLink);
      expect(shown.status()).toBe(200);
      expect(await page.locator('form').count()).toBe(0);
      expect(await page.locator('[data-status]').textContent()).toBe('已审核');
      expect(await page.locator('[data-section="review"]').textContent()).toContain('回访及时');
      expect(await historyText()).toEqual([
        '11月26日 15:10 · 系统计划回访',
        `11月26日 15:10 · ${planned.specialist.name}记录回访（电话回访）`,
        '11月26日 15:10 · 李主管主管审核：通过',
      ]);
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-view-closed');
    });

    it('answers a review sent from a form opened before the visit was reviewed with the 409 已处理 page', async () => {
      await tapChoice(stale, '审核结论', '不合格');
      await stale.locator('textarea[name=opinion]').fill('再审');
      const res = await submit(stale, '提交审核');
      expect(res.status()).toBe(409);
      expect(await stale.locator('[data-notice="conflict"] h1').textContent()).toBe('已处理');
      expect(await stale.locator('[data-notice="conflict"]').textContent()).toContain('当前状态：已审核');
      await expectPhoneFriendly(stale);
      await screenshot(stale, 'staff-conflict');
      expect(await pages.visit(visitId)).toMatchObject({ status: 'reviewed', verdict: 'ok', review: { opinion: '回访及时' } });

      // Its 查看回访记录 leads to the record as it stands.
      await Promise.all([stale.waitForEvent('load'), stale.getByRole('link', { name: '查看回访记录' }).tap()]);
      expect(await stale.locator('[data-status]').textContent()).toBe('已审核');
    });
  });

  describe('an unqualified visit', () => {
    let planned: PlannedVisit;
    let visitId: number;
    beforeAll(async () => {
      planned = await pages.planVisit();
      visitId = planned.id;
    });

    it('goes from the specialist’s record to the supervisor’s 不合格 to the manager’s handling, all on the page', async () => {
      await open(page, pages.staffLink(visitId, planned.specialist.id));
      await tapChoice(page, '回访方式', '上门');
      await tapChoice(page, '质量评价', '一般');
      await tapChoice(page, '服务效果评价', '差');
      await tapChoice(page, '满意程度评价', '不满意');
      await tapChoice(page, '问题是否已解决', '未解决');
      await tapChoice(page, '缺点与不足', '响应慢');
      await tapChoice(page, '缺点与不足', '质量');
      expect((await submit(page, '提交记录')).status()).toBe(200);
      expect(await page.locator('[data-notice="recorded_unqualified"] p').textContent()).toContain('判为不合格');
      expect(await pages.visit(visitId)).toMatchObject({ status: 'unqualified', method: 'onsite', answers: { shortcomings: ['slow_response', 'quality'], solved: false } });

      await open(page, pages.staffLink(visitId, 'sup1'));
      expect(await page.locator('.warn').textContent()).toContain('判为不合格');
      await tapChoice(page, '审核结论', '不合格');
      await page.locator('textarea[name=opinion]').fill('电梯仍有异响，需复修');
      await screenshot(page, 'staff-review-unqualified');
      expect((await submit(page, '提交审核')).status()).toBe(200);
      expect(await page.locator('[data-notice="reviewed_unqualified"]').count()).toBe(1);
      expect((await pages.visit(visitId)).status).toBe('escalated');

      await open(page, pages.staffLink(visitId, 'mgr1'));
      expect(await page.locator('[data-section="review"]').textContent()).toContain('电梯仍有异响，需复修');
      const empty = await submit(page, '提交处理意见');
      expect(empty.status()).toBe(400);
      expect(await page.getByRole('alert').textContent()).toBe('请检查：处理意见');
      await page.locator('textarea[name=opinion]').fill('已安排工程部复修并回访');
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-handle-form');
      expect((await submit(page, '提交处理意见')).status()).toBe(200);
      expect(await page.locator('[data-notice="handled"]').count()).toBe(1);
      // Handled: the resident is now asked whether the problem is solved.
      expect(await pages.visit(visitId)).toMatchObject({ status: 'handled', verdict: 'unqualified', handling: { handlerId: 'mgr1', opinion: '已安排工程部复修并回访' } });
    });
  });

  it('shows a clear 410 page for a staff link after its 7 days, and a 404 page for a forged one', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const link = pages.staffLink(visitId, specialist.id);
    pages.app.clock.advance(8 * 86_400_000);
    try {
      const expired = await open(page, link);
      expect(expired.status()).toBe(410);
      expect(await page.locator('[data-notice="expired"] h1').textContent()).toBe('链接已过期');
      await expectPhoneFriendly(page);
      await screenshot(page, 'staff-expired');
    } finally {
      pages.app.clock.advance(-8 * 86_400_000);
    }
    const forged = await open(page, `${link.slice(0, -2)}${link.endsWith('xx') ? 'yy' : 'xx'}`);
    expect(forged.status()).toBe(404);
    expect(await page.locator('[data-notice="invalid"] h1').textContent()).toBe('链接无效');
    await screenshot(page, 'staff-invalid');
  });
});
