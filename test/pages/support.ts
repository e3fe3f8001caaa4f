import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { Logger } from '../../src/log';
import { SignedLinks } from '../../src/survey/signed-link';
import { staffFormRoutes } from '../../src/staff-form/staff-form.routes';
import { Notifier } from '../../src/visits/notifier';
import { VisitMessages } from '../../src/visits/visit-messages';
import { VisitLifecycle } from '../../src/visits/visit-lifecycle.service';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';
import { openTestDatabase } from '../support/database';

/** The key of signed links in these tests (LINK_SECRET), so the form's links match the server's. */
const LINK_SECRET = 'test-link-secret-pages';

/** Debian's chromium, never a downloaded build; flags keep it quiet and offline. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page in a phone-sized context (390×844, touch), as a WeCom or DingTalk user holds it. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  // A missing element fails in seconds with its selector, not at the test's 30 s timeout.
  page.setDefaultTimeout(5_000);
  return page;
}

export interface PlannedVisit {
  id: number;
  specialist: { id: string; name: string };
  /** A specialist of the office who is not this visit's visitor. */
  otherSpecialist: { id: string; name: string };
}

export interface PagesApp {
  app: TestApp;
  /** Where `/f/:token` is served: the app itself. */
  formBase: string;
  /** A staff link as cards carry it (VisitMessages.staffFormUrl), on this server. */
  staffLink(visitId: number, staffId: string): string;
  /** A resident's survey link (VisitMessages.surveyUrl), on this server. */
  surveyLink(visitId: number): string;
  /**
   * Plans one visit through the signed webhook. Returns its id and its specialist: the planner
   * gives each new visit to the specialist with the fewest open visits, so tests ask, not assume.
   */
  planVisit(patch?: Record<string, unknown>): Promise<PlannedVisit>;
  visit(visitId: number): Promise<any>;
  close(): Promise<void>;
}

/**
 * The real app (startTestApp) with OFFICE_1, serving the staff form. Until src/server.ts mounts
 * `staffFormRoutes` itself, the tests mount it through the server's `routers` override, built
 * as the composition root builds it (same database, clock and link key). Once the server
 * mounts it, its own router answers first and these tests cover that wiring unchanged.
 */
export async function startPagesApp(now: string, options: { log?: Logger } = {}): Promise<PagesApp> {
  const clock = new ManualClock(now);
  const db = await openTestDatabase();
  const links = new SignedLinks(LINK_SECRET);
  const defaultTimeZone = 'Asia/Shanghai';
  const notifier = new Notifier({ defaultChannel: 'wecom', defaultTimeZone });
  const messages = new VisitMessages({ notifier, links, publicBaseUrl: 'http://127.0.0.1' });
  const lifecycle = new VisitLifecycle({ dataSource: db, clock, messages, defaultTimeZone });
  const staffForm = staffFormRoutes({ dataSource: db, clock, links, lifecycle, defaultTimeZone, log: options.log });
  const app = await startTestApp({ clock, db, env: { LINK_SECRET, TZ_DEFAULT: defaultTimeZone }, overrides: { routers: [staffForm] } });
  expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  const formBase = app.server.url;
  let orders = 0;

  return {
    app,
    formBase,
    staffLink: (visitId, staffId) => `${formBase}/f/${links.issue({ visitId, purpose: 'record', staffId }, app.clock.now())}`,
    surveyLink: (visitId) => `${app.server.url}/s/${links.issue({ visitId, purpose: 'survey' }, app.clock.now())}`,
    async planVisit(patch = {}) {
      orders += 1;
      const res = await app.sendEvent(workOrderEvent('completed', { id: `WO-PAGES-${orders}`, completedAt: '2026-11-26T07:10:00Z', ...patch }));
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.visits).toHaveLength(1);
      const planned = res.body.visits[0] as { id: number; assignees: string[] };
      const specialist = OFFICE_1.staff.find((s) => s.roles.includes('specialist') && planned.assignees.includes(s.id));
      expect(specialist, `no specialist among ${planned.assignees.join(', ')}`).toBeDefined();
      const other = OFFICE_1.staff.find((s) => s.roles.includes('specialist') && s.id !== specialist!.id)!;
      return { id: planned.id, specialist: { id: specialist!.id, name: specialist!.name }, otherSpecialist: { id: other.id, name: other.name } };
    },
    async visit(visitId) {
      const res = await app.api('GET', `/api/visits/${visitId}`);
      expect(res.status).toBe(200);
      return res.body;
    },
    close: () => app.close(),
  };
}

/** Navigates and returns the main document's response (its status is what the page says). */
export async function open(page: Page, url: string): Promise<Response> {
  const response = await page.goto(url);
  expect(response, `no response for ${new URL(url).pathname}`).not.toBeNull();
  return response!;
}

/** Taps the form's submit button and waits for the POST's answer and the page it renders. */
export async function submit(page: Page, buttonName: string): Promise<Response> {
  const path = new URL(page.url()).pathname;
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path),
    page.waitForEvent('load'),
    page.getByRole('button', { name: buttonName }).tap(),
  ]);
  return response;
}

/** Taps the choice labelled `label` in the group whose legend starts with `legend`. */
export async function tapChoice(page: Page, legend: string, label: string): Promise<void> {
  const group = page.locator('fieldset').filter({ has: page.locator('legend', { hasText: new RegExp(`^${legend}`) }) });
  await group.locator('label').filter({ has: page.getByText(label, { exact: true }) }).tap();
}

/** Whether the choice `value` of the input `name` is checked (radio or checkbox). */
export const isChecked = (page: Page, name: string, value: string): Promise<boolean> => page.isChecked(`input[name="${name}"][value="${value}"]`);

/** Saves a full-page screenshot under test-results/ (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(process.cwd(), 'test-results', 'pages');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/**
 * What "looks right on a phone" means here, measured: nothing wider than the screen (no
 * sideways scrolling, nothing cut off at the right), no text drawn over other text, every tap
 * target at least 44×44 CSS px, and no text smaller than 14 px.
 */
export async function expectPhoneFriendly(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) found.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    const describe = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
    for (const el of Array.from(document.querySelectorAll('main *'))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (getComputedStyle(el).opacity === '0') continue;
      if (box.right > width + 0.5 || box.left < -0.5) found.push(`cut off: ${describe(el)} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
      const hasText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (hasText && parseFloat(getComputedStyle(el).fontSize) < 14) found.push(`small text: ${describe(el)} ${getComputedStyle(el).fontSize}`);
    }
    // Text drawn over other text (a wrapped label running into the next row, say).
    const walker = document.createTreeWalker(document.querySelector('main') ?? document.body, NodeFilter.SHOW_TEXT);
    const lines: { text: string; rect: DOMRect; node: Node }[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node.textContent ?? '').trim() === '' || getComputedStyle(node.parentElement!).opacity === '0') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of Array.from(range.getClientRects())) if (rect.width > 0 && rect.height > 0) lines.push({ text: (node.textContent ?? '').trim().slice(0, 12), rect, node });
    }
    for (let i = 0; i < lines.length; i++) {
      for (let j = i + 1; j < lines.length; j++) {
        const [a, b] = [lines[i].rect, lines[j].rect];
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
        if (overlap && lines[i].node !== lines[j].node) found.push(`text over text: "${lines[i].text}" and "${lines[j].text}"`);
      }
    }
    const targets = document.querySelectorAll('.choices span, button, a, summary, textarea, input[type=text]');
    for (const el of Array.from(targets)) {
      const box = el.getBoundingClientRect();
      if (box.width < 44 || box.height < 44) found.push(`small target: ${describe(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return found;
  });
  expect(problems).toEqual([]);
}

/** No stack trace, error class or JSON error body on a page meant for people. */
export function expectNoTrace(html: string): void {
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).not.toMatch(/\bat \S+ \(|Error:|"error"\s*:|node_modules/);
}
