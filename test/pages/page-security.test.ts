import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { SandboxApp, startSandboxApp } from '../sandbox/sandbox-app';
import { campaignBody, importCustomers } from '../campaigns/support';
import { launchBrowser, PagesApp, phonePage, startPagesApp } from './support';

const NOW = '2026-11-26T07:10:05Z';

/** What every HTML answer carries, whatever the page, its status, and whether it is a re-render. */
function expectPageHeaders(what: string, res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect([what, res.headers.get('content-type')]).toEqual([what, 'text/html; charset=utf-8']);
  expect([what, csp]).toEqual([what, expect.stringContaining("frame-ancestors 'none'")]);
  expect([what, csp]).toEqual([what, expect.stringContaining("default-src 'none'")]);
  expect([what, csp]).not.toEqual([what, expect.stringContaining('unsafe-inline')]);
  expect([what, res.headers.get('x-content-type-options'), res.headers.get('referrer-policy'), res.headers.get('cache-control')]).toEqual([
    what,
    'nosniff',
    'no-referrer',
    'no-store',
  ]);
}

/** Opens a page in Chromium and reports the CSP violations it caused (none is the goal). */
async function openAndWatch(page: Page, url: string): Promise<{ status: number; violations: () => Promise<string[]> }> {
  const response = await page.goto(url);
  return {
    status: response!.status(),
    violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
}

async function watchedPage(browser: Browser): Promise<Page> {
  const page = await phonePage(browser);
  // Added by the browser itself, not by the page: the page's own CSP does not apply to it.
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

describe('security headers of the HTML pages', () => {
  let pages: PagesApp;
  let browser: Browser;
  let survey: string;
  let staff: string;
  let weekly: string;
  let campaignReport: string;
  beforeAll(async () => {
    [pages, browser] = await Promise.all([startPagesApp(NOW), launchBrowser()]);
    const repair = await pages.planVisit({ kind: 'repair', severity: null, department: null });
    survey = pages.surveyLink(repair.id);
    const complaint = await pages.planVisit();
    staff = pages.staffLink(complaint.id, complaint.specialist.id);
    const token = pages.app.server.links.issue({ visitId: 0, purpose: 'weekly', officeId: 'office-1', week: '2026-W48' }, pages.app.clock.now());
    weekly = `${pages.app.server.url}/r/weekly/${token}`;
    // A campaign report page: a campaign of one customer, set up through the API.
    await importCustomers(pages.app, 1);
    const campaign = await pages.app.api('POST', '/api/campaigns', campaignBody({ from: '2026-11-23', to: '2026-11-27', staff: ['sp1'] }));
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const reportToken = pages.app.server.links.issue({ visitId: 0, purpose: 'campaign_report', campaignId: campaign.body.id, week: '2026-W48', staffId: 'sup1' }, pages.app.clock.now());
    campaignReport = `${pages.app.server.url}/r/campaign/${reportToken}`;
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('sends them with every page, notice and re-render', async () => {
    const base = pages.app.server.url;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const answers: Array<[string, Response]> = [
      ['survey form', await fetch(survey)],
      ['survey re-render', await fetch(survey, { method: 'POST', headers: form, body: 'quality=4' })],
      ['survey 413 page', await fetch(survey, { method: 'POST', headers: form, body: `suggestions=${'x'.repeat(20_000)}` })],
      ['survey forged link', await fetch(`${base}/s/forged.link`)],
      ['staff form', await fetch(staff)],
      ['staff form re-render', await fetch(staff, { method: 'POST', headers: form, body: 'step=record' })],
      ['staff form forged link', await fetch(`${base}/f/forged.link`)],
      ['weekly page', await fetch(weekly)],
      ['weekly forged link', await fetch(`${base}/r/weekly/forged.link`)],
      ['campaign report page', await fetch(campaignReport)],
      ['campaign report re-render', await fetch(campaignReport, { method: 'POST', headers: form, body: 'text=' })],
      ['campaign report forged link', await fetch(`${base}/r/campaign/forged.link`)],
    ];
    expect(answers.map(([what, res]) => [what, res.status])).toEqual([
      ['survey form', 200],
      ['survey re-render', 400],
      ['survey 413 page', 413],
      ['survey forged link', 404],
      ['staff form', 200],
      ['staff form re-render', 400],
      ['staff form forged link', 404],
      ['weekly page', 200],
      ['weekly forged link', 404],
      ['campaign report page', 200],
      ['campaign report re-render', 400],
      ['campaign report forged link', 403],
    ]);
    for (const [what, res] of answers) expectPageHeaders(what, res);
  });

  it('keeps the pages styled under their CSP in Chromium, with no violation reported', async () => {
    const page = await watchedPage(browser);
    for (const url of [survey, staff, weekly, campaignReport, `${pages.app.server.url}/s/forged.link`]) {
      const opened = await openAndWatch(page, url);
      expect(opened.status).toBeLessThan(500);
      // The inline CSS applied: the body has the pages' grey background, not the browser's white.
      expect([url, await page.evaluate(() => getComputedStyle(document.body).backgroundColor)]).toEqual([url, 'rgb(244, 245, 247)']);
      expect([url, await opened.violations()]).toEqual([url, []]);
    }
  });

  it('blocks a script that is not the page’s own', async () => {
    const page = await watchedPage(browser);
    const opened = await openAndWatch(page, survey);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.appendChild(s);
    });
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    expect((await opened.violations()).some((v) => v.startsWith('script-src'))).toBe(true);
  });
});

describe('security headers of the sandbox page', () => {
  let app: SandboxApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startSandboxApp({ clock: new ManualClock(NOW) }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sends them, and its own script runs under the CSP with no violation reported', async () => {
    expectPageHeaders('sandbox', await fetch(`${app.server.url}/sandbox`));
    const page = await watchedPage(browser);
    const opened = await openAndWatch(page, `${app.server.url}/sandbox`);
    expect(opened.status).toBe(200);
    // The script fetched the people of the office from /sandbox/api and listed them.
    await page.locator('#people button, #people a, #people [data-user]').first().waitFor();
    expect(await opened.violations()).toEqual([]);
  });
});
