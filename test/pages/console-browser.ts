import { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { Visit, VisitAssignee } from '../../entities';
import { postWorkOrderEvent } from '../../src/sandbox/work-order-webhook.client';
import { ManualClock } from '../support/manual-clock';
import { HOUSEHOLD_REPAIR, workOrderEvent } from '../support/app';
import { SandboxApp, startSandboxApp } from '../sandbox/sandbox-app';
import { OFFICE_2 } from '../console/world';
import { launchBrowser } from './support';

/** Thursday 26 November 2026, 15:10 in Shanghai: the demo week ends here (as the console page test). */
export const NOW = '2026-11-26T07:10:00Z';
export const ADMIN_TOKEN = 'sandbox-admin-token-0123456789';

export interface ConsoleSandbox {
  app: SandboxApp;
  browser: Browser;
  /** A complaint's visit in office 2. */
  office2Visit: number;
  /** A new page in a desktop-sized context of its own (own cookies: one person per context). */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The sandbox as `npm start` runs it (demo office seeded, an admin token configured), office 2
 * beside it with one visit brought in through the signed webhook, and Chromium.
 */
export async function startConsoleSandbox(): Promise<ConsoleSandbox> {
  const [app, browser] = await Promise.all([startSandboxApp({ clock: new ManualClock(NOW), seed: 'first-start', env: { ADMIN_TOKEN } }), launchBrowser()]);
  expect((await app.call('PUT', '/api/offices/office-2', OFFICE_2)).status).toBe(201);
  const answer = await postWorkOrderEvent(
    { url: app.server.url, secret: app.server.webhookSecret, clock: app.clock },
    workOrderEvent('completed', { ...HOUSEHOLD_REPAIR, id: 'WO-D1', officeId: 'office-2', title: '二号楼门禁', unitId: 'D1-0101', matterKey: 'door', resident: { id: 'R-D1', name: '郑一', phone: '13800009999', wecomUserId: 'zhengyi', wecomExternalUserId: null, dingtalkUserId: null }, completedAt: '2026-11-26T07:00:00Z' }),
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const office2Visit = (answer.body as { visits: { id: number }[] }).visits[0].id;
  return {
    app,
    browser,
    office2Visit,
    async newPage(viewport = { width: 1024, height: 768 }) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    },
    async close() {
      await browser?.close();
      await app?.close();
    },
  };
}

/** Signs in on the sign-in page: one tap on a demo person (`who`: their name), or the admin token. */
export async function signIn(page: Page, base: string, who: string | { adminToken: string }): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  if (typeof who === 'string') {
    await Promise.all([page.waitForURL(`${base}/console`), page.getByRole('button', { name: new RegExp(`^${who}（`) }).click()]);
  } else {
    await page.getByPlaceholder('管理口令 (ADMIN_TOKEN)').fill(who.adminToken);
    await Promise.all([page.waitForURL(`${base}/console`), page.getByRole('button', { name: '以管理员登录' }).click()]);
  }
}

/** The header's entries, as the person sees them. */
export const navTitles = (page: Page): Promise<string[]> => page.locator('header.bar nav a').allTextContents();

/** Which `data-section`s the page shows. */
export const sectionsShown = (page: Page): Promise<string[]> => page.locator('[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')!));

/** The visit ids listed on the page's visits table. */
export const listedVisits = async (page: Page): Promise<number[]> => (await page.locator('[data-section="visits"] tr[data-visit]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-visit')!))).map(Number);

/** Office 1's visits with their visitors, from the database. */
export async function office1Visits(app: SandboxApp): Promise<{ id: number; kind: string; status: string; visitors: string[] }[]> {
  const visits = await app.db.getRepository(Visit).find({ where: { officeId: 'office-1' }, order: { id: 'DESC' } });
  const assignees = await app.db.getRepository(VisitAssignee).find();
  return visits.map((v) => ({ id: v.id, kind: v.kind, status: v.status, visitors: assignees.filter((a) => a.visitId === v.id).map((a) => a.staffId) }));
}
