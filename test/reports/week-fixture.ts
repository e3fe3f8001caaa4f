import { DataSource } from 'typeorm';
import { VisitStatus } from '../../entities';
import { at, insertVisit, insertWorkOrder } from './quarter-fixture';

/** ISO week 2026-W48 in Shanghai: Monday 23 November 00:00 to Monday 30 November 00:00. */
export const WEEK = '2026-W48';

/**
 * Visits around 2026-W48 of office-1, with every figure of the week known (see the weekly
 * summary tests). Work orders and visits only: the office and staff come from the caller.
 */
export async function seedWeek(db: DataSource): Promise<Record<string, number>> {
  const v: Record<string, number> = {};
  const order = (id: string, kind: string, completed: string, quarter: string, title: string, unitId: string) =>
    insertWorkOrder(db, { id, kind, completedAt: at(completed), quarter, sampling: 'selected', unitId, matterKey: 'm', title });

  await order('WO-A', 'complaint', '2026-11-20 10:00', '2026-Q4', '电梯异响', 'B3-1202');
  v.A = await insertVisit(db, {
    workOrderId: 'WO-A', kind: 'complaint', quarter: '2026-Q4', unitId: 'B3-1202',
    opensAt: at('2026-11-20 10:00'), closesAt: at('2026-11-23 23:59'), assignees: ['eng1', 'sp1'],
    recordedAt: at('2026-11-23 10:00'), satisfaction: 2, verdict: 'unqualified',
  });
  await order('WO-B', 'repair', '2026-09-25 10:00', '2026-Q3', '水管漏水', 'A1-101');
  v.B = await insertVisit(db, {
    workOrderId: 'WO-B', kind: 'repair', quarter: '2026-Q3', unitId: 'A1-101',
    opensAt: at('2026-10-25'), closesAt: at('2026-11-25 23:59'), assignees: ['sp2'], status: VisitStatus.Overdue,
  });
  await order('WO-C', 'help', '2026-11-24 10:00', '2026-Q4', '开锁求助', 'A2-202');
  v.C = await insertVisit(db, {
    workOrderId: 'WO-C', kind: 'help', quarter: '2026-Q4', unitId: 'A2-202',
    opensAt: at('2026-11-24 10:00'), closesAt: at('2026-12-01 23:59'), assignees: ['sp1'],
    recordedAt: at('2026-11-26 10:00'), satisfaction: 5, residentConfirmedAt: at('2026-11-26 10:05'),
  });
  await order('WO-D', 'repair', '2026-09-27 10:00', '2026-Q3', '灯具维修', 'A3-303');
  v.D = await insertVisit(db, {
    workOrderId: 'WO-D', kind: 'repair', quarter: '2026-Q3', unitId: 'A3-303',
    opensAt: at('2026-10-27'), closesAt: at('2026-11-27 23:59'), assignees: ['sp2'],
    recordedAt: at('2026-11-28 10:00'), satisfaction: 4, residentConfirmedAt: at('2026-11-29 10:00'),
  });
  await order('WO-E', 'repair', '2026-10-29 10:00', '2026-Q4', '门窗维修', 'A4-404');
  v.E = await insertVisit(db, { workOrderId: 'WO-E', kind: 'repair', quarter: '2026-Q4', unitId: 'A4-404', opensAt: at('2026-11-29'), closesAt: at('2026-12-29 23:59'), assignees: ['sp1'] });
  await order('WO-F', 'help', '2026-11-10 10:00', '2026-Q4', '搬运求助', 'A5-505');
  v.F = await insertVisit(db, {
    workOrderId: 'WO-F', kind: 'help', quarter: '2026-Q4', unitId: 'A5-505',
    opensAt: at('2026-11-10 10:00'), closesAt: at('2026-11-17 23:59'), assignees: ['sp2'], recordedAt: at('2026-11-16 10:00'), satisfaction: 3,
  });
  await order('WO-G', 'complaint', '2026-11-24 10:00', '2026-Q4', '噪音投诉', 'A6-606');
  v.G = await insertVisit(db, {
    workOrderId: 'WO-G', kind: 'complaint', quarter: '2026-Q4', unitId: 'A6-606',
    opensAt: at('2026-11-24 10:00'), closesAt: at('2026-11-27 23:59'), assignees: ['eng1', 'sp2'], status: VisitStatus.Cancelled,
  });
  await order('WO-H', 'help', '2026-11-22 10:00', '2026-Q4', '代收快递', 'A7-707');
  v.H = await insertVisit(db, {
    workOrderId: 'WO-H', kind: 'help', quarter: '2026-Q4', unitId: 'A7-707',
    opensAt: at('2026-11-22 10:00'), closesAt: at('2026-11-29 23:59'), assignees: ['sp1'], recordedAt: at('2026-11-30 01:00'), satisfaction: 5,
  });
  return v;
}
