import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/console/session';
import { ConsoleWorld, startConsoleWorld } from '../console/world';
import { expectPhoneFriendly, launchBrowser, open, phonePage, screenshot } from './support';

/** Taps 保存规则 and answers the POST's status, once the page it leads to has loaded. */
async function save(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/policy/save')),
    page.waitForEvent('load'),
    page.getByRole('button', { name: '保存规则' }).tap(),
  ]);
  return response.status();
}

describe('the console setup in a browser: a manager changes a policy value on a phone', () => {
  let world: ConsoleWorld;
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];
  beforeAll(async () => {
    [world, browser] = await Promise.all([startConsoleWorld(), launchBrowser()]);
    const manager = await world.wecomSignIn('wangjingli');
    page = await phonePage(browser);
    await page.context().addCookies([{ name: SESSION_COOKIE, value: manager.cookies.get(SESSION_COOKIE)!, url: world.app.server.url }]);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('a value out of range is named under its field and nothing is stored; a good one is saved and the admin API shows it', async () => {
    const url = `${world.app.server.url}/console/offices/office-1/policy`;
    expect((await open(page, url)).status()).toBe(200);
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-policy-phone');

    const field = page.getByLabel('住户未答复后再问（小时）');
    await field.fill('200');
    expect(await save(page)).toBe(400);
    const problem = page.locator('[data-field="residentReaskAfterHours"] [role="alert"]');
    expect(await problem.textContent()).toBe('must be at most 168');
    expect(await page.getByLabel('住户未答复后再问（小时）').inputValue()).toBe('200');
    expect(await page.getByLabel('住户未答复后再问（小时）').getAttribute('aria-invalid')).toBe('true');
    await expectPhoneFriendly(page);
    await screenshot(page, 'console-policy-problem-phone');
    expect((await world.app.api('GET', '/api/offices/office-1')).body.policy).toEqual({});

    await page.getByLabel('住户未答复后再问（小时）').fill('36');
    await page.getByLabel('员工：开始').fill('22:00');
    await page.getByLabel('员工：结束').fill('07:00');
    expect(await save(page)).toBe(303);
    expect(new URL(page.url()).search).toBe('?saved=1');
    expect(await page.locator('[data-saved]').textContent()).toBe('已保存。');
    expect(await page.getByLabel('住户未答复后再问（小时）').inputValue()).toBe('36');
    expect((await world.app.api('GET', '/api/offices/office-1')).body.policy).toEqual({ residentReaskAfterHours: 36, staffQuietHours: { start: '22:00', end: '07:00' } });
    expect(violations).toEqual([]);
  });
});
