import { expect } from 'vitest';
import { Customer, OutboundMessage, Visit } from '../../entities';
import { TestApp } from '../support/app';
import { csvText, upload } from '../customers/support';

/*
 * The campaign side of the closing and report tests, through the admin API as an operator and a
 * caller use it: the campaign set up with `POST /api/campaigns`, each call recorded (or attempted)
 * with `POST /api/visits/:id/record` — nothing written into the tables directly.
 */

/** Office-1 with a supervisor, a manager and two callers, working Monday–Friday 09:00–18:00. */
export const CAMPAIGN_OFFICE = {
  name: '一号销售服务中心',
  timeZone: 'Asia/Shanghai',
  channel: 'wecom',
  policy: { workingHours: { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] } },
  staff: [
    { id: 'sup1', name: '李主管', roles: ['supervisor'], wecomUserId: 'lizhuguan' },
    { id: 'mgr1', name: '王经理', roles: ['manager'], wecomUserId: 'wangjingli' },
    { id: 'sp1', name: '赵专员', roles: ['specialist'], wecomUserId: 'zhaozhuanyuan' },
    { id: 'sp2', name: '钱专员', roles: ['specialist'], wecomUserId: 'qianzhuanyuan' },
  ],
};

export const QUESTIONS = [
  { key: 'service', text: '对我们的服务满意吗', type: 'rating' as const },
  { key: 'product', text: '对产品满意吗', type: 'rating' as const },
  { key: 'channel', text: '从哪里知道我们', type: 'choice' as const, options: ['展会', '网站', '朋友'] },
];

/** Imports `count` customers 客户01… through the import API; their ids in that order. */
export async function importCustomers(app: TestApp, count: number): Promise<number[]> {
  const rows = Array.from({ length: count }, (_, i) => [`客户${String(i + 1).padStart(2, '0')}`, `1380013${String(8000 + i).padStart(4, '0')}`, '经销商']);
  const res = await upload(app, csvText([['姓名', '电话', '分类'], ...rows]));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const customers = await app.db.getRepository(Customer).find({ where: { officeId: 'office-1' }, order: { name: 'ASC' } });
  return customers.map((c) => c.id);
}

/**
 * A campaign over `from`–`to` for the customers, called by sp1 and sp2 in turn, set up through
 * `POST /api/campaigns`: its id and its calls' visit ids in customer order (the planner's order).
 */
export async function startCampaign(app: TestApp, customerIds: number[], days: { from: string; to: string }): Promise<{ campaignId: string; calls: number[] }> {
  const res = await app.api('POST', '/api/campaigns', {
    officeId: 'office-1',
    name: '经销商回访',
    purposes: ['relation', 'inquiry'],
    questions: QUESTIONS,
    ...days,
    customers: { ids: customerIds },
    staff: ['sp1', 'sp2'],
    methods: ['phone', 'chat'],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const visits = await app.db.getRepository(Visit).find({ where: { campaignId: res.body.id }, order: { id: 'ASC' } });
  const byCustomer = new Map(visits.map((v) => [Number(v.customerId), v.id]));
  return { campaignId: res.body.id, calls: customerIds.map((id) => byCustomer.get(id)!) };
}

/** What a caller sends for a call (客户回访记录表, docs/api.md): reached with answers, or not reached (an attempt). */
export type CallRecordBody = { method?: 'phone' | 'chat'; reached: boolean; answers?: Record<string, unknown>; inquiryValid?: boolean; complaints?: string; opinions?: Record<string, string> };

/**
 * A caller's call, now on the app's clock, through `POST /api/visits/:id/record`. The reminders
 * sweep runs first, as the scheduler would have, so a call whose day has come is open (due).
 */
export async function recordCall(app: TestApp, visitId: number, staffId: string, body: CallRecordBody): Promise<void> {
  expect((await app.api('POST', '/api/jobs/reminders/run')).status).toBe(200);
  const res = await app.api('POST', `/api/visits/${visitId}/record`, { staffId, method: 'phone', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.status).toBe(body.reached ? 'recorded' : 'in_progress');
}

/** The outbox rows of a purpose to one staff member, oldest first, with their text. */
export async function messagesTo(app: TestApp, staffId: string, purpose: string): Promise<{ key: string; text: string }[]> {
  const rows = await app.db.getRepository(OutboundMessage).find({ where: { recipientId: staffId, purpose }, order: { id: 'ASC' } });
  return rows.map((r) => ({ key: r.dedupeKey, text: JSON.stringify(r.payload) }));
}
