import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Office, Resident, StaffMember, Visit, VisitAssignee, VisitStatus, WorkOrder } from '../../entities';
import { teamKeyOf } from '../../src/db/team-key';
import { countDecisions } from '../../src/db/sampling-quotas';
import { adjustTallies, TalliedVisit, tallyChanges } from '../../src/db/visit-tallies';

/** An instant given as Shanghai wall-clock time, e.g. `at('2026-10-05 15:00')`. */
export function at(local: string): Date {
  const parsed = DateTime.fromFormat(local, local.length > 10 ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd', { zone: 'Asia/Shanghai' });
  if (!parsed.isValid) throw new Error(`bad local time ${local}`);
  return parsed.toJSDate();
}

export const STAFF = [
  { id: 'sup1', name: '李主管', roles: ['supervisor'], wecomUserId: 'lizhuguan' },
  { id: 'mgr1', name: '王经理', roles: ['manager'], wecomUserId: 'wangjingli' },
  { id: 'sp1', name: '赵专员', roles: ['specialist'], wecomUserId: 'zhaozhuanyuan' },
  { id: 'sp2', name: '钱专员', roles: ['specialist'], wecomUserId: 'qianzhuanyuan' },
  { id: 'eng1', name: '孙工', roles: ['dept_head'], department: 'engineering', wecomUserId: 'sungong' },
] as const;

export async function insertOffice(db: DataSource, id = 'office-1', extra: Partial<Office> = {}): Promise<void> {
  const now = at('2026-09-01');
  await db
    .createQueryBuilder()
    .insert()
    .into(Office)
    .values({ id, name: '一号物业服务中心', timeZone: 'Asia/Shanghai', channel: 'wecom', rateTargets: null, policy: null, createdAt: now, updatedAt: now, ...extra })
    .execute();
  await db
    .createQueryBuilder()
    .insert()
    .into(StaffMember)
    .values(
      STAFF.map((s) => ({
        officeId: id,
        id: s.id,
        name: s.name,
        roles: [...s.roles],
        department: 'department' in s ? s.department : null,
        wecomUserId: s.wecomUserId,
        dingtalkUserId: null,
        active: true,
        updatedAt: now,
      })),
    )
    .execute();
}

let eventSeq = 0;

/** A completed work order, counted in the quarter of its completion. */
export async function insertWorkOrder(
  db: DataSource,
  order: { id: string; kind: string; completedAt: Date; quarter: string; sampling: 'selected' | 'not_sampled'; unitId?: string; matterKey?: string } & Partial<WorkOrder>,
): Promise<void> {
  eventSeq += 1;
  await db
    .createQueryBuilder()
    .insert()
    .into(WorkOrder)
    .values({
      officeId: 'office-1',
      severity: order.kind === 'complaint' ? 'general' : null,
      department: order.kind === 'complaint' ? 'engineering' : null,
      title: `工单 ${order.id}`,
      residentId: null,
      state: 'completed',
      // Received when completed, unless said otherwise: the repeat complaints below go by it.
      receivedAt: order.completedAt,
      completions: 1,
      samplingReason: order.sampling === 'selected' ? 'quota' : 'quota_met',
      lastEventAt: order.completedAt,
      lastEventId: `evt-${eventSeq}`,
      createdAt: order.completedAt,
      updatedAt: order.completedAt,
      ...order,
    })
    .execute();
  // As the sampler counts it (src/db/sampling-quotas.ts).
  await countDecisions(db.manager, [{ officeId: order.officeId ?? 'office-1', kind: order.kind, quarter: order.quarter, eligible: 1, selected: order.sampling === 'selected' ? 1 : 0 }]);
}

/** A visit with its visitors; `recordedAt` makes it recorded, `late` follows from the window. */
export async function insertVisit(
  db: DataSource,
  visit: {
    workOrderId: string;
    kind: string;
    quarter: string;
    opensAt: Date;
    closesAt: Date;
    assignees: string[];
    recordedAt?: Date | null;
    satisfaction?: number | null;
  } & Partial<Visit>,
): Promise<number> {
  const recordedAt = visit.recordedAt ?? null;
  const { assignees, ...values } = visit;
  const row: Partial<Visit> = {
      officeId: 'office-1',
      generation: 1,
      purpose: 'main',
      // As planning writes it: the follow-up counts in the rates, a mid-contract visit does not.
      countsForRate: visit.purpose !== 'mid_contract',
      // As the store writes it with the visitors.
      teamKey: teamKeyOf(visit.assignees),
      status: recordedAt ? (visit.verdict === 'unqualified' ? VisitStatus.Unqualified : VisitStatus.Recorded) : VisitStatus.Due,
      residentId: null,
      unitId: null,
      residentRoute: 'none' as const,
      method: recordedAt ? 'phone' : null,
      quality: recordedAt ? (visit.satisfaction ?? 4) : null,
      effect: recordedAt ? (visit.satisfaction ?? 4) : null,
      late: recordedAt !== null && recordedAt > visit.closesAt,
      recordedBy: recordedAt ? assignees[0] : null,
      createdAt: visit.opensAt,
      updatedAt: recordedAt ?? visit.opensAt,
      ...values,
      recordedAt,
  };
  const insert = await db.createQueryBuilder().insert().into(Visit).values(row).execute();
  const id = Number(insert.identifiers[0].id);
  // As the store counts it (src/db/visit-tallies.ts).
  await adjustTallies(db.manager, tallyChanges(null, { ...row, staffIds: assignees } as TalliedVisit));
  if (assignees.length > 0) {
    await db
      .createQueryBuilder()
      .insert()
      .into(VisitAssignee)
      .values(assignees.map((staffId) => ({ visitId: id, staffId, officeId: values.officeId ?? 'office-1', role: staffId.startsWith('eng') ? 'dept_head' : 'specialist' })))
      .execute();
  }
  return id;
}

export async function insertResident(db: DataSource, resident: Partial<Resident> & { id: string }): Promise<void> {
  await db
    .createQueryBuilder()
    .insert()
    .into(Resident)
    .values({ officeId: 'office-1', name: null, phone: null, wecomUserId: null, updatedAt: at('2026-09-01'), ...resident })
    .execute();
}

/** Ids of the fixture's visits, to name them in assertions. */
export interface QuarterFixture {
  visits: Record<string, number>;
}

/**
 * 2026-Q4 of office-1 (Asia/Shanghai), with every figure known (see the statistics test):
 * repairs R1–R5 (U1 leak ×3, U2 leak ×2), complaints C1, C2 (U3 noise, 80 days apart),
 * C4 (U4 smell, 100 days after C3 in Q3), C6 (U5 door, 80 days after C5 in Q3), a special
 * service S1 with its two visits, help H1 (reopened: two generations), H2 (not sampled) and H3
 * (visit cancelled). Plus noise that must not count: another office, another quarter.
 */
export async function seedQuarter(db: DataSource): Promise<QuarterFixture> {
  const v: Record<string, number> = {};
  const q4 = '2026-Q4';
  const wo = (id: string, kind: string, completed: string, sampling: 'selected' | 'not_sampled', unitId: string, matterKey: string, quarter = q4) =>
    insertWorkOrder(db, { id, kind, completedAt: at(completed), quarter, sampling, unitId, matterKey });

  await wo('R1', 'repair', '2026-10-05 10:00', 'selected', 'U1', 'leak');
  await wo('R2', 'repair', '2026-10-20 10:00', 'selected', 'U1', 'leak');
  await wo('R3', 'repair', '2026-11-02 10:00', 'selected', 'U1', 'leak');
  await wo('R4', 'repair', '2026-11-15 10:00', 'not_sampled', 'U2', 'leak');
  await wo('R5', 'repair', '2026-12-01 10:00', 'selected', 'U2', 'leak');
  v.R1 = await insertVisit(db, { workOrderId: 'R1', kind: 'repair', quarter: q4, unitId: 'U1', opensAt: at('2026-11-05'), closesAt: at('2026-12-05 23:59'), assignees: ['sp1'], recordedAt: at('2026-11-10 10:00'), satisfaction: 5 });
  v.R2 = await insertVisit(db, { workOrderId: 'R2', kind: 'repair', quarter: q4, unitId: 'U1', opensAt: at('2026-11-20'), closesAt: at('2026-12-20 23:59'), assignees: ['sp1'], recordedAt: at('2026-12-22 10:00'), satisfaction: 3 });
  v.R3 = await insertVisit(db, { workOrderId: 'R3', kind: 'repair', quarter: q4, unitId: 'U1', opensAt: at('2026-12-02'), closesAt: at('2027-01-02 23:59'), assignees: ['sp2'] });
  v.R5 = await insertVisit(db, { workOrderId: 'R5', kind: 'repair', quarter: q4, unitId: 'U2', opensAt: at('2027-01-01'), closesAt: at('2027-02-01 23:59'), assignees: ['sp2'], recordedAt: at('2027-01-03 10:00'), satisfaction: 4 });

  await wo('C3', 'complaint', '2026-07-05 10:00', 'selected', 'U4', 'smell', '2026-Q3');
  await wo('C5', 'complaint', '2026-08-20 10:00', 'selected', 'U5', 'door', '2026-Q3');
  await wo('C1', 'complaint', '2026-10-10 10:00', 'selected', 'U3', 'noise');
  await wo('C2', 'complaint', '2026-12-29 10:00', 'selected', 'U3', 'noise');
  await wo('C4', 'complaint', '2026-10-13 10:00', 'selected', 'U4', 'smell');
  await wo('C6', 'complaint', '2026-11-08 10:00', 'selected', 'U5', 'door');
  v.C1 = await insertVisit(db, { workOrderId: 'C1', kind: 'complaint', quarter: q4, unitId: 'U3', opensAt: at('2026-10-10 10:00'), closesAt: at('2026-10-13 23:59'), assignees: ['eng1', 'sp2'], recordedAt: at('2026-10-11 10:00'), satisfaction: 2, verdict: 'unqualified' });
  v.C2 = await insertVisit(db, { workOrderId: 'C2', kind: 'complaint', quarter: q4, unitId: 'U3', opensAt: at('2026-12-29 10:00'), closesAt: at('2027-01-01 23:59'), assignees: ['eng1', 'sp1'], recordedAt: at('2026-12-30 10:00'), satisfaction: 5 });
  v.C4 = await insertVisit(db, { workOrderId: 'C4', kind: 'complaint', quarter: q4, unitId: 'U4', opensAt: at('2026-10-13 10:00'), closesAt: at('2026-10-16 23:59'), assignees: ['eng1', 'sp1'], recordedAt: at('2026-10-18 10:00'), satisfaction: 4 });
  v.C6 = await insertVisit(db, { workOrderId: 'C6', kind: 'complaint', quarter: q4, unitId: 'U5', opensAt: at('2026-11-08 10:00'), closesAt: at('2026-11-11 23:59'), assignees: ['eng1', 'sp2'], status: VisitStatus.Overdue });

  await wo('S1', 'special_service', '2026-12-15 10:00', 'selected', 'U6', 'cleaning');
  v.S1mid = await insertVisit(db, { workOrderId: 'S1', kind: 'special_service', purpose: 'mid_contract', quarter: q4, unitId: 'U6', opensAt: at('2026-11-01'), closesAt: at('2026-11-20'), assignees: ['sp1'], recordedAt: at('2026-11-05 10:00'), satisfaction: 4 });
  v.S1after = await insertVisit(db, { workOrderId: 'S1', kind: 'special_service', purpose: 'after_contract', quarter: q4, unitId: 'U6', opensAt: at('2026-12-15 10:00'), closesAt: at('2026-12-22 23:59'), assignees: ['sp1'], recordedAt: at('2026-12-16 10:00'), satisfaction: 5 });

  await insertWorkOrder(db, { id: 'H1', kind: 'help', completedAt: at('2026-11-28 10:00'), quarter: q4, sampling: 'selected', unitId: 'U7', matterKey: 'lock', completions: 2 });
  await wo('H2', 'help', '2026-12-05 10:00', 'not_sampled', 'U8', 'lock');
  await wo('H3', 'help', '2026-12-20 10:00', 'selected', 'U9', 'lock');
  // The reopen took the first generation's visit out of the rates.
  v.H1gen1 = await insertVisit(db, { workOrderId: 'H1', kind: 'help', countsForRate: false, quarter: q4, unitId: 'U7', opensAt: at('2026-11-20 10:00'), closesAt: at('2026-11-27 23:59'), assignees: ['sp2'], recordedAt: at('2026-11-21 10:00'), satisfaction: 3 });
  v.H1gen2 = await insertVisit(db, { workOrderId: 'H1', kind: 'help', generation: 2, quarter: q4, unitId: 'U7', opensAt: at('2026-11-28 10:00'), closesAt: at('2026-12-05 23:59'), assignees: ['sp2'], recordedAt: at('2026-12-07 10:00'), satisfaction: 4 });
  v.H3 = await insertVisit(db, { workOrderId: 'H3', kind: 'help', quarter: q4, unitId: 'U9', opensAt: at('2026-12-20 10:00'), closesAt: at('2026-12-27 23:59'), assignees: ['sp1'], status: VisitStatus.Cancelled, cancelReason: 'work_order_cancelled' });

  // Noise: the same kinds in another office and in the next quarter count nowhere here.
  await insertWorkOrder(db, { id: 'X1', officeId: 'office-2', kind: 'repair', completedAt: at('2026-11-01 10:00'), quarter: q4, sampling: 'selected', unitId: 'U1', matterKey: 'leak' });
  await insertVisit(db, { officeId: 'office-2', workOrderId: 'X1', kind: 'repair', quarter: q4, unitId: 'U1', opensAt: at('2026-12-01'), closesAt: at('2027-01-01'), assignees: ['sp1'], recordedAt: at('2026-12-02 10:00'), satisfaction: 1 });
  await wo('N1', 'repair', '2027-01-02 10:00', 'selected', 'U1', 'leak', '2027-Q1');
  await insertVisit(db, { workOrderId: 'N1', kind: 'repair', quarter: '2027-Q1', unitId: 'U1', opensAt: at('2027-01-02'), closesAt: at('2027-02-02'), assignees: ['sp1'], recordedAt: at('2027-01-03 10:00'), satisfaction: 1 });
  return { visits: v };
}
