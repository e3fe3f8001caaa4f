import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignBody, importCustomers } from '../campaigns/support';
import { ConsolePeople, ConsoleWorld, startConsoleWorld } from './world';

const rowOf = (html: string, attribute: string) => new RegExp(`<tr ${attribute}>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';

describe('/console/campaigns — the office\'s follow-up campaigns with their calls counted, read-only', () => {
  let world: ConsoleWorld;
  let p: ConsolePeople;
  let campaign: { id: string; name: string; visits: { total: number; byStatus: Record<string, number>; byCaller: Array<{ staffId: string; total: number }> } };
  beforeAll(async () => {
    world = await startConsoleWorld();
    p = await world.signInPeople();
    await importCustomers(world.app, 5);
    // The world's clock stands on Monday 2026-11-30 (2026-W49).
    const created = await world.app.api('POST', '/api/campaigns', campaignBody({ from: '2026-11-30', to: '2026-12-09' }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    campaign = (await world.app.api('GET', `/api/campaigns/${created.body.id}`)).body;
    expect(campaign.visits.total).toBe(5);
  });
  afterAll(async () => world?.close());

  it("lists the office's campaigns to its supervisor, manager and the admin with the API's counts; not to others", async () => {
    for (const who of [p.supervisor, p.manager, p.admin]) {
      const page = await who.get('/console/campaigns');
      expect(page.status).toBe(200);
      const row = rowOf(page.text, `data-campaign="${campaign.id}"`);
      expect(row).toContain(campaign.name);
      expect(row).toContain('2026-11-30 至 2026-12-09');
      expect(row).toContain('赵专员、钱专员');
      expect(row).toContain(`<td>${campaign.visits.total}</td>`);
      for (const [status, n] of Object.entries(campaign.visits.byStatus)) expect(row).toMatch(new RegExp(`data-count="${status}">[^<]* ${n} <`));
    }
    expect((await p.supervisor.get('/console')).text).toContain('<a href="/console/campaigns">回访活动</a>');
    expect((await p.deptHead.get('/console')).text).not.toContain('/console/campaigns');
    expect((await p.deptHead.get('/console/campaigns')).status).toBe(403);
    const other = await p.otherSupervisor.get('/console/campaigns');
    expect(other.status).toBe(200);
    expect(other.text).not.toContain(campaign.id);
    expect(other.text).toContain('还没有回访活动。');
  });

  it('a campaign page counts each caller and links its weekly report pages, signed for the reader', async () => {
    const page = await p.supervisor.get(`/console/campaigns/${campaign.id}`);
    expect(page.status).toBe(200);
    for (const caller of campaign.visits.byCaller) expect(rowOf(page.text, `data-caller="${caller.staffId}"`)).toContain(`<td>${caller.total}</td>`);
    const links = [...page.text.matchAll(/<a href="(\/r\/campaign\/[^"]+)">(\d{4}-W\d{2})<\/a>/g)];
    expect(links.map((l) => l[2])).toEqual(['2026-W49']);
    const report = await p.supervisor.get(links[0][1]);
    expect(report.status).toBe(200);
    expect(report.text).toContain(campaign.name);

    // The admin reads the counts; report links are signed for a staff reader only.
    const adminPage = await p.admin.get(`/console/campaigns/${campaign.id}`);
    expect(adminPage.status).toBe(200);
    expect(adminPage.text).not.toContain('/r/campaign/');
    expect((await p.deptHead.get(`/console/campaigns/${campaign.id}`)).status).toBe(403);
    expect((await p.otherSupervisor.get(`/console/campaigns/${campaign.id}`)).status).toBe(404);
    expect((await p.supervisor.get('/console/campaigns/nope')).status).toBe(404);
  });
});
