import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OFFICE_1 } from '../support/app';
import { emptyAllTables } from '../support/database';
import { expectPhoneFriendly, launchBrowser, phonePage, screenshot } from '../pages/support';
import { installStandIn, StandInClient } from './jssdk-stand-in';
import { CUSTOMER, SidebarApp, startSidebarApp } from './sidebar-app';

/**
 * The sidebar page in Chromium, beside a chat with a resident: WeCom's JS-SDK is a stand-in
 * (jssdk-stand-in.ts) that checks the page's signatures against the fake WeCom's tickets and
 * records every call. One tap sends the survey link into the chat; the staff member records a
 * phone visit on the spot; every fault ends in a state the page names.
 */
describe('the chat sidebar page in Chromium', () => {
  let s: SidebarApp;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [s, browser] = await Promise.all([startSidebarApp('2026-11-26T08:00:00Z'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  beforeEach(async () => {
    await page?.context().close();
    await emptyAllTables(s.app.db);
    expect((await s.app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
    page = await phonePage(browser);
  });

  const opened = async (userId: string, contact: string | null = CUSTOMER, stage?: (client: StandInClient) => void): Promise<StandInClient> => {
    const client = await installStandIn(page, s.fake, contact);
    stage?.(client);
    // Recorded by the browser itself: the page's own policy does not apply to this script.
    await page.addInitScript(() => {
      const list: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = list;
      document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const res = await page.goto(s.sidebarUrl(userId));
    expect(res?.status()).toBe(200);
    return client;
  };
  const stateOf = async (kind: string) => {
    const state = page.locator(`#state[data-kind="${kind}"]`);
    await state.waitFor();
    return (await state.textContent()) ?? '';
  };

  it('lists the resident’s open visits and sends the survey link into the chat with one tap, recorded as sent', async () => {
    const visit = await s.planCustomerVisit();
    const client = await opened(visit.visitor);
    expect(await stateOf('ready')).toContain('王五 的未完成回访：1 个');
    const card = page.locator(`[data-visit-id="${visit.id}"]`);
    expect(await card.locator('h2').textContent()).toBe('维修回访：厨房水龙头漏水');
    await expectPhoneFriendly(page);
    await screenshot(page, 'sidebar-list');

    await card.getByRole('button', { name: '发送问卷链接' }).tap();
    expect(await stateOf('done')).toContain('问卷链接已发送');
    expect(client.names()).toEqual(['config', 'agentConfig', 'getCurExternalContact', 'sendChatMessage']);
    expect(client.calls[0]!.args.jsApiList).toEqual(['getCurExternalContact', 'sendChatMessage']);
    const sent = client.calls[3]!.args;
    expect(sent).toMatchObject({ msgtype: 'news', news: { title: '维修回访：请您评价本次服务', imgUrl: 'https://hf.example.org/assets/survey-link.png' } });
    expect(sent.news.link).toMatch(/^https:\/\/hf\.example\.org\/s\//);
    expect(await card.locator('.sent').textContent()).toBe('已在聊天中发送问卷链接（11月26日 16:00）');
    const detail = (await s.app.api('GET', `/api/visits/${visit.id}`)).body;
    expect(detail.history.at(-1)).toMatchObject({ action: 'survey_link_sent', details: { via: 'sidebar' } });
    await screenshot(page, 'sidebar-sent');
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  });

  it('records a phone visit on the spot through the form', async () => {
    const visit = await s.planCustomerVisit();
    await opened(visit.visitor);
    await stateOf('ready');
    await page.locator(`[data-visit-id="${visit.id}"]`).getByRole('button', { name: '记录电话回访' }).tap();
    const form = page.locator(`[data-visit-id="${visit.id}"] form`);
    for (const [legend, label] of [['服务质量', '很好'], ['服务效果', '好'], ['满意程度', '满意'], ['不足之处', '无']]) {
      await form.locator('fieldset').filter({ has: page.locator('legend', { hasText: legend }) }).getByText(label, { exact: true }).tap();
    }
    await form.locator('textarea[name=notes]').fill('电话联系，住户满意');
    await expectPhoneFriendly(page);
    await screenshot(page, 'sidebar-record');
    await form.getByRole('button', { name: '保存电话回访记录' }).tap();
    expect(await stateOf('done')).toContain('电话回访记录已保存');
    const detail = (await s.app.api('GET', `/api/visits/${visit.id}`)).body;
    expect(detail).toMatchObject({ status: 'recorded', method: 'phone', answers: { quality: 5, effect: 4, satisfaction: 4, shortcomings: ['none'] } });
    expect(detail.history.find((h: any) => h.action === 'recorded')).toBeTruthy();
  });

  it('re-signs once when WeCom refuses a ticket that lapsed mid-day, and goes on', async () => {
    const visit = await s.planCustomerVisit();
    await opened(visit.visitor);
    await stateOf('ready');
    s.fake.jsapi.expireTickets();
    await page.context().close();
    page = await phonePage(browser);
    const client = await opened(visit.visitor);
    expect(await stateOf('ready')).toContain('未完成回访：1 个');
    // wx.config refused → the company ticket renewed; wx.agentConfig refused → the app ticket renewed.
    expect(client.names()).toEqual(['config', 'config', 'agentConfig', 'config', 'agentConfig', 'getCurExternalContact']);
  });

  it('ends in a named state when the ticket keeps failing, the customer is unknown, there is no customer, or the member left', async () => {
    const visit = await s.planCustomerVisit();
    const refusing = await opened(visit.visitor, CUSTOMER, (client) => {
      client.refuseAgentConfig = true;
    });
    expect(await stateOf('error')).toContain('重新签名后仍未通过');
    expect(refusing.names()).toEqual(['config', 'agentConfig', 'config', 'agentConfig']);

    await page.context().close();
    page = await phonePage(browser);
    await opened(visit.visitor, 'wmSomeoneElse');
    expect(await stateOf('error')).toContain('这位客户不在回访名单中');

    await page.context().close();
    page = await phonePage(browser);
    await opened(visit.visitor, null);
    expect(await stateOf('error')).toContain('无法获取当前聊天的客户');

    await page.context().close();
    page = await phonePage(browser);
    const client = await opened(visit.visitor);
    await stateOf('ready');
    const without = { ...OFFICE_1, staff: OFFICE_1.staff.filter((m) => m.wecomUserId !== visit.visitor) };
    expect((await s.app.api('PUT', '/api/offices/office-1', without)).status).toBe(200);
    const card = page.locator(`[data-visit-id="${visit.id}"]`);
    await card.getByRole('button', { name: '发送问卷链接' }).tap();
    await expect.poll(async () => card.locator('.problem').textContent()).toContain('不在任何服务中心的在职回访人员名单中');
    expect(client.names()).not.toContain('sendChatMessage');
  });

  it('stops waiting for WeCom after 10 s and says so', async () => {
    await s.planCustomerVisit();
    const client = await opened('zhaozhuanyuan', CUSTOMER, (c) => {
      c.silentContact = true;
    });
    const state = page.locator('#state[data-kind="error"]');
    await state.waitFor({ timeout: 15_000 });
    expect(await state.textContent()).toContain('企业微信没有回应（getCurExternalContact）');
    expect(client.names()).toEqual(['config', 'agentConfig', 'getCurExternalContact']);
  });

  it('does not record a link the staff member cancelled in WeCom', async () => {
    const visit = await s.planCustomerVisit();
    const client = await opened(visit.visitor);
    await stateOf('ready');
    client.sendChatMessage = 'cancel';
    const card = page.locator(`[data-visit-id="${visit.id}"]`);
    await card.getByRole('button', { name: '发送问卷链接' }).tap();
    await expect.poll(async () => card.locator('.problem').textContent()).toContain('未发送');
    const detail = (await s.app.api('GET', `/api/visits/${visit.id}`)).body;
    expect(detail.history.map((h: any) => h.action)).not.toContain('survey_link_sent');
  });
});
