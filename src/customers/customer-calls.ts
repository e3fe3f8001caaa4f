import { EntityManager, In } from 'typeorm';
import { StaffMember, Visit, VisitAssignee } from '../../entities';
import { CallRecord, readCallRecord } from './call-record';

/** One campaign call of a customer, with who made it and what it recorded. */
export interface CustomerCall extends CallRecord {
  visitId: number;
  campaignId: string | null;
  status: string;
  method: string | null;
  /** When it was recorded (null while not yet made). */
  recordedAt: string | null;
  dueFrom: string;
  dueBy: string;
  /** Who recorded it, or while it is open the staff who are to call. */
  callers: Array<{ staffId: string; name: string | null }>;
}

/** Every campaign call that names the customer, oldest first (docs/rules.md §8, 客户回访记录表). */
export async function customerCalls(manager: EntityManager, officeId: string, customerId: number): Promise<CustomerCall[]> {
  const visits = await manager.getRepository(Visit).find({ where: { officeId, customerId: String(customerId), kind: 'campaign' }, order: { id: 'ASC' } });
  if (visits.length === 0) return [];
  const assignees = await manager.getRepository(VisitAssignee).find({ where: { visitId: In(visits.map((v) => v.id)) }, order: { staffId: 'ASC' } });
  const staffIds = [...new Set([...assignees.map((a) => a.staffId), ...visits.flatMap((v) => (v.recordedBy ? [v.recordedBy] : []))])];
  const names = new Map((staffIds.length ? await manager.getRepository(StaffMember).findBy({ officeId, id: In(staffIds) }) : []).map((s) => [s.id, s.name]));
  const caller = (staffId: string) => ({ staffId, name: names.get(staffId) ?? null });
  return visits.map((v) => ({
    visitId: v.id,
    campaignId: v.campaignId,
    status: v.status,
    method: v.method,
    recordedAt: v.recordedAt?.toISOString() ?? null,
    dueFrom: v.opensAt.toISOString(),
    dueBy: v.closesAt.toISOString(),
    callers: v.recordedBy ? [caller(v.recordedBy)] : assignees.filter((a) => a.visitId === v.id).map((a) => caller(a.staffId)),
    ...readCallRecord(v.details),
  }));
}
