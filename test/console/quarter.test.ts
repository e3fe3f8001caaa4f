import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/app';
import { ConsoleClient } from './client';
import { ConsoleWorld, OFFICE_2, startConsoleWorld } from './world';

/** The text of every cell of one `data-section` table's body rows, tags dropped. */
function rows(html: string, section: string): string[][] {
  const start = html.indexOf(`data-section="${section}"`);
  expect(start, `no section ${section}`).toBeGreaterThan(0);
  const body = html.slice(start, html.indexOf('</section>', start));
  const tbody = body.slice(body.indexOf('<tbody>'), body.indexOf('</tbody>'));
  return [...tbody.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, '')));
}

/** A download through the console, as bytes (the client keeps text only). */
async function download(world: ConsoleWorld, client: ConsoleClient, path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${world.app.server.url}${path}`, { headers: { cookie: client.cookieHeader() }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const Q4 = 'office=office-1&quarter=2026-Q4';

describe('/console/quarter — the quarterly statistics as a page, its downloads, review and decision, per role', () => {
  let world: ConsoleWorld;
  let supervisor: ConsoleClient;
  let manager: ConsoleClient;
  let specialist: ConsoleClient;
  let otherSupervisor: ConsoleClient;
  let admin: ConsoleClient;
  const signInAll = async () => {
    [supervisor, manager, specialist, otherSupervisor] = await Promise.all(['lizhuguan', 'wangjingli', 'zhaozhuanyuan', 'zhouzhuguan'].map((u) => world.wecomSignIn(u)));
    admin = world.client();
    await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
  };
  beforeAll(async () => {
    world = await startConsoleWorld();
    await signInAll();
  });
  afterAll(async () => world?.close());

  it("the supervisor's page has the same figures as GET /api/stats/quarterly: rates against target, on-time share, unqualified visits, repeat complaints", async () => {
    const page = await supervisor.get('/console/quarter');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const html = page.text;
    expect(html).toContain('data-office="office-1" data-quarter="2026-Q4"');
    expect(html).toContain('季度进行中');
    const api = (await world.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4')).body;
    const complaint = api.kinds.find((k: { kind: string }) => k.kind === 'complaint');
    // 类别, 目标, 应回访数, 抽样回访数, 实回访数, 按时回访数, 回访率, 完成率, 满意度均分 — as the exports write them.
    expect(rows(html, 'rates')[0]).toEqual(['投诉', '100%', String(complaint.eligible), String(complaint.selected), String(complaint.done), String(complaint.onTime), '66.7%', '66.7%', '3']);
    expect(rows(html, 'rates')).toHaveLength(8);
    expect(html).toContain('<b data-on-time-share="true">100%</b><span class="muted">2 / 2</span>');
    expect(rows(html, 'unqualified').map((r) => r[0])).toEqual(api.unqualified.map((u: { visitId: number }) => String(u.visitId)));
    expect(html).toContain(`<a href="/console/visits/${world.visits.escalated}">${world.visits.escalated}</a>`);
    expect(rows(html, 'repeat-complaints')).toEqual([['B3-1202', 'elevator-noise', '2', api.repeatComplaints[0].workOrderIds.join('、')]]);
    // The charts' data is the table's: rates per kind in percent, targets marked.
    expect(html).toMatch(/data-chart-name="rates" data-chart="\{&quot;type&quot;:&quot;rates&quot;,&quot;labels&quot;:\[&quot;投诉&quot;/);
    expect(html).toMatch(/<script src="\/assets\/echarts\.[0-9a-f]{12}\.js" defer><\/script><script src="\/assets\/console-charts\.[0-9a-f]{12}\.js" defer><\/script>/);
    // Satisfaction by week: 5 and 1 recorded in the week of Monday 23 November.
    expect(rows(html, 'satisfaction-trend').find((r) => r[0] === '11月23日')).toEqual(['11月23日', '3.00', '2']);
    // Nothing to write before the quarter has ended; the archive not yet announced.
    expect(html).toContain('季度结束后才能审核和作出决定。');
    expect(html).not.toContain('data-form="review"');
    expect(html).toContain('未提醒（计划 2027年1月5日 09:00）');
    expect(html).toContain('未归档（将于 2027年1月10日 00:00 锁定）');
    expect(html).toContain(`href="/console/quarter.xlsx?${Q4.replace('&', '&amp;')}"`);
  });

  it('the downloads are the admin API exports, for the office the person oversees', async () => {
    const csv = await download(world, supervisor, `/console/quarter.csv?${Q4}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(encodeURIComponent('走访回访统计表-office-1-2026-Q4.csv'));
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const apiCsv = await world.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4', undefined, { accept: 'text/csv' });
    // Byte for byte, the byte-order mark included (the test client's text() drops it from the API's).
    expect(csv.bytes.toString('utf8')).toBe(`\ufeff${apiCsv.body}`);

    const xlsx = await download(world, manager, `/console/quarter.xlsx?${Q4}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['基本信息', '走访回访统计表', '不合格回访', '重复投诉', '重复维修', '员工绩效', '审核与决定']);
    expect((workbook.getWorksheet('走访回访统计表')!.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['投诉', 1]);

    expect((await download(world, admin, '/console/quarter.csv?office=office-2&quarter=2026-Q4')).status).toBe(200);
  });

  it('a specialist cannot open the quarter page, its files or its actions (403), and has no link to it', async () => {
    for (const path of ['/console/quarter', `/console/quarter?${Q4}`, `/console/quarter.xlsx?${Q4}`, `/console/quarter.csv?${Q4}`]) {
      expect((await specialist.get(path)).status, path).toBe(403);
    }
    expect((await specialist.post(`/console/quarter/review?${Q4}`, { opinion: '好' })).status).toBe(403);
    expect((await specialist.get('/console')).text).not.toContain('href="/console/quarter"');
    expect((await supervisor.get('/console')).text).toContain('href="/console/quarter"');
  });

  it("another office's id is not found — page, files and actions — exactly as an office that does not exist", async () => {
    const own = await otherSupervisor.get('/console/quarter');
    expect(own.status).toBe(200);
    expect(own.text).toContain('data-office="office-2"');
    expect(own.text).not.toContain('一号');
    const theirs = await otherSupervisor.get(`/console/quarter?${Q4}`);
    const none = await otherSupervisor.get('/console/quarter?office=office-404&quarter=2026-Q4');
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(none.text);
    expect(theirs.text).not.toContain('一号');
    expect((await download(world, otherSupervisor, `/console/quarter.xlsx?${Q4}`)).status).toBe(404);
    expect((await download(world, otherSupervisor, `/console/quarter.csv?${Q4}`)).status).toBe(404);
    expect((await otherSupervisor.post(`/console/quarter/review?${Q4}`, { opinion: '越权' })).status).toBe(404);
    expect((await manager.get('/console/quarter?office=office-2')).status).toBe(404);
  });

  it('a quarter that is not YYYY-Qn, before 2000 or still to come answers 400 naming the field', async () => {
    for (const quarter of ['2026-Q5', 'Q4', '1999-Q4', '2027-Q2']) {
      const page = await supervisor.get(`/console/quarter?office=office-1&quarter=${quarter}`);
      expect(page.status, quarter).toBe(400);
      expect(page.text).toContain('quarter：请选择 2000-Q1 到 2026-Q4 之间的季度');
    }
    expect((await supervisor.get('/console/quarter.csv?office=office-1&quarter=2027-Q1')).status).toBe(400);
  });

  it('before the quarter ends the review service refuses (409), shown on the page', async () => {
    const refused = await supervisor.post(`/console/quarter/review?${Q4}`, { opinion: '先写' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('本季度尚未结束，结束后才能审核和作出决定。');
    expect((await world.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4')).body.review).toBeNull();
  });

  it('after the quarter: the archive reminder is shown; the supervisor reviews and the manager decides through the review service, each only their own step', async () => {
    world.clock.set('2027-01-05T02:00:00Z'); // 10:00 on the 5th in Shanghai: the reminder is due
    const run = await world.app.api('POST', '/api/jobs/archive/run');
    expect(JSON.stringify(run.body)).toMatch(/"reminded":[1-9]/);
    // The overdue complaint recorded late, in January: it counts in the quarter's last week.
    const late = await world.app.api('POST', `/api/visits/${world.visits.overdue}/record`, { staffId: 'sp1', method: 'phone', answers: { quality: 4, effect: 4, satisfaction: 4, shortcomings: ['none'], solved: true } });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    await signInAll(); // the sessions of November have expired
    let html = (await supervisor.get(`/console/quarter?${Q4}`)).text;
    const weeks = rows(html, 'satisfaction-trend');
    expect(weeks.at(-1)).toEqual(['12月28日', '4.00', '1']);
    // The weeks add up to the quarter's satisfaction average (5, 1 and 4).
    const weighted = weeks.reduce((sum, [, average, answers]) => sum + (average === '—' ? 0 : Number(average) * Number(answers)), 0);
    const answered = weeks.reduce((sum, [, , answers]) => sum + Number(answers), 0);
    const complaint = (await world.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4')).body.kinds.find((k: { kind: string }) => k.kind === 'complaint');
    expect(Math.round((weighted / answered) * 100) / 100).toBe(complaint.satisfactionAvg);
    expect(html).toContain('季度已结束');
    expect(html).toContain('已于 2027年1月5日 10:00 提醒主管');
    expect(html).toContain('data-form="review"');
    expect(html).not.toContain('data-form="decision"');
    // A decision needs a review first; a supervisor cannot decide nor a manager review.
    const early = await manager.post(`/console/quarter/decision?${Q4}`, { decision: 'no_action' });
    expect(early.status).toBe(409);
    expect(early.text).toContain('主管尚未填写审核意见，经理暂不能作出决定。');
    expect((await manager.post(`/console/quarter/review?${Q4}`, { opinion: '经理代写' })).status).toBe(403);
    expect((await admin.post(`/console/quarter/review?${Q4}`, { opinion: '管理员' })).status).toBe(403);
    const empty = await supervisor.post(`/console/quarter/review?${Q4}`, { opinion: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('opinion：请填写审核意见');

    const reviewed = await supervisor.post(`/console/quarter/review?${Q4}`, { opinion: '投诉回访率未达标，一次回访不合格。' });
    expect(reviewed.status).toBe(303);
    expect(reviewed.location).toBe(`/console/quarter?${Q4}`);
    expect((await supervisor.post(`/console/quarter/decision?${Q4}`, { decision: 'no_action' })).status).toBe(403);
    const bad = await manager.post(`/console/quarter/decision?${Q4}`, { decision: 'ignore' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('decision：请选择一项决定');
    expect((await manager.post(`/console/quarter/decision?${Q4}`, { decision: 'toString' })).status).toBe(400);
    expect((await manager.post(`/console/quarter/decision?${Q4}`, { decision: 'corrective_action', note: '启动纠正预防' })).status).toBe(303);

    const api = (await world.app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4')).body;
    expect(api.review).toMatchObject({ reviewerId: 'sup1', opinion: '投诉回访率未达标，一次回访不合格。' });
    expect(api.decision).toMatchObject({ managerId: 'mgr1', decision: 'corrective_action', note: '启动纠正预防' });
    html = (await manager.get(`/console/quarter?${Q4}`)).text;
    expect(rows(html, 'review')).toEqual([['李主管 · 2027年1月5日 10:00：投诉回访率未达标，一次回访不合格。'], ['纠正预防控制程序 · 王经理 · 2027年1月5日 10:00：启动纠正预防']]);
    expect(html).toContain('data-form="decision"');
    expect(html).not.toContain('data-form="review"');
  });

  it('once locked on the 10th the page says on which day; review and decision still go (the service allows them on an archived quarter)', async () => {
    world.clock.set('2027-01-10T01:00:00Z');
    const run = await world.app.api('POST', '/api/jobs/archive/run');
    expect(JSON.stringify(run.body)).toMatch(/"locked":[1-9]/);
    await signInAll();
    const html = (await supervisor.get(`/console/quarter?${Q4}`)).text;
    expect(html).toContain('data-locked="true"');
    expect(html).toContain('已于 2027年1月10日 09:00 锁定归档，记录只读');
    expect((await supervisor.post(`/console/quarter/review?${Q4}`, { opinion: '归档后补充意见' })).status).toBe(303);
    // Now in 2027-Q1: the page opens on it, with a link back to 2026-Q4.
    const current = await supervisor.get('/console/quarter');
    expect(current.text).toContain('data-quarter="2027-Q1"');
    expect(current.text).toContain(`href="/console/quarter?${Q4.replace('&', '&amp;')}"`);
  });

  it('a manager of several offices picks the office; the admin sees every office', async () => {
    const both = { ...OFFICE_2, staff: [...OFFICE_2.staff, { id: 'mgr1b', name: '王经理', roles: ['manager'], wecomUserId: 'wangjingli' }] };
    expect((await world.app.api('PUT', '/api/offices/office-2', both)).status).toBe(200);
    const page = await manager.get(`/console/quarter?${Q4}`);
    expect(page.text).toContain('<nav class="offices" aria-label="管理处">');
    expect(page.text).toContain('href="/console/quarter?office=office-2&amp;quarter=2026-Q4"');
    expect((await manager.get('/console/quarter?office=office-2&quarter=2026-Q4')).status).toBe(200);
    const adminPage = await admin.get('/console/quarter?office=office-2');
    expect(adminPage.status).toBe(200);
    expect(adminPage.text).not.toContain('data-form=');
  });
});
