import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolePeople, ConsoleWorld, startConsoleWorld } from './world';

/** The record form's fields for a good record, as the staff form and the correction post them. */
const GOOD_RECORD = { method: 'onsite', quality: '4', effect: '4', satisfaction: '5', shortcomings: 'none', suggestions: '保持' };

describe('/console/visits/:id — record, handle and correct through the same lifecycle commands as the admin API', () => {
  let world: ConsoleWorld;
  let p: ConsolePeople;
  let v: ConsoleWorld['visits'];
  const visit = async (id: number) => (await world.app.api('GET', `/api/visits/${id}`)).body;
  beforeAll(async () => {
    world = await startConsoleWorld();
    v = world.visits;
    p = await world.signInPeople();
  });
  afterAll(async () => world?.close());

  it("a visitor of an open visit gets the signed staff record form, and what they record there is the visit's record", async () => {
    const page = await p.deptHead.get(`/console/visits/${v.overdue}`);
    expect(page.status).toBe(200);
    const link = /<section data-section="record">[\s\S]*?href="(\/f\/[^"]+)"/.exec(page.text)?.[1];
    expect(link, 'the record link').toBeDefined();
    // As in the chat and the API: the visitors and the office's supervisor and manager record; the admin is no staff member.
    expect((await p.supervisor.get(`/console/visits/${v.overdue}`)).text).toContain('data-section="record"');
    expect((await p.admin.get(`/console/visits/${v.overdue}`)).text).not.toContain('data-section="record"');
    expect((await p.otherSupervisor.get(`/console/visits/${v.overdue}`)).status).toBe(404);

    const form = await p.deptHead.get(link!);
    expect(form.status).toBe(200);
    expect(form.text).toContain('填写回访记录');
    expect((await p.deptHead.post(link!, { step: 'record', ...GOOD_RECORD })).status).toBe(200);
    const after = await visit(v.overdue);
    expect(after.status).toBe('recorded');
    expect(after).toMatchObject({ recordedBy: 'eng1', method: 'onsite' });
    // Recorded: the link is gone from the page, the record is on it.
    const again = await p.deptHead.get(`/console/visits/${v.overdue}`);
    expect(again.text).not.toContain('data-section="record"');
    expect(again.text).toContain('保持');
  });

  it("the record's author corrects it until it is reviewed; anyone else is refused (403), another office's people get 404", async () => {
    // mgr1 recorded the fee complaint: the form is theirs, filled with the record as it stands.
    const page = await p.manager.get(`/console/visits/${v.toReview}`);
    expect(page.text).toContain(`action="/console/visits/${v.toReview}/correct"`);
    expect((await p.supervisor.get(`/console/visits/${v.toReview}`)).text).not.toContain('data-section="correct"');
    const before = await visit(v.toReview);

    for (const [who, status] of [[p.supervisor, 403], [p.deptHead, 404], [p.otherSupervisor, 404], [p.admin, 403]] as const) {
      const refused = await who.post(`/console/visits/${v.toReview}/correct`, GOOD_RECORD);
      expect(refused.status).toBe(status);
      if (status === 403) expect(refused.text).toContain('您不能对这条回访做这一步。');
    }
    const incomplete = await p.manager.post(`/console/visits/${v.toReview}/correct`, { method: 'phone' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.text).toContain('请检查：质量评价、服务效果评价、满意程度评价');
    expect(await visit(v.toReview)).toEqual(before);

    const done = await p.manager.post(`/console/visits/${v.toReview}/correct`, GOOD_RECORD);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/console/visits/${v.toReview}`);
    const after = await visit(v.toReview);
    expect(after.status).toBe('recorded');
    expect(after).toMatchObject({ method: 'onsite', recordedBy: 'mgr1', answers: { quality: 4, suggestions: '保持' } });
    expect(after.history.at(-1)).toMatchObject({ actor: 'mgr1', action: 'corrected' });
  });

  it('a reviewed record is no longer corrected: the refusal (409) is on the page in Chinese and nothing changes', async () => {
    const before = await visit(v.escalated);
    const refused = await p.manager.post(`/console/visits/${v.escalated}/correct`, GOOD_RECORD);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('记录已经审核，不能再更正。');
    expect(await visit(v.escalated)).toEqual(before);
  });

  it("the office's manager handles an escalated visit with their note; other roles 403, another office 404, a visit not escalated 409", async () => {
    expect((await p.manager.get(`/console/visits/${v.escalated}`)).text).toContain(`action="/console/visits/${v.escalated}/handle"`);
    expect((await p.supervisor.get(`/console/visits/${v.escalated}`)).text).not.toContain('data-section="handle"');
    const before = await visit(v.escalated);
    expect((await p.supervisor.post(`/console/visits/${v.escalated}/handle`, { opinion: '已安排维修' })).status).toBe(403);
    expect((await p.admin.post(`/console/visits/${v.escalated}/handle`, { opinion: '已安排维修' })).status).toBe(403);
    expect((await p.otherSupervisor.post(`/console/visits/${v.escalated}/handle`, { opinion: '已安排维修' })).status).toBe(404);
    const empty = await p.manager.post(`/console/visits/${v.escalated}/handle`, { opinion: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('opinion：');
    expect(await visit(v.escalated)).toEqual(before);

    const notEscalated = await p.manager.post(`/console/visits/${v.toReview}/handle`, { opinion: '已安排维修' });
    expect(notEscalated.status).toBe(409);
    expect(notEscalated.text).toContain('这条回访不在待经理处理的状态，不能处理。');
    expect((await visit(v.toReview)).status).toBe('recorded');

    const done = await p.manager.post(`/console/visits/${v.escalated}/handle`, { opinion: '已安排维修' });
    expect(done.status).toBe(303);
    const after = await visit(v.escalated);
    expect(after.handling).toMatchObject({ handlerId: 'mgr1', opinion: '已安排维修' });
    expect(after.history.some((h: { action: string; actor: string }) => h.action === 'handled' && h.actor === 'mgr1')).toBe(true);
    // Handled once: a second handling is the lifecycle's refusal.
    expect((await p.manager.post(`/console/visits/${v.escalated}/handle`, { opinion: '再次处理' })).status).toBe(409);
  });
});
