import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { loadConfig } from '../../src/config/config';
import { startSandbox } from '../../src/sandbox/sandbox.module';
import { startServer } from '../../src/server';
import { openTestDatabase } from '../support/database';
import { SandboxApp, startSandboxApp } from './sandbox-app';

const NOW = '2026-11-26T07:10:05Z';

type Chat = { messages: { taskId?: string; card?: { card_type: string; main_title?: { title: string } }; answered?: string; tappable: boolean }[] };

describe('the sandbox behind the page, over HTTP', () => {
  let app: SandboxApp;
  beforeAll(async () => {
    app = await startSandboxApp({ clock: new ManualClock(NOW) });
  });
  afterAll(async () => app.close());

  const chat = async (userId: string): Promise<Chat> => (await app.call('GET', `/sandbox/api/chats/${userId}`)).body;

  it('seeds the demo on the first start, so the list shows visits planned, due and overdue at once', async () => {
    expect(app.attached.seeded).toEqual({ officeId: 'office-1', staff: 5, residents: 20, workOrders: 23, visits: 21, alreadyStored: 0, project: { projectId: 'demo-project', repairs: 1 },
      campaign: { campaignId: expect.stringMatching(/^camp-/), customers: 30, calls: 30 },
    });
    // In sandbox mode /api needs no token.
    const listed = await app.call('GET', '/api/visits?officeId=office-1&limit=200');
    expect(listed.status).toBe(200);
    const statuses = new Set(listed.body.visits.map((v: { status: string }) => v.status));
    expect([...statuses].sort()).toEqual(['due', 'overdue', 'planned']);
    const people = (await app.call('GET', '/sandbox/api/people')).body;
    expect(people.people.filter((p: { kind: string }) => p.kind === 'staff')).toHaveLength(5);
    expect(people.people.filter((p: { kind: string }) => p.kind === 'resident')).toHaveLength(20);
    // The jobs ran after seeding: staff and residents already have cards.
    // 吴刚's repair two days ago: the resident answers it himself, so his survey card is out.
    expect(people.people.find((p: { userId: string }) => p.userId === 'wugang').messages).toBe(1);
    expect(people.people.find((p: { userId: string }) => p.userId === 'zhangsan').messages).toBe(0);
  });

  it('seeds a follow-up campaign over the rest of this week (Thursday to Sunday: the demo office works every day): 30 imported customers, 赵专员 and 钱专员 calling 15 each', async () => {
    const customers = await app.call('GET', '/api/offices/office-1/customers?category=经销商');
    expect(customers.status).toBe(200);
    const { campaignId } = app.attached.seeded!.campaign;
    const campaign = await app.call('GET', `/api/campaigns/${campaignId}`);
    expect(campaign.body).toMatchObject({ name: '询盘客户回访 2026-W48', startsOn: '2026-11-26', endsOn: '2026-11-29', visits: { total: 30 } });
    const report = await app.call('GET', `/api/campaigns/${campaignId}/report?week=2026-W48`);
    expect(report.status).toBe(200);
    expect(report.body.callers.map((c: { name: string; planned: number }) => [c.name, c.planned])).toEqual([
      ['赵专员', 15],
      ['钱专员', 15],
    ]);
  });

  it('seeds a construction project accepted about 21 months ago: something ends within 90 days, one repair waits for someone on site', async () => {
    const report = await app.call('GET', '/api/projects/demo-project/report');
    expect(report.status).toBe(200);
    expect(report.body.expiring.map((e: { category: string }) => e.category)).toContain('electrical_plumbing');
    expect(report.body.repairs).toMatchObject({ total: 1, open: 1, onSite: { pending: 1 } });
    expect((await app.call('GET', '/api/projects/demo-project')).body.card.issuedAt).not.toBeNull();
  });

  it('serves a page and its one script from this server, naming no outside address and no inline script', async () => {
    const res = await fetch(`${app.server.url}/sandbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/sandbox/sandbox.js" defer>']);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(|<link[^>]+stylesheet/i);
    const script = await fetch(`${app.server.url}/sandbox/sandbox.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('application/javascript');
    const code = await script.text();
    expect(code).not.toMatch(/https?:\/\//);
    expect(code).toContain("new EventSource('/sandbox/api/live')");
  });

  it('signs the form’s work order and sends it to the webhook: a special service gets its after-contract visit', async () => {
    const res = await app.call('POST', '/sandbox/api/work-orders', { kind: 'special_service', title: '家政保洁（两周）', residentId: 'R-05', unitId: 'B1-0602' });
    expect(res.status).toBe(200);
    expect(res.body.webhook.status).toBe(202);
    expect(res.body.webhook.body.visits).toEqual([expect.objectContaining({ kind: 'special_service', purpose: 'after_contract', status: 'due' })]);
    const refused = await app.call('POST', '/sandbox/api/work-orders', { kind: 'complaint', title: '噪音', residentId: 'R-404' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('unknown_resident');
  });

  it('refuses a tap on a card the person never received', async () => {
    const res = await app.call('POST', '/sandbox/api/tap', { userId: 'zhangsan', taskId: 'hf_1_nope', eventKey: 'ratings_submit' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('not_received');
  });

  it('after a restart shows the chats again from the outbox, and a card sent before can still be answered', async () => {
    await app.close({ keepDb: true });
    app = await startSandboxApp({ clock: app.clock, db: app.db });
    expect(app.attached.seeded).toBeNull();
    expect(app.attached.restored).toBeGreaterThan(20);

    const [ratings] = (await chat('wugang')).messages;
    expect(ratings).toMatchObject({ tappable: true, card: { card_type: 'multiple_interaction' } });
    const tap = await app.call('POST', '/sandbox/api/tap', {
      userId: 'wugang',
      taskId: ratings.taskId,
      eventKey: 'ratings_submit',
      selections: { quality: ['5'], effect: ['4'], satisfaction: ['5'] },
    });
    expect(tap.status).toBe(200);
    const after = (await chat('wugang')).messages;
    expect(after.map((m) => [m.card?.card_type, m.answered ?? null])).toEqual([
      ['multiple_interaction', '已提交'],
      ['vote_interaction', null],
    ]);
    expect(app.sandbox.fake.unexpected).toEqual([]);

    // Restarted once more: the answered card comes back locked on the answers given.
    await app.close({ keepDb: true });
    app = await startSandboxApp({ clock: app.clock, db: app.db });
    const [answered] = (await chat('wugang')).messages;
    expect(answered).toMatchObject({ tappable: false, answered: '已提交' });
    expect(((answered!.card as unknown as { select_list: Array<{ selected_id: string }> }).select_list).map((s) => s.selected_id)).toEqual(['5', '4', '5']);
  });

  it('tells the page the moment a card reaches a chat, so it shows without a reload', async () => {
    const abort = new AbortController();
    const live = await fetch(`${app.server.url}/sandbox/api/live`, { signal: abort.signal });
    expect(live.headers.get('content-type')).toContain('text/event-stream');
    const reader = live.body!.getReader();
    const shortcomings = (await chat('wugang')).messages.at(-1)!;
    const told = (async () => {
      let text = '';
      while (!text.includes('"userId":"wugang"')) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    })();
    // The chat is told of the card while the tap's own answer may still be on its way.
    const tap = app.call('POST', '/sandbox/api/tap', { userId: 'wugang', taskId: shortcomings.taskId, eventKey: 'shortcomings_submit', selections: { shortcomings: ['none'] } });
    expect(await told).toContain('event: delivery');
    expect((await tap).status).toBe(200);
    abort.abort();
    expect((await chat('wugang')).messages.map((m) => m.answered ?? null)).toEqual(['已提交', '已提交', null]);
  });

  it('takes a text reply as the resident’s suggestion', async () => {
    const res = await app.call('POST', '/sandbox/api/reply', { userId: 'wugang', text: '空调现在很安静了' });
    expect(res.status).toBe(200);
    const visits = (await app.call('GET', '/sandbox/api/visits')).body.visits as { id: number; title: string; residentName: string }[];
    const visit = visits.find((v) => v.title === '空调外机异响' && v.residentName === '吴刚')!;
    expect((await app.call('GET', `/sandbox/api/visits/${visit.id}`)).body.answers.suggestions).toBe('空调现在很安静了');
  });
});

describe('the sandbox before the app is attached', () => {
  it('answers 503 rather than guessing', async () => {
    const db = await openTestDatabase();
    const sandbox = await startSandbox({ clock: new ManualClock(NOW) });
    const server = await startServer({ ...loadConfig({}), port: 0 }, { dataSource: db, schedules: false, channels: sandbox.channels, routers: sandbox.routers });
    try {
      const res = await fetch(`${server.url}/sandbox/api/people`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('sandbox_starting');
    } finally {
      await server.close();
      await sandbox.close();
      await db.destroy();
    }
  });
});
