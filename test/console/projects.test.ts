import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectBody } from '../warranty/fixtures';
import { ADMIN_TOKEN } from '../support/app';
import { ConsoleClient } from './client';
import { ConsoleWorld, startConsoleWorld } from './world';

const projectIds = (html: string) => [...html.matchAll(/<tr data-project="([^"]+)"/g)].map((m) => m[1]);

describe('/console/projects and /console/projects/:id — the warranty of an office\'s projects, read-only, with the card and the report', () => {
  let world: ConsoleWorld;
  let admin: ConsoleClient;
  let manager: ConsoleClient;
  let supervisor: ConsoleClient;
  let lead: ConsoleClient;
  let otherSpecialist: ConsoleClient;
  let otherSupervisor: ConsoleClient;
  const repairs: Record<string, number> = {};
  beforeAll(async () => {
    world = await startConsoleWorld();
    const { app } = world;
    // Accepted 2024-12-20: the 2-year categories end 2026-12-20, within 90 days of now (2026-11-30).
    expect((await app.api('PUT', '/api/projects/P-1', projectBody({ acceptedOn: '2024-12-20' }))).status).toBe(201);
    expect((await app.api('PUT', '/api/projects/P-2', projectBody({ name: '二号楼改造', officeId: 'office-2', warrantyLead: 'sp9', acceptedOn: '2025-01-10' }))).status).toBe(201);
    const report = async (reportedAt: string, location: string) => {
      const res = await app.api('POST', '/api/projects/P-1/repairs', { reportedAt, category: 'electrical_plumbing', location, description: '水管渗漏' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    repairs.late = await report('2026-11-28T00:00:00Z', '3 号楼 1202 厨房');
    repairs.onTime = await report('2026-11-29T12:00:00Z', '5 号楼 0301 卫生间');
    expect((await app.api('POST', `/api/warranty-repairs/${repairs.onTime}/onsite`, { by: 'sp1' })).status).toBe(200);
    [manager, supervisor, lead, otherSpecialist, otherSupervisor] = await Promise.all(['wangjingli', 'lizhuguan', 'zhaozhuanyuan', 'qianzhuanyuan', 'zhouzhuguan'].map((u) => world.wecomSignIn(u)));
    admin = world.client();
    await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
  });
  afterAll(async () => world?.close());

  it("lists the office's projects with lead, acceptance, each category's end and the open repairs against their deadlines", async () => {
    const res = await supervisor.get('/console/projects');
    expect(res.status).toBe(200);
    expect(projectIds(res.text)).toEqual(['P-1']);
    expect(res.text).toContain('负责人 赵专员 · 竣工验收 2024-12-20');
    expect(res.text).toContain('<li data-category="electrical_plumbing">水电安装：2026-12-20</li>');
    expect(res.text).toContain('<li data-category="structure">主体结构：2074-12-20</li>');
    expect(res.text).toMatch(new RegExp(`data-repair="${repairs.late}" data-onsite="missed" data-solved="pending"`));
    expect(res.text).toMatch(new RegExp(`data-repair="${repairs.onTime}" data-onsite="met" data-solved="pending"`));
    expect(res.text).toContain('24小时到场（11月29日 08:00）：超时');
  });

  it('by role: the manager and the admin see the office; the lead sees their project only; another office and other staff see nothing of it', async () => {
    expect(projectIds((await manager.get('/console/projects')).text)).toEqual(['P-1']);
    expect(projectIds((await admin.get('/console/projects?office=office-2')).text)).toEqual(['P-2']);
    expect(projectIds((await lead.get('/console/projects')).text)).toEqual(['P-1']);
    expect(projectIds((await otherSpecialist.get('/console/projects')).text)).toEqual([]);
    expect(projectIds((await otherSupervisor.get('/console/projects')).text)).toEqual(['P-2']);
    expect((await otherSupervisor.get('/console/projects?office=office-1')).status).toBe(404);
    for (const who of [supervisor, manager, lead, admin]) expect((await who.get('/console/projects/P-1')).status).toBe(200);
    for (const who of [otherSpecialist, otherSupervisor]) {
      for (const path of ['/console/projects/P-1', '/console/projects/P-1/card', '/console/projects/P-1/report.xlsx']) expect((await who.get(path)).status, path).toBe(404);
    }
    expect((await supervisor.get('/console/projects/P-2')).status).toBe(404);
    expect((await admin.get('/console/projects/NOPE')).status).toBe(404);
    expect((await world.client().get('/console/projects/P-1/card')).location).toBe('/console/sign-in');
  });

  it('one project: its terms, card, report and visits, with the card and the report workbook to download', async () => {
    const page = await lead.get('/console/projects/P-1');
    expect(page.text).toContain('<h1>滨江花园二期</h1>');
    expect(page.text).toContain('应于 2025-01-20 前签发，尚未签发');
    expect(page.text).toContain('90 天内到期：2026-12-20（20 天）');
    expect(page.text).toContain('保修维修（2，未完成 2）');
    expect(page.text).toMatch(/<li data-visit="\d+"><a href="\/console\/visits\/\d+">/);
    expect(page.text).toContain('href="/console/projects/P-1/card"');
    const card = await lead.get('/console/projects/P-1/card');
    expect(card.status).toBe(200);
    expect(card.text).toContain('保修证书');
    expect(card.text).toContain('3 号楼 1202 厨房');
    const xlsx = await fetch(`${world.app.server.url}/console/projects/P-1/report.xlsx`, { headers: { cookie: supervisor.cookieHeader() } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});
