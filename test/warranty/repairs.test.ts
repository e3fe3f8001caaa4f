import { beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage, WarrantyRepair } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { projectBody } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2027-03-10T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2027-03-10T02:00:00Z'));

const sweep = async () => {
  const res = await app.api('POST', '/api/jobs/warranty/run');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result;
};
const outbox = async (purpose: string) =>
  (await app.db.getRepository(OutboundMessage).find({ where: { purpose }, order: { id: 'ASC' } })).map((m) => ({ to: m.recipientId, key: m.dedupeKey, payload: JSON.stringify(m.payload) }));
const report = (patch: Record<string, unknown> = {}) =>
  app.api('POST', '/api/projects/P-1/repairs', { reportedAt: '2027-03-10T10:00:00+08:00', category: 'waterproofing', location: '3 号楼 1202 卫生间', description: '楼下顶棚渗水', ...patch });
const sheet = { cause: '防水层搭接不足', measures: '凿除地面，重做防水层并闭水试验', dueOn: '2027-03-20', approvedBy: '周工', responsible: '华建 保修部 刘师傅' };

describe('warranty repairs', () => {
  beforeEach(async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
  });

  it('meets its deadlines: on site within 24 h, assessed, done within 15 days, and signed off by the owner with one tap', async () => {
    const res = await report();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ onSiteBy: '2027-03-11T02:00:00.000Z', solveBy: '2027-03-25T02:00:00.000Z', status: 'reported', charged: false });
    const id = res.body.id;

    app.clock.set('2027-03-10T08:00:00Z');
    expect((await app.api('POST', `/api/warranty-repairs/${id}/onsite`, { by: 'sp1' })).body.status).toBe('on_site');
    expect((await app.api('POST', `/api/warranty-repairs/${id}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet })).body).toMatchObject({ status: 'assessed', charged: false, taskSheet: sheet });
    app.clock.set('2027-03-18T08:00:00Z');
    const done = await app.api('POST', `/api/warranty-repairs/${id}/done`, { by: 'sp1' });
    expect(done.body.status).toBe('done');
    expect(await sweep()).toMatchObject({ repairReminders: 0, repairEscalations: 0 });

    // The owner is in the directory: the sign-off link goes to them, once.
    const [signoff] = await outbox('warranty_repair_signoff');
    expect(signoff.to).toBe('project:P-1');
    const url = /https?:\/\/[^"\\]+\/w\/[A-Za-z0-9_.-]+/.exec(signoff.payload)![0];
    const path = new URL(url).pathname;
    const page = await fetch(`${app.server.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const shown = await page.text();
    expect(shown).toContain('确认验收');
    expect(shown).not.toContain('<script');
    const tapped = await fetch(`${app.server.url}${path}`, { method: 'POST' });
    expect(tapped.status).toBe(200);
    expect(await tapped.text()).toContain('已确认验收');
    expect((await fetch(`${app.server.url}${path}`, { method: 'POST' })).status).toBe(200);

    const after = (await app.api('GET', `/api/warranty-repairs/${id}`)).body;
    expect(after.status).toBe('signed_off');
    expect(after.history.map((h: { action: string }) => h.action)).toEqual(['reported', 'on_site', 'assessed', 'done', 'signed_off']);
    // The card's repair log shows it.
    const card = await app.api('GET', '/api/projects/P-1/card');
    expect(card.body).toContain('重做防水层');
    expect(card.body).toContain('已签认');
  });

  it('misses its deadlines: the lead is reminded before each, the supervisor told once each passes', async () => {
    const id = (await report()).body.id;
    app.clock.set('2027-03-10T22:30:00Z'); // 3.5 h before on site is due
    expect(await sweep()).toMatchObject({ repairReminders: 1, repairEscalations: 0 });
    app.clock.set('2027-03-11T03:00:00Z');
    expect(await sweep()).toMatchObject({ repairReminders: 0, repairEscalations: 1 });
    expect(await sweep()).toMatchObject({ repairReminders: 0, repairEscalations: 0 });
    await app.api('POST', `/api/warranty-repairs/${id}/onsite`, { by: 'sp1' });
    app.clock.set('2027-03-22T03:00:00Z');
    expect(await sweep()).toMatchObject({ repairReminders: 1, repairEscalations: 0 });
    app.clock.set('2027-03-25T03:00:00Z');
    expect(await sweep()).toMatchObject({ repairReminders: 0, repairEscalations: 1 });
    expect((await outbox('warranty_repair_reminder')).map((m) => m.key)).toEqual([`repair:${id}:remind:onsite:sp1`, `repair:${id}:remind:solve:sp1`]);
    expect((await outbox('supervisor_notice')).map((m) => m.key).filter((k) => k.startsWith('repair:'))).toEqual([`repair:${id}:missed:onsite:sup1`, `repair:${id}:missed:solve:sup1`]);
    const history = (await app.api('GET', `/api/warranty-repairs/${id}`)).body.history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['reported', 'deadline_reminded', 'deadline_missed', 'on_site', 'deadline_reminded', 'deadline_missed']);
    expect(history[3].details).toEqual({ late: true });
  });

  it('refuses a step out of order with 409 naming the step, and a step by someone not on the staff with 400, changing nothing', async () => {
    const id = (await report()).body.id;
    const res = await app.api('POST', `/api/warranty-repairs/${id}/done`, { by: 'sp1' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'repair_step_out_of_order' });
    expect(res.body.error.message).toContain('step done');
    const stranger = await app.api('POST', `/api/warranty-repairs/${id}/onsite`, { by: 'nobody' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.message).toContain('by');
    const stored = await app.db.getRepository(WarrantyRepair).findOneByOrFail({ id });
    expect(stored.status).toBe('reported');
    expect(stored.history).toHaveLength(1);
  });

  it('charges misuse and repairs reported after the category ended', async () => {
    const misuse = (await report()).body.id;
    await app.api('POST', `/api/warranty-repairs/${misuse}/onsite`, { by: 'sp1' });
    expect((await app.api('POST', `/api/warranty-repairs/${misuse}/assess`, { by: 'sp1', cause: 'misuse', taskSheet: sheet })).body.charged).toBe(true);

    app.clock.set('2029-04-01T02:00:00Z'); // heating ended 2029-03-15
    const late = await report({ reportedAt: '2029-04-01T09:00:00+08:00', category: 'heating', location: '2 号楼供暖立管', description: '暖气片漏水' });
    expect(late.status).toBe(201);
    expect(late.body.charged).toBe(true);
  });

  it.each([
    [{ category: 'other' }, 'category'], // the project agreed nothing else
    [{ category: 'roof' }, 'category'],
    [{ reportedAt: '2027-03-11T10:00:00+08:00' }, 'reportedAt'], // in the future
    [{ reportedAt: 'yesterday' }, 'reportedAt'],
    [{ location: '' }, 'location'],
  ])('refuses the report %o with 400 naming %s', async (patch, field) => {
    const res = await report(patch);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect(await app.db.getRepository(WarrantyRepair).count()).toBe(0);
  });
});
