import { recountTallies } from '../../src/db/visit-tallies';
import { Customer, Visit, VisitAssignee, VisitStatus } from '../../entities';
import { TestApp } from '../support/app';
import { csvText, upload } from './support';

/**
 * A small archive with campaign calls written straight into `visits.details`, the way the call
 * record (客户回访记录表) keeps them. Customers by region and product:
 *
 * | customer | region | product | calls                                                  | counts as          |
 * |----------|--------|---------|--------------------------------------------------------|--------------------|
 * | 甲       | 华东   | 挖掘机  | reached, valid                                         | reached, valid     |
 * | 乙       | 华东   | 挖掘机  | reached, not valid                                     | reached            |
 * | 丙       | 华东   | 挖掘机  | reached valid (12-01), then reached not valid (12-02)   | reached (latest)   |
 * | 丁       | 华东   | 挖掘机  | not reached                                            | —                  |
 * | 戊       | 华南   | 装载机  | reached, valid                                         | reached, valid     |
 * | 己       | 华南   | —       | none                                                   | —                  |
 * | 庚       | —      | 挖掘机  | reached, valid, but not recorded yet (planned)         | —                  |
 *
 * and office-2's 辛 (华东, 挖掘机) reached and valid, which office-1's figures never count.
 */
export async function seedCalls(app: TestApp): Promise<Record<string, number>> {
  const sheet = csvText([
    ['姓名', '电话', '地区', '产品', '分类'],
    ['甲', '13800000001', '华东', '挖掘机', 'A类'],
    ['乙', '13800000002', '华东', '挖掘机', 'A类'],
    ['丙', '13800000003', '华东', '挖掘机', 'A类'],
    ['丁', '13800000004', '华东', '挖掘机', 'B类'],
    ['戊', '13800000005', '华南', '装载机', 'B类'],
    ['己', '13800000006', '华南', '', 'B类'],
    ['庚', '13800000007', '', '挖掘机', 'B类'],
  ]);
  const imported = await upload(app, sheet);
  if (imported.status !== 200 || imported.body.imported !== 7) throw new Error(`fixture import failed: ${JSON.stringify(imported.body)}`);
  await app.api('PUT', '/api/offices/office-2', { name: '二号', staff: [{ id: 'x1', name: '外人', roles: ['specialist'] }] });
  const other = await app.db.getRepository(Customer).save({
    officeId: 'office-2',
    name: '辛',
    phone: '13800000008',
    region: '华东',
    product: '挖掘机',
    externalId: null,
    company: null,
    email: null,
    wecomUserId: null,
    wecomExternalUserId: null,
    dingtalkUserId: null,
    category: null,
    inquiryDate: null,
    inquiry: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  const ids: Record<string, number> = { 辛: other.id };
  for (const c of await app.db.getRepository(Customer).findBy({ officeId: 'office-1' })) ids[c.name] = c.id;

  const full = (reached: boolean, inquiryValid: boolean) => ({
    reached,
    inquiryValid,
    answers: { 对销售人员的印象: '专业，回复及时', 是否还在考虑: '是' },
    needs: '需要两台 20 吨挖掘机',
    opinions: { presale: '报价清楚', sale: '交期偏长', aftersale: '还没用到' },
    complaints: '样本册寄得太慢',
    followUp: '下周寄送报价单',
  });
  await call(app, ids['甲'], '2026-12-01T02:00:00Z', full(true, true), 'sp1');
  await call(app, ids['乙'], '2026-12-01T03:00:00Z', { reached: true, inquiryValid: false, complaints: '<b onclick="x()">太贵</b>' }, 'sp2');
  await call(app, ids['丙'], '2026-12-01T04:00:00Z', { reached: true, inquiryValid: true }, 'sp1');
  await call(app, ids['丙'], '2026-12-02T04:00:00Z', { reached: true, inquiryValid: false, followUp: ['再打一次', '发资料'] }, 'sp2');
  await call(app, ids['丁'], '2026-12-01T05:00:00Z', { reached: false }, 'sp1');
  await call(app, ids['戊'], '2026-12-01T06:00:00Z', { reached: true, inquiryValid: true }, 'sp2');
  await call(app, ids['庚'], null, { reached: true, inquiryValid: true }, 'sp1');
  await call(app, ids['辛'], '2026-12-01T07:00:00Z', { reached: true, inquiryValid: true }, 'x1', 'office-2');
  // Written straight into the tables, not through the lifecycle: the kept counts are counted again.
  await recountTallies(app.db.manager);
  return ids;
}

/** One campaign call: recorded at `recordedAt` by `staffId`, or still planned (assigned to them) when null. */
async function call(app: TestApp, customerId: number, recordedAt: string | null, details: Record<string, unknown>, staffId: string, officeId = 'office-1') {
  const at = new Date('2026-11-30T01:00:00Z');
  const visit = await app.db.getRepository(Visit).save({
    officeId,
    kind: 'campaign',
    purpose: 'main',
    status: recordedAt ? VisitStatus.Recorded : VisitStatus.Planned,
    quarter: '2026-Q4',
    opensAt: at,
    closesAt: new Date('2026-12-11T10:00:00Z'),
    campaignId: 'CAMP-1',
    customerId: String(customerId),
    details: details as Visit['details'],
    method: recordedAt ? 'phone' : null,
    recordedAt: recordedAt ? new Date(recordedAt) : null,
    recordedBy: recordedAt ? staffId : null,
    createdAt: at,
    updatedAt: at,
  });
  if (!recordedAt) await app.db.getRepository(VisitAssignee).save({ visitId: visit.id, staffId, officeId, role: 'visitor' });
}
