import { DateTime } from 'luxon';
import { DataSource, In, LessThan } from 'typeorm';
import { OPEN_VISIT_STATUSES, Visit, VisitAssignee, VisitStatus, WorkOrder } from '../../../entities';
import { SERVICE_LABELS } from '../../../cards/components/labels';
import { STATUS_LABELS } from '../../staff-form/staff-form-view';

/** One visit as the console lists it. */
export interface VisitRow {
  id: number;
  kind: string;
  title: string;
  unitId: string | null;
  status: string;
  /** The deadline that matters for the list (window close, or the handling deadline). */
  due: string;
  late: boolean;
}

/** How many rows a list on the glance shows at most (the visits list pages through the rest). */
export const LIST_LIMIT = 20;

/**
 * The glance's lists of one office (docs/rules.md §4): overdue visits, records waiting for
 * review, escalations waiting for the manager's handling (past their deadline first).
 */
export async function officeLists(dataSource: DataSource, officeId: string, now: Date, zone: string) {
  const visits = dataSource.getRepository(Visit);
  const [overdue, toReview, escalated] = await Promise.all([
    visits.find({ where: { officeId, status: VisitStatus.Overdue }, order: { closesAt: 'ASC' }, take: LIST_LIMIT }),
    visits.find({ where: { officeId, status: In([VisitStatus.Recorded, VisitStatus.Unqualified]) }, order: { recordedAt: 'ASC' }, take: LIST_LIMIT }),
    visits.find({ where: { officeId, status: VisitStatus.Escalated }, order: { handleBy: 'ASC' }, take: LIST_LIMIT }),
  ]);
  const pastDeadline = await visits.count({ where: { officeId, status: VisitStatus.Escalated, handleBy: LessThan(now) } });
  return {
    overdue: await rows(dataSource, overdue, zone, (v) => ({ due: v.closesAt, late: true })),
    toReview: await rows(dataSource, toReview, zone, (v) => ({ due: v.recordedAt ?? v.closesAt, late: false })),
    escalated: await rows(dataSource, escalated, zone, (v) => ({ due: v.handleBy ?? v.escalatedAt ?? v.closesAt, late: v.handleBy !== null && v.handleBy < now })),
    pastDeadline,
  };
}

/** The open visits a staff member carries out in an office, the most pressing first. */
export async function ownOpenVisits(dataSource: DataSource, officeId: string, staffId: string, now: Date, zone: string): Promise<VisitRow[]> {
  const mine = await dataSource.getRepository(VisitAssignee).find({ select: { visitId: true }, where: { officeId, staffId } });
  if (mine.length === 0) return [];
  const open = await dataSource.getRepository(Visit).find({
    where: { id: In(mine.map((m) => m.visitId)), officeId, status: In([...OPEN_VISIT_STATUSES]) },
    order: { closesAt: 'ASC' },
    take: LIST_LIMIT,
  });
  return rows(dataSource, open, zone, (v) => ({ due: v.closesAt, late: v.closesAt < now }));
}

async function rows(dataSource: DataSource, visits: Visit[], zone: string, deadline: (v: Visit) => { due: Date; late: boolean }): Promise<VisitRow[]> {
  const orderIds = [...new Set(visits.map((v) => v.workOrderId).filter((id): id is string => id !== null))];
  const orders = orderIds.length ? await dataSource.getRepository(WorkOrder).find({ select: { officeId: true, id: true, title: true }, where: { id: In(orderIds) } }) : [];
  const titleOf = new Map(orders.map((o) => [`${o.officeId}/${o.id}`, o.title]));
  return visits.map((v) => {
    const { due, late } = deadline(v);
    return {
      id: v.id,
      kind: SERVICE_LABELS[v.kind as keyof typeof SERVICE_LABELS] ?? v.kind,
      title: (v.workOrderId ? titleOf.get(`${v.officeId}/${v.workOrderId}`) : null) ?? v.workOrderId ?? `#${v.id}`,
      unitId: v.unitId,
      status: STATUS_LABELS[v.status] ?? v.status,
      due: DateTime.fromJSDate(due, { zone }).toFormat('M月d日 HH:mm'),
      late,
    };
  });
}
