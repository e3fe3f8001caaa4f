import { And, EntityManager, FindOptionsWhere, In, IsNull, LessThan, MoreThanOrEqual, Not } from 'typeorm';
import { Customer, Resident, Visit, VisitAssignee, VisitHistoryEntry, VisitStatus } from '../../entities';
import { sqlInstant } from '../reports/sql-values';

/** One call of a campaign as the closing and the report see it: who calls whom, on which day, and the record. */
export interface CampaignCall {
  visitId: number;
  campaignId: string;
  /** The caller (the visit's first visitor, else who recorded it). */
  staffId: string | null;
  /** The customer's name, or a visit plan's resident's name and unit. */
  customerName: string | null;
  /** The call's day starts here (the visit's window opens). */
  opensAt: Date;
  recordedAt: Date | null;
  details: unknown;
  /** When the caller tried and did not reach the customer (only read for the weekly report). */
  attempts: Date[];
}

/** Instants from `from` (inclusive) to `to` (exclusive). */
export const within = (from: Date, to: Date) => And(MoreThanOrEqual(from), LessThan(to));

/** Campaign calls planned in a span (not cancelled) that still have no record, of one office. */
export function unrecordedCalls(manager: EntityManager, officeId: string, from: Date, to: Date): Promise<CampaignCall[]> {
  return loadCalls(manager, [{ officeId, kind: 'campaign', campaignId: Not(IsNull()), recordedAt: IsNull(), status: Not(VisitStatus.Cancelled), opensAt: within(from, to) }]);
}

/**
 * A campaign's calls planned in a span, recorded in it or tried in it without reaching the
 * customer (the weekly report), with those tries of the span.
 */
export async function callsOfWeek(manager: EntityManager, campaignId: string, from: Date, to: Date): Promise<CampaignCall[]> {
  const base = { campaignId, kind: 'campaign', status: Not(VisitStatus.Cancelled) };
  const tries: Array<{ visitId: unknown; at: unknown }> = await manager
    .createQueryBuilder(VisitHistoryEntry, 'h')
    .innerJoin(Visit, 'v', 'v.id = h.visitId')
    .select(['h.visitId AS visitId', 'h.at AS at'])
    .where('v.campaignId = :campaignId AND h.action = :action AND h.at >= :from AND h.at < :to', { campaignId, action: 'call_attempt', from, to })
    .getRawMany();
  const triedIds = [...new Set(tries.map((t) => Number(t.visitId)))];
  const calls = await loadCalls(manager, [
    { ...base, opensAt: within(from, to) },
    { ...base, recordedAt: within(from, to) },
    ...(triedIds.length > 0 ? [{ ...base, id: In(triedIds) }] : []),
  ]);
  for (const t of tries) calls.find((c) => c.visitId === Number(t.visitId))?.attempts.push(sqlInstant(t.at)!);
  return calls;
}

async function loadCalls(manager: EntityManager, where: FindOptionsWhere<Visit>[]): Promise<CampaignCall[]> {
  const visits = await manager.find(Visit, {
    where,
    select: ['id', 'officeId', 'campaignId', 'customerId', 'residentId', 'unitId', 'opensAt', 'recordedAt', 'recordedBy', 'details'],
    order: { opensAt: 'ASC', id: 'ASC' },
  });
  if (visits.length === 0) return [];
  const ids = visits.map((v) => v.id);
  const assignees = await manager.find(VisitAssignee, { where: { visitId: In(ids) }, order: { staffId: 'ASC' } });
  const callerOf = new Map<number, string>();
  for (const a of assignees) if (!callerOf.has(a.visitId)) callerOf.set(a.visitId, a.staffId);
  const customerIds = [...new Set(visits.map((v) => Number(v.customerId)).filter((id) => Number.isSafeInteger(id) && id > 0))];
  const customers = customerIds.length ? await manager.find(Customer, { where: { id: In(customerIds) }, select: ['id', 'name'] }) : [];
  const nameOf = new Map(customers.map((c) => [String(c.id), c.name]));
  // A property visit plan calls residents: named by their name and unit.
  const residentIds = [...new Set(visits.filter((v) => !v.customerId && v.residentId).map((v) => v.residentId!))];
  const residents = residentIds.length ? await manager.find(Resident, { where: { id: In(residentIds) }, select: ['officeId', 'id', 'name'] }) : [];
  const residentName = (v: Visit) => {
    const name = residents.find((r) => r.id === v.residentId && r.officeId === v.officeId)?.name ?? null;
    return [name, v.unitId].filter(Boolean).join('，') || null;
  };
  return visits.map((v) => ({
    visitId: v.id,
    campaignId: v.campaignId ?? '',
    staffId: callerOf.get(v.id) ?? v.recordedBy,
    customerName: v.customerId ? (nameOf.get(v.customerId) ?? null) : residentName(v),
    opensAt: v.opensAt,
    recordedAt: v.recordedAt,
    details: v.details,
    attempts: [],
  }));
}
