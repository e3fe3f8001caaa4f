import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZodTypeAny } from 'zod';
import { officeInputSchema } from '../../src/offices/office.service';
import { ADMIN_TOKEN, OFFICE_1 } from '../support/app';
import { Answer, ConsoleClient } from './client';
import { ConsoleWorld, OFFICE_1_STAFF, startConsoleWorld } from './world';

/** Office 1 before each test: its staff, one target and one policy value already set. */
const BASELINE = { ...OFFICE_1, staff: OFFICE_1_STAFF, rateTargets: { activity: 0.3 }, policy: { retentionYears: 3 } };

const versionIn = (html: string) => html.match(/name="version" value="(\d+)"/)![1];
const problemOf = (html: string, field: string) => html.match(new RegExp(`data-problem="${field.replace(/\./g, '\\.')}">([^<]*)<`))?.[1];
const buttons = (html: string) => [...html.matchAll(/<button type="submit">([^<]*)</g)].map((m) => m[1]).filter((b) => b !== '退出');

/** The keys of the admin API's `policy` object, read from its zod schema. */
function policyKeys(): string[] {
  let schema: ZodTypeAny = officeInputSchema.shape.policy;
  while (!('shape' in schema)) schema = (schema._def.innerType ?? schema._def.schema) as ZodTypeAny;
  return Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
}

describe('the console setup pages: offices, rate targets, policy values and staff, edited through the admin API\'s schema and service', () => {
  let world: ConsoleWorld;
  let admin: ConsoleClient;
  let manager: ConsoleClient;
  let supervisor: ConsoleClient;
  let specialist: ConsoleClient;
  let otherSupervisor: ConsoleClient;
  const office = async (id = 'office-1') => (await world.app.api('GET', `/api/offices/${id}`)).body;
  /** Posts a form with the version the page shows (as a browser would), filled with `fields`. */
  const submit = async (who: ConsoleClient, page: string, action: string, fields: Record<string, string>): Promise<Answer> => {
    const version = versionIn((await admin.get(page)).text);
    return who.post(`${page}/${action}`, { version, ...fields });
  };
  beforeAll(async () => {
    world = await startConsoleWorld();
    [manager, supervisor, specialist, otherSupervisor] = await Promise.all(['wangjingli', 'lizhuguan', 'zhaozhuanyuan', 'zhouzhuguan'].map((u) => world.wecomSignIn(u)));
    admin = world.client();
    await admin.post('/console/sign-in/admin', { token: ADMIN_TOKEN });
  });
  afterAll(async () => world?.close());
  beforeEach(async () => {
    expect((await world.app.api('PUT', '/api/offices/office-1', BASELINE)).status).toBe(200);
  });

  const PAGES = ['', '/policy', '/staff', '/staff/sp1'].map((rest) => `/console/offices/office-1${rest}`);

  it('pages by role: the admin and the manager edit, the supervisor reads, a specialist gets 403; another office is not found', async () => {
    for (const path of PAGES) {
      for (const [who, name] of [[admin, 'admin'], [manager, 'manager']] as const) {
        const res = await who.get(path);
        expect(res.status, `${name} ${path}`).toBe(200);
        expect(res.text, `${name} ${path}`).not.toContain('<fieldset disabled');
        expect(buttons(res.text).length, `${name} ${path}`).toBeGreaterThan(0);
      }
      const read = await supervisor.get(path);
      expect(read.status, path).toBe(200);
      expect(read.text).toContain('只读');
      expect((await specialist.get(path)).status, path).toBe(403);
      expect((await otherSupervisor.get(path)).status, path).toBe(404);
      expect((await manager.get(path.replace('office-1', 'office-2'))).status, path).toBe(404);
      expect((await admin.get(path.replace('office-1', 'office-9'))).status, path).toBe(404);
    }
    // The supervisor may save one thing only: the target of "other" work (SOP 4.1.2d).
    expect(buttons((await supervisor.get('/console/offices/office-1')).text)).toEqual(['保存目标']);
    expect(buttons((await supervisor.get('/console/offices/office-1/policy')).text)).toEqual([]);
    expect((await specialist.get('/console/offices')).status).toBe(403);
    const list = (await manager.get('/console/offices')).text;
    expect(list).toContain('data-office="office-1"');
    expect(list).not.toContain('data-office="office-2"');
    expect((await admin.get('/console/offices')).text).toContain('data-office="office-2"');
    expect((await manager.get('/console')).text).toContain('href="/console/offices"');
    expect((await specialist.get('/console')).text).not.toContain('href="/console/offices"');
  });

  it('every action refused by role: 403 for the supervisor and the specialist, 404 for another office — nothing changed', async () => {
    const before = await office();
    const actions: [string, string, Record<string, string>][] = [
      ['/console/offices/office-1', 'settings', { name: '改名', timeZone: 'Asia/Shanghai' }],
      ['/console/offices/office-1', 'targets', { repair: '0.1', other: '0.5' }],
      ['/console/offices/office-1/policy', 'save', { retentionYears: '9' }],
      ['/console/offices/office-1/staff', 'add', { id: 'sp7', name: '新专员', roles: 'specialist' }],
      ['/console/offices/office-1/staff/sp1', 'save', { name: '改名', roles: 'specialist' }],
      ['/console/offices/office-1/staff/sp1', 'deactivate', {}],
      ['/console/offices/office-1/staff/sp1', 'activate', {}],
    ];
    for (const [page, action, fields] of actions) {
      const asSupervisor = await submit(supervisor, page, action, fields);
      expect(asSupervisor.status, `supervisor ${action}`).toBe(403);
      expect(asSupervisor.text).toContain('data-refused');
      expect((await submit(specialist, page, action, fields)).status, `specialist ${action}`).toBe(403);
      expect((await submit(otherSupervisor, page, action, fields)).status, `office-2's supervisor ${action}`).toBe(404);
      const version = versionIn((await admin.get(page.replace('office-1', 'office-2').replace('sp1', 'sp9'))).text);
      expect((await manager.post(`${page.replace('office-1', 'office-2').replace('sp1', 'sp9')}/${action}`, { version, ...fields })).status, `manager in office-2 ${action}`).toBe(404);
      expect((await world.client().post(`${page}/${action}`, fields)).location).toBe('/console/sign-in');
    }
    expect(await office()).toEqual(before);
    expect(await office('office-2')).toMatchObject({ name: '二号物业服务中心', rateTargets: {}, policy: {} });
    // The admin may edit any office.
    expect((await submit(admin, '/console/offices/office-2/policy', 'save', { escalationHours: '12' })).status).toBe(303);
    expect((await office('office-2')).policy).toEqual({ escalationHours: 12 });
    expect((await world.app.api('PUT', '/api/offices/office-2', { ...(await office('office-2')), staff: (await office('office-2')).staff, policy: null })).status).toBe(200);
  });

  it('the policy page shows every policy value of the admin API with its default; a good edit keeps the others and shows in the API', async () => {
    const page = (await manager.get('/console/offices/office-1/policy')).text;
    for (const key of policyKeys()) expect(page, key).toMatch(new RegExp(`name="${key}[."]`));
    expect(page).toMatch(/name="retentionYears" value="3"/);
    expect(page).toContain('默认：<span data-default="true">24</span>');
    const saved = await submit(manager, '/console/offices/office-1/policy', 'save', {
      retentionYears: '3',
      residentReaskAfterHours: '48',
      'quietHours.from': '22:00',
      'quietHours.to': '07:30',
      'selfSurveyCompletes.repair': 'false',
      'workingHours.start': '09:00',
      'workingHours.end': '18:00',
      'workingHours.weekdays': '1, 2, 3, 4, 5',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/console/offices/office-1/policy?saved=1');
    expect((await office()).policy).toEqual({
      retentionYears: 3,
      residentReaskAfterHours: 48,
      quietHours: { from: '22:00', to: '07:30' },
      selfSurveyCompletes: { repair: false },
      workingHours: { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] },
    });
    const after = (await manager.get(saved.location!)).text;
    expect(after).toContain('data-saved');
    expect(after).toMatch(/name="residentReaskAfterHours" value="48"/);
    expect(after).toMatch(/<option value="false" selected/);
    // The rest of the office is as it was.
    expect(await office()).toMatchObject({ name: OFFICE_1.name, rateTargets: { activity: 0.3 } });
    expect((await office()).staff.filter((s: any) => s.active)).toHaveLength(OFFICE_1.staff.length);
  });

  it('a bad policy value shows the admin API\'s message next to its field, keeps what was typed, and changes nothing', async () => {
    const before = await office();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ residentReaskAfterHours: '0' }, 'residentReaskAfterHours', /at least 1/],
      [{ escalationHours: 'soon' }, 'escalationHours', /whole number from 1 to 720/],
      [{ 'quietHours.from': '22:00' }, 'quietHours.to', /required/],
      [{ 'staffQuietHours.start': '25:00', 'staffQuietHours.end': '07:00' }, 'staffQuietHours.start', /HH:mm/],
      [{ archiveReminderDay: '12' }, 'archiveReminderDay', /before archiveLockDay/],
      [{ 'specialService.midFrom': '0.7', 'specialService.midTo': '0.5' }, 'specialService.midTo', /below midTo/],
      [{ 'workingHours.start': '08:00', 'workingHours.end': '18:00', 'workingHours.weekdays': '1, 8' }, 'workingHours.weekdays', /at most 7/],
      [{ 'officialAccount.keys.title': 'first' }, 'officialAccount.templateId', /required/],
    ];
    for (const [fields, field, message] of cases) {
      const res = await submit(manager, '/console/offices/office-1/policy', 'save', fields);
      expect(res.status, field).toBe(400);
      expect(problemOf(res.text, field), field).toMatch(message);
      expect(res.text).toContain(`aria-describedby="problem-${field}"`);
      for (const [name, value] of Object.entries(fields)) expect(res.text, name).toContain(`name="${name}" value="${value}"`);
    }
    // Checked by the same schema as the API: it refuses the same value with the same words.
    const api = await world.app.api('PUT', '/api/offices/office-1', { ...BASELINE, policy: { residentReaskAfterHours: 0 } });
    expect(api.status).toBe(400);
    expect(JSON.stringify(api.body)).toContain('at least 1');
    expect(await office()).toEqual(before);
  });

  it('settings and rate targets: bad values named at their field; good ones saved; the supervisor sets "other" only', async () => {
    const before = await office();
    const zone = await submit(manager, '/console/offices/office-1', 'settings', { name: '', timeZone: 'Mars/Base' });
    expect(zone.status).toBe(400);
    expect(problemOf(zone.text, 'name')).toMatch(/must not be empty/);
    expect(problemOf(zone.text, 'timeZone')).toMatch(/IANA time zone/);
    const target = await submit(manager, '/console/offices/office-1', 'targets', { repair: '1.5', activity: '0.3' });
    expect(target.status).toBe(400);
    expect(problemOf(target.text, 'repair')).toMatch(/between 0 and 1/);
    expect(await office()).toEqual(before);

    expect((await submit(manager, '/console/offices/office-1', 'settings', { name: '一号物业（新）', timeZone: 'Asia/Urumqi', channel: 'dingtalk' })).status).toBe(303);
    expect(await office()).toMatchObject({ name: '一号物业（新）', timeZone: 'Asia/Urumqi', channel: 'dingtalk', rateTargets: { activity: 0.3 }, policy: { retentionYears: 3 } });
    expect((await submit(admin, '/console/offices/office-1', 'targets', { repair: '0.3', activity: '' })).status).toBe(303);
    expect((await office()).rateTargets).toEqual({ repair: 0.3 });
    expect((await submit(supervisor, '/console/offices/office-1', 'targets', { other: '0.5' })).status).toBe(303);
    expect((await office()).rateTargets).toEqual({ repair: 0.3, other: 0.5 });
    const bad = await submit(supervisor, '/console/offices/office-1', 'targets', { other: '2' });
    expect(bad.status).toBe(400);
    expect(problemOf(bad.text, 'other')).toMatch(/between 0 and 1/);
    expect((await office()).rateTargets).toEqual({ repair: 0.3, other: 0.5 });
  });

  it('staff: add, edit, deactivate and take back — the problems next to their fields; the API shows each change', async () => {
    const noRole = await submit(manager, '/console/offices/office-1/staff', 'add', { id: 'sp7', name: '孙专员' });
    expect(noRole.status).toBe(400);
    expect(problemOf(noRole.text, 'roles')).toMatch(/at least one role/);
    expect(noRole.text).toContain('name="name" value="孙专员"');
    const twice = await submit(manager, '/console/offices/office-1/staff', 'add', { id: 'sp1', name: '重复', roles: 'specialist' });
    expect(problemOf(twice.text, 'id')).toMatch(/appears twice/);
    const long = await submit(manager, '/console/offices/office-1/staff', 'add', { id: 'sp7', name: '孙'.repeat(101), roles: 'specialist' });
    expect(problemOf(long.text, 'name')).toBeDefined();
    expect((await office()).staff.map((s: any) => s.id)).not.toContain('sp7');

    const added = await submit(manager, '/console/offices/office-1/staff', 'add', { id: 'sp7', name: '孙专员', roles: 'specialist', department: '', wecomUserId: 'sunzhuanyuan' });
    expect(added.status).toBe(303);
    expect((await office()).staff.find((s: any) => s.id === 'sp7')).toEqual({ id: 'sp7', name: '孙专员', roles: ['specialist'], department: null, wecomUserId: 'sunzhuanyuan', dingtalkUserId: null, active: true });

    const form = new URLSearchParams({ name: '钱专员', department: 'service', dingtalkUserId: 'u0999' });
    form.append('roles', 'specialist');
    form.append('roles', 'dept_head');
    const edited = await submit(manager, '/console/offices/office-1/staff/sp2', 'save', Object.fromEntries(form));
    expect(edited.status).toBe(303);
    // (URLSearchParams → object keeps one `roles`; a second post checks two roles.)
    const version = versionIn((await manager.get('/console/offices/office-1/staff/sp2')).text);
    form.set('version', version);
    const res = await fetch(`${world.app.server.url}/console/offices/office-1/staff/sp2/save`, { method: 'POST', headers: { cookie: manager.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect((await office()).staff.find((s: any) => s.id === 'sp2')).toMatchObject({ roles: ['specialist', 'dept_head'], department: 'service', dingtalkUserId: 'u0999', wecomUserId: null });

    expect((await submit(manager, '/console/offices/office-1/staff/sp2', 'deactivate', {})).status).toBe(303);
    expect((await office()).staff.find((s: any) => s.id === 'sp2').active).toBe(false);
    const again = await submit(manager, '/console/offices/office-1/staff', 'add', { id: 'sp2', name: '钱专员', roles: 'specialist' });
    expect(problemOf(again.text, 'id')).toMatch(/已停用/);
    const whileInactive = await submit(manager, '/console/offices/office-1/staff/sp2', 'save', { name: '改名', roles: 'specialist' });
    expect(whileInactive.status).toBe(400);
    expect(whileInactive.text).toContain('请先重新启用');
    expect((await submit(admin, '/console/offices/office-1/staff/sp2', 'activate', {})).status).toBe(303);
    expect((await office()).staff.find((s: any) => s.id === 'sp2')).toMatchObject({ name: '钱专员', active: true });

    const self = await submit(manager, '/console/offices/office-1/staff/mgr1', 'deactivate', {});
    expect(self.status).toBe(400);
    expect((await office()).staff.find((s: any) => s.id === 'mgr1').active).toBe(true);
  });

  it('a post from another site is refused and changes nothing; a browser\'s same-origin post with Origin: null goes through', async () => {
    const before = await office();
    const version = versionIn((await manager.get('/console/offices/office-1/policy')).text);
    const post = (headers: Record<string, string>) =>
      fetch(`${world.app.server.url}/console/offices/office-1/policy/save`, {
        method: 'POST',
        headers: { cookie: manager.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ version, retentionYears: '9' }).toString(),
        redirect: 'manual',
      });
    expect((await post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect(await office()).toEqual(before);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    expect((await office()).policy).toEqual({ retentionYears: 9 });
  });

  it('a form opened before someone else saved the office stores nothing (409): their change is not overwritten', async () => {
    const stale = versionIn((await manager.get('/console/offices/office-1/policy')).text);
    world.clock.advance(1000);
    expect((await world.app.api('PUT', '/api/offices/office-1', { ...BASELINE, policy: { retentionYears: 5 } })).status).toBe(200);
    const res = await manager.post('/console/offices/office-1/policy/save', { version: stale, retentionYears: '3' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('已被他人修改');
    expect((await office()).policy).toEqual({ retentionYears: 5 });
  });
});
