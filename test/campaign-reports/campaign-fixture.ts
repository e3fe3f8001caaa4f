import { recountTallies } from '../../src/db/visit-tallies';
import { expect } from 'vitest';
import { Customer, OutboundMessage, Visit, VisitStatus } from '../../entities';
import { planCampaignCalls } from '../../src/sandbox/demo-campaign-plan';
import { TestApp } from '../support/app';
import { csvText, upload } from '../customers/support';

/*
 * The campaign side of the closing and report tests, in one file so it can be swapped for the
 * real campaign API (`POST /api/campaigns`, the campaign call record) when that is merged: the
 * campaign is planned with the sandbox's stand-in planner, a call's record written into the
 * visit's `details` as the record API will store it.
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

/** A campaign over `startsOn`–`endsOn` for the customers, called by sp1 and sp2 in turn; its visit ids. */
export function startCampaign(app: TestApp, customerIds: number[], days: { startsOn: string; endsOn: string }, id = 'camp-1'): Promise<number[]> {
  return planCampaignCalls(app.db, {
    id,
    officeId: 'office-1',
    name: '经销商回访',
    purposes: ['relation', 'inquiry'],
    questions: QUESTIONS,
    ...days,
    customerIds,
    staffIds: ['sp1', 'sp2'],
    methods: ['phone', 'chat'],
    zone: 'Asia/Shanghai',
    day: { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] },
    now: app.clock.now(),
  });
}

/** A caller's record of a call (客户回访记录表), now on the app's clock. */
export async function recordCall(app: TestApp, visitId: number, staffId: string, details: Record<string, unknown>): Promise<void> {
  await app.db.getRepository(Visit).update(
    { id: visitId },
    { status: VisitStatus.Recorded, method: 'phone', details: details as Visit['details'], recordedAt: app.clock.now(), recordedBy: staffId, updatedAt: app.clock.now() },
  );
  // Written straight into the table, not through the lifecycle: the kept counts are counted again.
  await recountTallies(app.db.manager);
}

/** The outbox rows of a purpose to one staff member, oldest first, with their text. */
export async function messagesTo(app: TestApp, staffId: string, purpose: string): Promise<{ key: string; text: string }[]> {
  const rows = await app.db.getRepository(OutboundMessage).find({ where: { recipientId: staffId, purpose }, order: { id: 'ASC' } });
  return rows.map((r) => ({ key: r.dedupeKey, text: JSON.stringify(r.payload) }));
}
