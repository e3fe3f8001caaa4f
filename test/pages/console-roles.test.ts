import { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_VISIT_STATUSES, Visit, VisitAssignee } from '../../entities';
import { ADMIN_TOKEN, ConsoleSandbox, listedVisits, navTitles, office1Visits, sectionsShown, signIn, startConsoleSandbox } from './console-browser';

/**
 * Each role in the sandbox's console, signed in the way the sign-in page offers (one tap on a
 * demo person; the admin token), sees what it may and nothing else: the header's entries, the
 * glance's lists, the visits in the list, another office's visit (not found) — and may act
 * only where its role allows (only a supervisor reviews and assigns in the console).
 */
interface Role {
  who: string | { adminToken: string };
  name: string;
  nav: string[];
  /** Glance sections shown, and sections that must not be there. */
  glance: string[];
  notOnGlance: string[];
  /** Offices in the glance's switcher (none: no switcher). */
  offices: string[];
  /** Sees every visit of office 1 (else only those they carry out: `staffId`). */
  staffId: string | null;
  seesOffice2: boolean;
  /** Offered the review and assign forms on office 1's visits. */
  acts: boolean;
}

const EVERYONE_NAV = ['概览', '回访', '季度统计', '保修', '回访活动', '设置'];
/** A specialist has no quarter and no setup. */
const SPECIALIST_NAV = ['概览', '回访', '保修'];

const ROLES: Role[] = [
  { who: '李主管', name: '李主管', nav: EVERYONE_NAV, glance: ['rates', 'to-review', 'overdue', 'escalated', 'repeat-complaints'], notOnGlance: ['to-handle'], offices: [], staffId: null, seesOffice2: false, acts: true },
  { who: '王经理', name: '王经理', nav: EVERYONE_NAV, glance: ['rates', 'to-handle', 'overdue', 'repeat-complaints'], notOnGlance: ['to-review', 'escalated'], offices: [], staffId: null, seesOffice2: false, acts: false },
  { who: '赵专员', name: '赵专员', nav: SPECIALIST_NAV, glance: ['mine'], notOnGlance: ['rates', 'to-review', 'to-handle', 'overdue', 'escalated', 'repeat-complaints'], offices: [], staffId: 'sp1', seesOffice2: false, acts: false },
  { who: { adminToken: ADMIN_TOKEN }, name: '管理员', nav: EVERYONE_NAV, glance: ['rates', 'to-review', 'to-handle', 'overdue', 'repeat-complaints'], notOnGlance: ['mine'], offices: ['一号物业服务中心', '二号物业服务中心'], staffId: null, seesOffice2: true, acts: false },
];

describe('the console’s roles in the sandbox, in Chromium', () => {
  let sandbox: ConsoleSandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = await startConsoleSandbox();
    base = sandbox.app.server.url;
  });
  afterAll(async () => sandbox?.close());

  const open = async (page: Page, path: string) => (await page.goto(`${base}${path}`))!.status();

  for (const role of ROLES) {
    it(`${role.name}: signs in, sees the entries, lists and visits of the role, and nothing else`, async () => {
      const page = await sandbox.newPage();
      await signIn(page, base, role.who);
      expect(await page.locator('[data-who]').textContent()).toBe(role.name);
      expect(await navTitles(page)).toEqual(role.nav);

      const shown = await sectionsShown(page);
      expect(shown).toEqual(expect.arrayContaining(role.glance));
      for (const section of role.notOnGlance) expect([section, shown.includes(section)]).toEqual([section, false]);
      expect(await page.locator('nav.offices[aria-label="管理处"] a').allTextContents()).toEqual(role.offices);

      // The visits list: the office's visits, or only the person's own.
      expect(await open(page, '/console/visits')).toBe(200);
      const listed = await listedVisits(page);
      const office1 = await office1Visits(sandbox.app);
      const visible = role.staffId === null ? office1 : office1.filter((v) => v.visitors.includes(role.staffId!));
      expect(visible.length).toBeGreaterThan(0);
      expect(listed).toEqual(visible.slice(0, 25).map((v) => v.id));
      expect(listed).not.toContain(sandbox.office2Visit);

      // Another office's visit and its glance: not found, unless the admin (every office).
      const office2Visit = await open(page, `/console/visits/${sandbox.office2Visit}`);
      const office2Glance = await open(page, '/console?office=office-2');
      if (role.seesOffice2) {
        expect([office2Visit, office2Glance]).toEqual([200, 200]);
        expect(await page.locator('h1').first().textContent()).toMatch(/^二号物业服务中心 · 2026-Q4$/);
      } else {
        expect([office2Visit, office2Glance]).toEqual([404, 404]);
        expect(await page.locator('h1').textContent()).toBe('未找到');
        expect(await page.content()).not.toContain('二号楼门禁');
      }
      await page.context().close();
    });
  }

  it('the manager handles an escalation on its page, and a specialist opens the record form of their own visit', async () => {
    // One of the week's complaints recorded badly and judged unqualified: it goes to the manager.
    const complaint = (await office1Visits(sandbox.app)).find((v) => v.kind === 'complaint' && v.status === 'due' && v.visitors.length > 0 && !v.visitors.includes('sp1'));
    expect(complaint, 'a due complaint in the demo week').toBeDefined();
    const bad = { quality: 1, effect: 1, satisfaction: 1, shortcomings: ['attitude'], solved: false };
    for (const [step, body] of [
      ['record', { staffId: complaint!.visitors[0], method: 'phone', answers: bad }],
      ['review', { reviewerId: 'sup1', verdict: 'unqualified', opinion: '住户不满意' }],
    ] as const) {
      const res = await sandbox.app.call('POST', `/api/visits/${complaint!.id}/${step}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const office1 = await office1Visits(sandbox.app);
    const escalated = office1.find((v) => v.id === complaint!.id && v.status === 'escalated');
    expect(escalated, 'the complaint is with the manager').toBeDefined();
    const manager = await sandbox.newPage();
    await signIn(manager, base, '王经理');
    expect(await open(manager, `/console/visits/${escalated!.id}`)).toBe(200);
    await manager.locator('[data-section="handle"] textarea[name="opinion"]').fill('已上门道歉并安排复修');
    await manager.locator('[data-section="handle"] button[type="submit"]').click();
    await manager.waitForLoadState();
    expect(await manager.content()).toContain('已上门道歉并安排复修');
    const handled = await sandbox.app.db.getRepository(Visit).findOneByOrFail({ id: escalated!.id });
    expect(handled.status).toBe('handled');
    await manager.context().close();

    const mine = office1.find((v) => ['due', 'in_progress', 'overdue'].includes(v.status) && v.visitors.includes('sp1'));
    expect(mine, 'a visit of 赵专员 waiting for its record').toBeDefined();
    const specialist = await sandbox.newPage();
    await signIn(specialist, base, '赵专员');
    expect(await open(specialist, `/console/visits/${mine!.id}`)).toBe(200);
    expect(await specialist.locator('[data-section="handle"]').count()).toBe(0);
    await specialist.locator('[data-section="record"] a').click();
    await specialist.waitForLoadState();
    expect(new URL(specialist.url()).pathname).toMatch(/^\/f\//);
    expect(await specialist.locator('form').count()).toBeGreaterThan(0);
    await specialist.context().close();
  });

  it('offers the review and assign forms to the supervisor only, and refuses the others’ posts (403) changing nothing', async () => {
    const office1 = await office1Visits(sandbox.app);
    const open1 = office1.find((v) => (OPEN_VISIT_STATUSES as readonly string[]).includes(v.status) && v.visitors.includes('sp1'))!;
    expect(open1, 'an open visit of 赵专员').toBeDefined();
    const visitorsBefore = await sandbox.app.db.getRepository(VisitAssignee).find({ where: { visitId: open1.id }, order: { staffId: 'ASC' } });
    for (const role of ROLES) {
      const page = await sandbox.newPage();
      await signIn(page, base, role.who);
      expect([role.name, await open(page, `/console/visits/${open1.id}`)]).toEqual([role.name, 200]);
      expect([role.name, await page.locator('[data-section="assign"]').count()]).toEqual([role.name, role.acts ? 1 : 0]);
      if (!role.acts) {
        // The form is not there; a post made anyway (same session, no Origin) is refused.
        const refused = await page.request.post(`${base}/console/visits/${open1.id}/assign`, { form: { staffId: 'sp2' }, maxRedirects: 0 });
        expect([role.name, refused.status()]).toEqual([role.name, 403]);
        expect(await refused.text()).toContain('您不能对这条回访做这一步。');
      }
      await page.context().close();
    }
    expect(await sandbox.app.db.getRepository(VisitAssignee).find({ where: { visitId: open1.id }, order: { staffId: 'ASC' } })).toEqual(visitorsBefore);
  });
});
