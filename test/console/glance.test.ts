import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/app';
import { ConsoleClient } from './client';
import { ConsoleWorld, startConsoleWorld } from './world';

/** The visit ids listed in one `data-section` of the page. */
function listed(html: string, section: string): number[] {
  const start = html.indexOf(`data-section="${section}"`);
  if (start < 0) return [];
  const end = html.indexOf('</section>', start);
  return [...html.slice(start, end).matchAll(/data-visit="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('/console — the office at a glance, per role', () => {
  let world: ConsoleWorld;
  let supervisor: ConsoleClient;
  let manager: ConsoleClient;
  let deptHead: ConsoleClient;
  let otherSupervisor: ConsoleClient;
  let admin: ConsoleClient;
  beforeAll(async () => {
    world = await startConsoleWorld();
    [supervisor, manager, deptHead, otherSupervisor] = await Promise.all(['lizhuguan', 'wangjingli', 'sungong', 'zhouzhuguan'].map((u) => world.wecomSignIn(u)));
    admin = world.client();
    await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
  });
  afterAll(async () => world?.close());

  it("the supervisor sees their office's quarter: rates against target per kind, on-time share, overdue, records to review, escalations past deadline, repeat complaints", async () => {
    const page = await supervisor.get('/console');
    expect(page.status).toBe(200);
    // Scripts only from files of ours (the charts'), nothing inline.
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'self';/);
    const html = page.text;
    expect(html).toContain('data-office="office-1"');
    expect(html).toContain('一号物业服务中心 · 2026-Q4');
    // Complaints (target 100 %): both major complaints recorded in their window, the joint one not.
    expect(html).toContain('<tr data-kind="complaint"><td>投诉</td><td data-rate="true">66.7%</td><td>100%</td><td>2 / 3</td>');
    expect(html).toContain('<b data-on-time-share="true">100%</b><span class="muted">2 / 2</span>');
    // The charts draw the same figures: rates against targets, and satisfaction by week (5 and 1 in the week of 23 November).
    expect(html).toContain('&quot;rates&quot;:[66.7,null,null,null,null,null,null,null],&quot;targets&quot;:[100,80,80,80,80,80,20,0]');
    expect(html).toContain('<tr data-week="2026-W48"><td>11月23日</td><td data-average="true">3.00</td><td>2</td></tr>');
    expect(html).toMatch(/<script src="\/assets\/echarts\.[0-9a-f]{12}\.js" defer><\/script>/);
    expect(html).toMatch(/<section data-section="repeat-complaints">.*<td>B3-1202<\/td><td>elevator-noise<\/td><td>2 次<\/td>/);
    // No unit had three repairs of one matter this quarter.
    expect(html).toMatch(/<section data-section="repeat-repairs">.*没有重复维修/);
    expect(listed(html, 'overdue')).toEqual([world.visits.overdue]);
    expect(listed(html, 'to-review')).toEqual([world.visits.toReview]);
    expect(listed(html, 'escalated')).toEqual([world.visits.escalated]);
    expect(html).not.toContain('data-section="to-handle"');
    expect(html).toContain('data-past-deadline="1"');
    expect(html).toContain('data-section="repeat-complaints"');
    // Nothing of office 2: neither its visit, its work order, nor its name.
    expect(html).not.toContain(`data-visit="${world.visits.office2}"`);
    expect(html).not.toContain('二号');
  });

  it("the manager's own list is the escalation waiting for their handling, flagged late; reviews are the supervisor's", async () => {
    const html = (await manager.get('/console')).text;
    expect(listed(html, 'to-handle')).toEqual([world.visits.escalated]);
    expect(html).toMatch(new RegExp(`data-visit="${world.visits.escalated}">.*?<td class="late">`));
    expect(html).not.toContain('data-section="to-review"');
    expect(listed(html, 'overdue')).toEqual([world.visits.overdue]);
  });

  it('a department head (like a specialist) sees only the visits they carry out — no office figures — and no office by id', async () => {
    const page = await deptHead.get('/console');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-office=');
    expect(page.text).not.toContain('data-section="rates"');
    expect(listed(page.text, 'mine')).toEqual([world.visits.overdue]);
    const byId = await deptHead.get('/console?office=office-1');
    expect(byId.status).toBe(404);
    expect(byId.text).not.toContain('data-visit');
  });

  it("another office's supervisor gets 404 for office 1's id, exactly as for an office that does not exist, and nothing of it", async () => {
    const own = await otherSupervisor.get('/console');
    expect(own.text).toContain('data-office="office-2"');
    expect(listed(own.text, 'overdue')).toEqual([world.visits.office2]);
    expect(own.text).not.toContain('一号');
    const theirs = await otherSupervisor.get('/console?office=office-1');
    const none = await otherSupervisor.get('/console?office=office-404');
    expect(theirs.status).toBe(404);
    expect(none.status).toBe(404);
    expect(theirs.text).toBe(none.text);
    expect(theirs.text).not.toContain('一号');
    expect((await supervisor.get('/console?office=office-2')).status).toBe(404);
  });

  it('the admin sees every office, switching with ?office=', async () => {
    const first = await admin.get('/console');
    expect(first.text).toContain('data-office="office-1"');
    expect(first.text).toContain('href="/console?office=office-2"');
    expect(listed(first.text, 'to-review')).toEqual([world.visits.toReview]);
    expect(listed(first.text, 'to-handle')).toEqual([world.visits.escalated]);
    const second = await admin.get('/console?office=office-2');
    expect(second.status).toBe(200);
    expect(listed(second.text, 'overdue')).toEqual([world.visits.office2]);
  });
});
