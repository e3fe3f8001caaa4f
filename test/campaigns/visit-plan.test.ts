import { describe, expect, it } from 'vitest';
import { VisitAssignee } from '../../entities';
import { HOUSEHOLD_REPAIR, workOrderEvent } from '../support/app';
import { taskOf, WecomLoop } from '../support/wecom-loop';
import { campaignBody, stored, useCampaignLoop, visitsOf } from './support';

// A property visit plan (走访计划, docs/rules.md §8.2): a campaign over residents, selected by unit or id.
let loop: WecomLoop;
useCampaignLoop('2026-12-02T02:07:00Z', (started) => (loop = started), knownResidents);

/** The residents the property knows from its work orders: a directory member, a WeChat customer and two reached by phone. */
async function knownResidents({ app }: WecomLoop): Promise<void> {
  const residents = [
    { unitId: '1-101', resident: { id: 'R-1', name: '周一', phone: '13800000001', wecomUserId: 'zhangsan', wecomExternalUserId: null, dingtalkUserId: null } },
    { unitId: '1-102', resident: { id: 'R-2', name: '吴二', phone: '13800000002', wecomUserId: null, wecomExternalUserId: 'wmEXT0002', dingtalkUserId: null } },
    { unitId: '1-102', resident: { id: 'R-3', name: '郑三', phone: '13800000003', wecomUserId: null, wecomExternalUserId: null, dingtalkUserId: null } },
    { unitId: '2-201', resident: { id: 'R-4', name: '王四', phone: '13800000004', wecomUserId: null, wecomExternalUserId: null, dingtalkUserId: null } },
  ];
  for (const [i, r] of residents.entries()) {
    expect((await app.sendEvent(workOrderEvent('created', { ...HOUSEHOLD_REPAIR, id: `WO-VP-${i}`, ...r }))).status).toBeLessThan(300);
  }
}

const visitPlan = (patch: Record<string, unknown> = {}) => {
  const { customers: _customers, ...body } = campaignBody({ name: '十二月业户走访', from: '2026-12-03', to: '2026-12-04' });
  return { ...body, ...patch };
};
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const text = (m: { content: unknown }) => JSON.stringify(m.content);

describe('a property visit plan (campaign over residents)', () => {
  it('plans one visit per resident of the units and listed, spread over the visitors and days, each with its unit and the property route', async () => {
    const res = await loop.app.api('POST', '/api/campaigns', visitPlan({ residents: { unitIds: ['1-101', '1-102'], ids: ['R-4'] } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.visits).toBe(4);
    const visits = await visitsOf(loop.app, res.body.id);
    expect(visits.map((v) => [v.kind, v.customerId, v.residentId, v.unitId, v.residentRoute])).toEqual([
      ['campaign', null, 'R-1', '1-101', 'card'],
      ['campaign', null, 'R-2', '1-102', 'external'],
      ['campaign', null, 'R-3', '1-102', 'none'],
      ['campaign', null, 'R-4', '2-201', 'none'],
    ]);
    // Two days, two visitors: one visit each per day, inside the callable hours (08:00–21:00 by default).
    const days = visits.map((v) => local(v.opensAt).slice(0, 10));
    expect(days.filter((d) => d === '2026-12-03')).toHaveLength(2);
    expect(days.filter((d) => d === '2026-12-04')).toHaveLength(2);
    for (const v of visits) {
      expect(local(v.opensAt).slice(11) >= '08:00').toBe(true);
      expect(local(v.closesAt).slice(11) <= '21:00').toBe(true);
      expect(v.residentCompletes).toBe(false);
    }
    const callers = await loop.app.db.getRepository(VisitAssignee).findBy({ visitId: visits[0].id });
    expect(callers).toHaveLength(1);
    const campaign = (await loop.app.api('GET', `/api/campaigns/${res.body.id}`)).body;
    // Residents keep the property order: online first (by their route), then the phone.
    expect(campaign.methods).toEqual(['chat', 'phone']);
    expect(campaign.selection).toEqual({ residents: { unitIds: ['1-101', '1-102'], ids: ['R-4'] } });
    expect(campaign.visits.byCaller.map((c: { total: number }) => c.total)).toEqual([2, 2]);
  });

  it('refuses a plan naming both or neither selection, unknown units or residents, and e-mail, storing nothing', async () => {
    const refused = async (body: Record<string, unknown>, field: string) => {
      const res = await loop.app.api('POST', '/api/campaigns', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await refused(visitPlan(), 'customers');
    await refused(visitPlan({ customers: { category: 'A类' }, residents: { unitIds: ['1-101'] } }), 'residents');
    await refused(visitPlan({ residents: { unitIds: ['1-101', '9-999'] } }), 'residents.unitIds');
    await refused(visitPlan({ residents: { ids: ['R-1', 'R-404'] } }), 'residents.ids');
    await refused(visitPlan({ residents: {} }), 'residents');
    await refused(visitPlan({ residents: { unitIds: ['1-101'] }, methods: ['phone', 'email'] }), 'methods');
    expect(await stored(loop.app)).toEqual({ campaigns: 0, visits: 0 });
  });

  it('records a visit the way a call is recorded, with the plan methods', async () => {
    const res = await loop.app.api('POST', '/api/campaigns', visitPlan({ residents: { unitIds: ['1-101'] }, staff: ['sp1'], from: '2026-12-02', to: '2026-12-02' }));
    const [visit] = await visitsOf(loop.app, res.body.id);
    const record = { staffId: 'sp1', reached: true, answers: { satisfaction: 4, channel: '朋友介绍' }, needs: '楼道灯常坏' };
    const byEmail = await loop.app.api('POST', `/api/visits/${visit.id}/record`, { ...record, method: 'email' });
    expect(byEmail.status).toBe(400);
    expect(byEmail.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['method']);
    const recorded = await loop.app.api('POST', `/api/visits/${visit.id}/record`, { ...record, method: 'chat' });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(recorded.body).toMatchObject({ status: 'recorded', residentId: 'R-1', unitId: '1-101', details: { reached: true, needs: '楼道灯常坏' } });
  });

  it("sends the visitor the day's list and a card naming the resident, their unit and how to reach them; the form names them too", async () => {
    const res = await loop.app.api('POST', '/api/campaigns', visitPlan({ residents: { unitIds: ['1-101', '1-102'] }, staff: ['sp1'], from: '2026-12-03', to: '2026-12-03' }));
    expect(res.status).toBe(201);
    loop.clock.set('2026-12-03T00:07:00Z');
    expect(await loop.job('campaign-calls')).toEqual({ lists: 1, cards: 3 });
    await loop.dispatch();
    const delivered = loop.fake.delivered('zhaozhuanyuan');
    const list = delivered.find((m) => text(m).includes('今日走访'))!;
    for (const t of ['今日走访：3 户', '周一（1-101）', '吴二（1-102）']) expect(text(list)).toContain(t);
    const cards = delivered.filter((m) => m.msgtype === 'template_card');
    expect(cards).toHaveLength(3);
    const first = cards.find((m) => text(m).includes('周一'))!;
    for (const t of ['业户走访', '1-101', '13800000001', '企业微信/钉钉消息', '已联系', '未接通', '/f/']) expect(text(first)).toContain(t);
    expect(text(first)).not.toContain('客户已删除');
    expect(text(cards.find((m) => text(m).includes('郑三'))!)).toContain('电话');
    // 已联系 greys the card, still naming the resident.
    await loop.tap('zhaozhuanyuan', taskOf(first), 'call_reached');
    await loop.dispatch();
    expect(JSON.stringify(loop.fake.updates('zhaozhuanyuan')[0])).toContain('周一');
    const formPath = /\/f\/[A-Za-z0-9._-]+/.exec(text(first))![0];
    const form = await (await fetch(`${loop.app.server.url}${formPath}`)).text();
    for (const t of ['周一', '1-101', '企业微信/钉钉消息', '拨打 13800000001']) expect(form).toContain(t);
  });
});
