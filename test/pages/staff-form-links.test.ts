import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { staffFormRoutes } from '../../src/staff-form/staff-form.routes';
import { Notifier } from '../../src/visits/notifier';
import { VisitMessages } from '../../src/visits/visit-messages';
import { VisitLifecycle } from '../../src/visits/visit-lifecycle.service';
import { OFFICE_1, workOrderEvent } from '../support/app';
import { expectNoTrace, PagesApp, startPagesApp } from './support';

/** 2026-11-26 15:10:05 in Shanghai, just after the work orders were completed. */
const NOW = '2026-11-26T07:10:05Z';

const form = (fields: Record<string, string | string[]>): string => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body.toString();
};

const FULL_RECORD = { step: 'record', method: 'phone', quality: '5', effect: '5', satisfaction: '4', shortcomings: 'none', suggestions: '请多保养电梯' };

/** GET or POST a page as a browser without JavaScript would; returns the status and the HTML. */
async function fetchPage(url: string, body?: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

describe('the staff form’s links and refusals', () => {
  let pages: PagesApp;
  beforeAll(async () => {
    pages = await startPagesApp(NOW);
  });
  afterAll(async () => pages?.close());

  it('answers forged tokens, resident survey tokens and staff-less tokens with the 404 page', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const good = pages.staffLink(visitId, specialist.id);
    const token = new URL(good).pathname.slice('/f/'.length);
    const [payload, signature] = token.split('.');
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const asOther = Buffer.from(JSON.stringify({ ...grant, staffId: 'sup1' })).toString('base64url');
    const links = pages.app.server.links;
    const forged = [
      `${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
      `${asOther}.${signature}`,
      'garbage',
      links.issue({ visitId, purpose: 'survey' }, pages.app.clock.now()),
      links.issue({ visitId, purpose: 'record' }, pages.app.clock.now()),
      links.issue({ visitId: 999_999, purpose: 'record', staffId: specialist.id }, pages.app.clock.now()),
    ];
    for (const t of forged) {
      for (const body of [undefined, form(FULL_RECORD)]) {
        const page = await fetchPage(`${pages.formBase}/f/${t}`, body);
        expect(page.status, t).toBe(404);
        expect(page.html).toContain('链接无效');
        expect(page.headers.get('cache-control')).toBe('no-store');
        expectNoTrace(page.html);
      }
    }
    // None of those posts recorded anything; the genuine link still opens the record form.
    expect((await pages.visit(visitId)).status).toBe('due');
    expect((await fetchPage(good)).html).toContain('提交记录');
  });

  it('answers a link past its 7 days with the 410 page, and refuses its post', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const link = pages.staffLink(visitId, specialist.id);
    pages.app.clock.advance(7 * 86_400_000 + 1_000);
    try {
      for (const body of [undefined, form(FULL_RECORD)]) {
        const page = await fetchPage(link, body);
        expect(page.status).toBe(410);
        expect(page.html).toContain('链接已过期');
        expectNoTrace(page.html);
      }
    } finally {
      pages.app.clock.advance(-(7 * 86_400_000 + 1_000));
    }
    expect((await pages.visit(visitId)).status).toBe('due');
    expect((await fetchPage(link)).status).toBe(200);
  });

  it('shows an open visit read-only to a specialist who is not its visitor, and refuses that person’s record with 403', async () => {
    const { id: visitId, otherSpecialist } = await pages.planVisit();
    const link = pages.staffLink(visitId, otherSpecialist.id);
    const shown = await fetchPage(link);
    expect(shown.status).toBe(200);
    expect(shown.html).not.toContain('<form');
    expect(shown.html).toContain('尚未记录');
    const posted = await fetchPage(link, form(FULL_RECORD));
    expect(posted.status).toBe(403);
    expect(posted.html).toContain('无权操作');
    expect((await pages.visit(visitId)).status).toBe('due');
  });

  it('refuses every link of a person removed from the office with the 403 page', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const link = pages.staffLink(visitId, specialist.id);
    const without = { ...OFFICE_1, staff: OFFICE_1.staff.filter((s) => s.id !== specialist.id) };
    expect((await pages.app.api('PUT', '/api/offices/office-1', without)).status).toBe(200);
    try {
      const shown = await fetchPage(link);
      expect(shown.status).toBe(403);
      expect(shown.html).toContain('无权操作');
      expect((await fetchPage(link, form(FULL_RECORD))).status).toBe(403);
    } finally {
      expect((await pages.app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(200);
    }
    expect((await pages.visit(visitId)).status).toBe('due');
  });

  it('names every missing or wrong field with 400 and keeps what was typed, checked and ticked', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const page = await fetchPage(
      pages.staffLink(visitId, specialist.id),
      form({ step: 'record', quality: '9', satisfaction: '3', shortcomings: ['none', 'price'], suggestions: '<b>留言</b>', notes: '备注'.repeat(1001) }),
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('请检查：回访方式、质量评价、服务效果评价、缺点与不足、备注');
    expect(page.html).toContain('「无」不能与其他缺点同时选择');
    expect(page.html).toContain('最多 2000 字');
    expect(page.html).toMatch(/name="satisfaction" value="3" checked/);
    expect(page.html).toMatch(/name="shortcomings" value="price" checked/);
    expect(page.html).toContain('&lt;b>留言&lt;/b></textarea>');
    expect(page.html).not.toContain('<b>留言</b>');
    expect((await pages.visit(visitId)).status).toBe('due');
  });

  it('records once when the form is sent twice at the same moment; the other send gets the 409 已处理 page', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const link = pages.staffLink(visitId, specialist.id);
    const answers = await Promise.all([fetchPage(link, form(FULL_RECORD)), fetchPage(link, form({ ...FULL_RECORD, method: 'onsite' }))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.html).toContain('已处理');
    expect(refused.html).toContain('已记录，待审核');
    expectNoTrace(refused.html);
    const visit = await pages.visit(visitId);
    expect(visit.history.filter((h: { action: string }) => h.action === 'recorded')).toHaveLength(1);
    expect(visit.method).toBe(answers[0].status === 200 ? 'phone' : 'onsite');
    // Sent again later (a reload of the done page): the same clear page.
    expect((await fetchPage(link, form(FULL_RECORD))).status).toBe(409);
  });

  it('shows a cancelled visit read-only and answers a late record with the 回访已取消 page', async () => {
    const { id: visitId, specialist } = await pages.planVisit({ id: 'WO-CANCELLED' });
    const link = pages.staffLink(visitId, specialist.id);
    const cancel = await pages.app.sendEvent(workOrderEvent('cancelled', { id: 'WO-CANCELLED' }, { occurredAt: '2026-11-26T07:10:04Z' }));
    expect(cancel.status).toBe(202);
    expect((await pages.visit(visitId)).status).toBe('cancelled');
    const shown = await fetchPage(link);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('已取消');
    expect(shown.html).not.toContain('<form');
    const posted = await fetchPage(link, form(FULL_RECORD));
    expect(posted.status).toBe(409);
    expect(posted.html).toContain('回访已取消');
  });

  it('answers an oversized post with a page, not an error body', async () => {
    const { id: visitId, specialist } = await pages.planVisit();
    const page = await fetchPage(pages.staffLink(visitId, specialist.id), form({ ...FULL_RECORD, notes: 'x'.repeat(40 * 1024) }));
    expect(page.status).toBe(413);
    expect(page.html).toContain('内容过长');
    expectNoTrace(page.html);
  });
});

describe('the staff form’s logs and failures', () => {
  let pages: PagesApp;
  const servers: Server[] = [];
  const logLines: string[] = [];
  const capture = pino({ level: 'info', base: undefined }, { write: (line: string) => void logLines.push(line) });
  beforeAll(async () => {
    pages = await startPagesApp(NOW);
  });
  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    await pages?.close();
  });

  /** The lifecycle as the composition root builds it, over the pages app's database and clock. */
  function realLifecycle(): VisitLifecycle {
    return new VisitLifecycle({
      dataSource: pages.app.db,
      clock: pages.app.clock,
      defaultTimeZone: 'Asia/Shanghai',
      messages: new VisitMessages({
        notifier: new Notifier({ defaultChannel: 'wecom', defaultTimeZone: 'Asia/Shanghai' }),
        links: pages.app.server.links,
        publicBaseUrl: 'http://127.0.0.1',
      }),
    });
  }

  /** The form alone on loopback, with a logger these tests read and the record service given. */
  async function formServer(lifecycle: VisitLifecycle): Promise<string> {
    const links = pages.app.server.links;
    const app = createApp({
      log: capture,
      adminToken: null,
      sandbox: false,
      routers: [staffFormRoutes({ dataSource: pages.app.db, clock: pages.app.clock, links, lifecycle, defaultTimeZone: 'Asia/Shanghai', log: capture })],
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('logs steps by ids only: no resident, no free text, no token', async () => {
    const base = await formServer(realLifecycle());
    const { id: visitId, specialist } = await pages.planVisit();
    const token = pages.app.server.links.issue({ visitId, purpose: 'record', staffId: specialist.id }, pages.app.clock.now());
    const page = await fetchPage(`${base}/f/${token}`, form({ ...FULL_RECORD, suggestions: '联系我13900001111', notes: '张三家里有老人' }));
    expect(page.status).toBe(200);
    const lines = logLines.join('\n');
    expect(lines).toContain(`"visitId":${visitId}`);
    expect(lines).toContain('"outcome":"recorded"');
    for (const secret of ['张三', '13800000000', '13900001111', '老人', token]) expect(lines).not.toContain(secret);
  });

  it('shows the 500 page in Chinese when something unforeseen fails, and keeps the details in the log without the token', async () => {
    // A lifecycle whose write fails in a way no rule foresees.
    const real = realLifecycle();
    const broken = {
      allowedActions: (visitId: number, staffId: string) => real.allowedActions(visitId, staffId),
      run: async () => Promise.reject(new TypeError('socket hang up')),
    } as unknown as VisitLifecycle;
    const base = await formServer(broken);
    const { id: visitId, specialist } = await pages.planVisit();
    const token = pages.app.server.links.issue({ visitId, purpose: 'record', staffId: specialist.id }, pages.app.clock.now());
    const page = await fetchPage(`${base}/f/${token}`, form(FULL_RECORD));
    expect(page.status).toBe(500);
    expect(page.html).toContain('暂时无法处理');
    expectNoTrace(page.html);
    expect(page.html).not.toContain('socket hang up');
    const lines = logLines.join('\n');
    expect(lines).toContain('socket hang up');
    expect(lines).not.toContain(token);
    expect((await pages.visit(visitId)).status).toBe('due');
  });
});
