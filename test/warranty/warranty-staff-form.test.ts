import { beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage, Visit } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { projectBody } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2026-12-03T02:00:00Z'));

/** A technical visit due now, and the staff-form link of the lead's reminder card. */
async function warrantyVisitWithLink(): Promise<{ id: number; path: string }> {
  expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
  const { id } = (await app.api('POST', '/api/projects/P-1/visits', { kind: 'warranty_technical', topic: '新型外墙保温材料' })).body;
  expect((await app.api('POST', '/api/jobs/reminders/run')).status).toBe(200);
  const [card] = await app.db.getRepository(OutboundMessage).find({ where: { visitId: id, purpose: 'visit_reminder', recipientId: 'sp1' } });
  const url = /https?:\/\/[^\s)"\\]+\/f\/[A-Za-z0-9_.-]+/.exec(JSON.stringify(card.payload))![0];
  return { id, path: new URL(url).pathname };
}

const get = async (path: string) => {
  const res = await fetch(`${app.server.url}${path}`);
  return { status: res.status, html: await res.text() };
};
const post = async (path: string, fields: Record<string, string>) => {
  const res = await fetch(`${app.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ step: 'record', ...fields }).toString() });
  return { status: res.status, html: await res.text() };
};

const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"><img src=x onerror=alert(2)>';

describe('the staff form of a warranty visit', () => {
  it('asks the warranty questions and the minutes, not the property form', async () => {
    const { path } = await warrantyVisitWithLink();
    const page = await get(path);
    expect(page.status).toBe(200);
    for (const text of ['填写保修回访记录', '滨江花园二期', '工程 P-1', '屋面、墙面情况', '发现的问题', '建设单位意见', '满意程度评价', '回访记要 · 参加人员', '回访记要 · 内容', '建设单位 滨江置业', 'name="roofsAndWalls"', 'name="minutesSummary"']) {
      expect(page.html).toContain(text);
    }
    for (const text of ['质量评价', '服务效果评价', '缺点与不足', 'name="quality"']) expect(page.html).not.toContain(text);
    expect(page.html).not.toContain('<script');
  });

  it('refuses a record missing what is required with 400 naming it, keeps what was written (escaped), and records nothing', async () => {
    const { id, path } = await warrantyVisitWithLink();
    const res = await post(path, { method: 'onsite', roofsAndWalls: '', problemsFound: SCRIPT, ownerOpinion: ATTR, minutesAttendees: '滨江置业 陈工' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('请检查：屋面、墙面情况、满意程度评价、回访记要：内容');
    expect(res.html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(res.html).not.toContain(SCRIPT);
    expect(res.html).not.toContain('<img');
    const visit = await app.db.getRepository(Visit).findOneByOrFail({ id });
    expect(visit).toMatchObject({ status: 'due', recordedAt: null, details: { topic: '新型外墙保温材料' } });
  });

  it('records the warranty answers and minutes in the visit\'s details as the API does, and shows them escaped', async () => {
    const { id, path } = await warrantyVisitWithLink();
    const res = await post(path, {
      method: 'onsite',
      roofsAndWalls: '屋面无渗漏，外墙一处裂缝',
      problemsFound: SCRIPT,
      ownerOpinion: ATTR,
      satisfaction: '4',
      minutesAttendees: '滨江置业 陈工\n华建 周工、监理 吴工',
      minutesSummary: '三方确认裂缝位置，约定 5 月前修补',
      notes: '业主代表下午在场',
    });
    expect(res.status, res.html).toBe(200);
    expect(res.html).toContain('回访记录已提交');

    const recorded = (await app.api('GET', `/api/visits/${id}`)).body;
    expect(recorded).toMatchObject({
      status: 'recorded',
      method: 'onsite',
      answers: { satisfaction: 4, quality: null, effect: null },
      details: {
        roofsAndWalls: '屋面无渗漏，外墙一处裂缝',
        problemsFound: SCRIPT,
        ownerOpinion: ATTR,
        minutes: '三方确认裂缝位置，约定 5 月前修补',
        minutesAttendees: ['滨江置业 陈工', '华建 周工', '监理 吴工'],
      },
    });
    expect((await app.db.getRepository(Visit).findOneByOrFail({ id })).notes).toBe('业主代表下午在场');
    // The owner confirms it like any warranty record; the supervisor reviews it.
    expect((await app.db.getRepository(OutboundMessage).find({ where: { visitId: id, purpose: 'resident_confirmation' } })).map((m) => m.recipientId)).toEqual(['project:P-1']);

    const view = await get(path);
    expect(view.status).toBe(200);
    for (const text of ['屋面无渗漏，外墙一处裂缝', '&lt;script>alert(1)&lt;/script>', '&quot;>&lt;img src=x onerror=alert(2)>', '回访记要', '华建 周工、监理 吴工', '满意']) expect(view.html).toContain(text);
    expect(view.html).not.toContain(SCRIPT);
    expect(view.html).not.toContain('<img');
    // A second post changes nothing.
    expect((await post(path, { method: 'phone', roofsAndWalls: '改写', satisfaction: '1' })).status).toBe(409);
    expect((await app.api('GET', `/api/visits/${id}`)).body.details.roofsAndWalls).toBe('屋面无渗漏，外墙一处裂缝');
  });

  it('takes no property-form items through a warranty visit\'s link', async () => {
    const { path } = await warrantyVisitWithLink();
    const res = await post(path, { method: 'phone', quality: '5', effect: '5', satisfaction: '5', shortcomings: 'none' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('屋面、墙面情况');
  });
});
