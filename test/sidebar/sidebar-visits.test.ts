import { describe, expect, it } from 'vitest';
import { Visit } from '../../entities';
import { OFFICE_1 } from '../support/app';
import { CUSTOMER, SidebarApp, useSidebarApp } from './sidebar-app';

/**
 * The chat sidebar through HTTP, beside a chat with a resident: their open visits, the survey
 * link handed out and recorded as sent, and a phone visit recorded through the lifecycle.
 */
describe('the chat sidebar and the resident in the chat', () => {
  let s: SidebarApp;
  useSidebarApp('2026-11-26T08:00:00Z', (started) => (s = started));

  it('lists the open visits of the customer, and says clearly when the customer id is unknown', async () => {
    const visit = await s.planCustomerVisit();
    const res = await s.call('GET', `/sidebar/api/contacts/${CUSTOMER}/visits`, await s.session(visit.visitor));
    expect(res.status).toBe(200);
    expect(res.body.residentName).toBe('王五');
    expect(res.body.visits).toEqual([
      expect.objectContaining({ id: visit.id, title: '厨房水龙头漏水', officeName: '一号物业服务中心', canSend: true, canRecord: true, linkSentAt: null }),
    ]);
    const other = await s.call('GET', `/sidebar/api/contacts/${CUSTOMER}/visits`, await s.session(visit.otherSpecialist));
    expect(other.body.visits[0]).toMatchObject({ id: visit.id, canSend: true, canRecord: false });
    const unknown = await s.call('GET', '/sidebar/api/contacts/wmNobody/visits', await s.session(visit.visitor));
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'contact_unknown' } } });
  });

  it('hands out the survey link as a link message and records it as sent, with who sent it', async () => {
    const visit = await s.planCustomerVisit();
    const session = await s.session(visit.otherSpecialist);
    const link = await s.call('POST', `/sidebar/api/visits/${visit.id}/survey-link`, session);
    expect(link.status).toBe(200);
    expect(link.body.news).toMatchObject({ title: '维修回访：请您评价本次服务', imgUrl: 'https://hf.example.org/assets/survey-link.png' });
    expect(link.body.news.link).toMatch(/^https:\/\/hf\.example\.org\/s\/[\w-]+\.[\w-]+$/);
    expect(link.body.news.desc).toContain('厨房水龙头漏水');
    const picture = await fetch(`${s.app.server.url}/assets/survey-link.png`);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await picture.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    expect((await s.call('POST', `/sidebar/api/visits/${visit.id}/survey-link/sent`, session, {})).status).toBe(400);
    const sent = await s.call('POST', `/sidebar/api/visits/${visit.id}/survey-link/sent`, session, { sendId: link.body.sendId });
    expect(sent.status).toBe(200);
    const detail = (await s.app.api('GET', `/api/visits/${visit.id}`)).body;
    expect(detail.history.at(-1)).toMatchObject({ action: 'survey_link_sent', actorKind: 'staff', actor: OFFICE_1.staff.find((m) => m.wecomUserId === visit.otherSpecialist)!.id, details: { via: 'sidebar', link: link.body.sendId } });
    expect((await s.app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).residentAskedAt).toEqual(new Date('2026-11-26T08:00:00Z'));
    const listed = await s.call('GET', `/sidebar/api/contacts/${CUSTOMER}/visits`, session);
    expect(listed.body.visits[0].linkSentAt).toBe('2026-11-26T08:00:00.000Z');
    // The schedule does not ask the resident again through a customer-contact message.
    expect((await s.app.api('POST', '/api/jobs/reminders/run')).body.result).toMatchObject({ residentsAsked: 0 });
  });

  it('records a phone visit through the lifecycle: bad answers name the field and change nothing; only a visitor may record', async () => {
    const visit = await s.planCustomerVisit();
    const session = await s.session(visit.visitor);
    const bad = await s.call('POST', `/sidebar/api/visits/${visit.id}/record`, session, { method: 'phone', answers: { quality: 9, effect: 5, satisfaction: 5 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('answers.quality');
    expect((await s.app.api('GET', `/api/visits/${visit.id}`)).body.recordedAt).toBeNull();

    const answers = { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'], suggestions: '师傅很准时' };
    const stranger = await s.call('POST', `/sidebar/api/visits/${visit.id}/record`, await s.session(visit.otherSpecialist), { method: 'phone', answers });
    expect(stranger).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const ok = await s.call('POST', `/sidebar/api/visits/${visit.id}/record`, session, { method: 'phone', answers, notes: '电话回访' });
    expect(ok.status).toBe(200);
    const detail = (await s.app.api('GET', `/api/visits/${visit.id}`)).body;
    expect(detail).toMatchObject({ status: 'recorded', method: 'phone', recordedBy: OFFICE_1.staff.find((m) => m.wecomUserId === visit.visitor)!.id });
    expect(await s.call('POST', `/sidebar/api/visits/${visit.id}/survey-link`, session)).toMatchObject({ status: 409, body: { error: { code: 'survey_not_open' } } });
    expect((await s.call('GET', `/sidebar/api/contacts/${CUSTOMER}/visits`, session)).body.visits).toEqual([]);
  });

  it('answers 404 for a visit of another office', async () => {
    const session = await s.session('zhaozhuanyuan');
    expect((await s.call('POST', '/sidebar/api/visits/999999/survey-link', session)).status).toBe(404);
  });
});
