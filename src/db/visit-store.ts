import { EntityManager, In, MoreThan } from 'typeorm';
import { OutboundMessage, Visit, VisitAssignee, VisitStatus } from '../../entities';
import { StaffRole } from '../rules/kinds';
import { Assignee, Decision, VisitSnapshot } from '../visits/visit-decision';
import { OPEN } from '../visits/lifecycle-draft';
import { adjustOpenVisits, WorkloadChange } from './staff-workloads';
import { teamKeyOf } from './team-key';
import { selectEntities } from './select-entities';
import { recordHistory } from './visit-history';
import { adjustTallies, TalliedVisit, tallyChanges } from './visit-tallies';

/**
 * Reads and writes visits for the lifecycle: a visit is read under a write lock (MySQL) with
 * its visitors, and a decision is written in one transaction — the changed fields, the
 * visitors, the history, the kept open-visit counts and, for a cancelled visit, its messages
 * still queued. Decisions never touch SQL; this is where they meet it.
 */
export async function lockVisit(manager: EntityManager, visitId: number): Promise<VisitSnapshot | null> {
  // Plain SELECTs (select-entities.ts): the webhook locks every visit it plans once more to
  // decide its first step, and TypeORM's find cost more CPU than the reads.
  const [visit] = await selectEntities(manager, Visit, { where: 'id = ?', params: [visitId], forUpdate: true });
  if (!visit) return null;
  return { ...visit, assignees: await assigneesOf(manager, visitId) };
}

export async function assigneesOf(manager: EntityManager, visitId: number): Promise<Assignee[]> {
  const rows = await selectEntities(manager, VisitAssignee, { where: 'visitId = ?', params: [visitId], orderBy: 'staffId' });
  return rows.map((r) => ({ staffId: r.staffId, role: r.role as StaffRole }));
}

/** Writes a decision about `before` (read under lock in this transaction); returns the visit after it. */
export async function saveDecision(manager: EntityManager, before: VisitSnapshot, decision: Decision, now: Date): Promise<VisitSnapshot> {
  // The team key goes with the visitors (see team-key.ts).
  const team = decision.assignees ? { teamKey: teamKeyOf(decision.assignees.map((a) => a.staffId)) } : {};
  const after: VisitSnapshot = { ...before, ...decision.changes, ...team, assignees: decision.assignees ?? before.assignees };
  const changed = Object.keys(decision.changes).length > 0 || decision.assignees !== undefined;
  if (changed) await manager.update(Visit, { id: before.id }, { ...decision.changes, ...team, updatedAt: now } as never);
  if (decision.assignees) {
    await manager.delete(VisitAssignee, { visitId: before.id });
    if (decision.assignees.length > 0) {
      await manager.insert(
        VisitAssignee,
        decision.assignees.map((a) => ({ visitId: before.id, staffId: a.staffId, officeId: before.officeId, role: a.role })),
      );
    }
  }
  await adjustOpenVisits(manager, workloadChanges(before, after));
  await adjustTallies(manager, tallyChanges(tallied(before), tallied(after)));
  await recordHistory(
    manager,
    decision.history.map((h) => ({ visitId: before.id, at: now, actor: h.actor, actorKind: h.actorKind, action: h.action, details: h.details ?? null })),
  );
  if (after.status === VisitStatus.Cancelled && before.status !== VisitStatus.Cancelled) await cancelQueuedMessages(manager, [before.id], String(after.cancelReason));
  return { ...after, updatedAt: changed ? now : before.updatedAt };
}

/**
 * The kept open-visit counts follow a visit's visitors while it is open: a visit that closes
 * (recorded, cancelled) takes one from each visitor, a change of visitors moves it.
 */
export function workloadChanges(before: VisitSnapshot, after: VisitSnapshot): WorkloadChange[] {
  const changes: WorkloadChange[] = [];
  if (OPEN.has(before.status)) for (const a of before.assignees) changes.push({ officeId: before.officeId, staffId: a.staffId, delta: -1 });
  if (OPEN.has(after.status)) for (const a of after.assignees) changes.push({ officeId: after.officeId, staffId: a.staffId, delta: 1 });
  return changes;
}

/** Why: a reminder queued for a visit that no longer exists must not reach anyone. */
export async function cancelQueuedMessages(manager: EntityManager, visitIds: number[], reason: string): Promise<void> {
  if (visitIds.length === 0) return;
  await manager.update(OutboundMessage, { visitId: In(visitIds), status: 'pending' }, { status: 'cancelled', lastError: `visit cancelled: ${reason}` });
}

/** Ids of visits matching `where` after `afterId`, in id order: one page of a sweep. */
export async function visitIdsAfter(manager: EntityManager, where: Record<string, unknown>, afterId: number, limit: number): Promise<number[]> {
  const rows = await manager.find(Visit, { select: { id: true }, where: { ...where, id: MoreThan(afterId) }, order: { id: 'ASC' }, take: limit });
  return rows.map((r) => r.id);
}

/**
 * Writes visits planned outside a work-order batch (warranty visits): each visit, its
 * visitors, its first history entry and its visitors' open-visit counts, in the caller's
 * transaction. Returns the new ids, in order.
 */
export async function insertPlannedVisits(
  manager: EntityManager,
  drafts: readonly { visit: Visit; assignees: readonly Assignee[]; history: Decision['history'][number] }[],
  now: Date,
): Promise<number[]> {
  const ids: number[] = [];
  for (const draft of drafts) {
    // The team key goes with the visitors (see team-key.ts).
    draft.visit.teamKey = teamKeyOf(draft.assignees.map((a) => a.staffId));
    const { id: _id, ...values } = draft.visit;
    const result = await manager.insert(Visit, values as never);
    const id = Number(result.identifiers[0]?.id);
    ids.push(id);
    if (draft.assignees.length > 0) {
      await manager.insert(
        VisitAssignee,
        draft.assignees.map((a) => ({ visitId: id, staffId: a.staffId, officeId: draft.visit.officeId, role: a.role })),
      );
    }
    await recordHistory(manager, [{ visitId: id, at: now, actor: draft.history.actor, actorKind: draft.history.actorKind, action: draft.history.action, details: draft.history.details ?? null }]);
    if (OPEN.has(draft.visit.status)) await adjustOpenVisits(manager, draft.assignees.map((a) => ({ officeId: draft.visit.officeId, staffId: a.staffId, delta: 1 })));
  }
  await adjustTallies(manager, drafts.flatMap((d) => tallyChanges(null, { ...d.visit, staffIds: d.assignees.map((a) => a.staffId) })));
  return ids;
}

/** A reopen ended the work order's generation: none of its visits is its follow-up in the rates any more. */
export async function stopCountingForRate(manager: EntityManager, workOrderId: string): Promise<void> {
  const counted = await manager.find(Visit, { where: { workOrderId, countsForRate: true } });
  if (counted.length === 0) return;
  await manager.update(Visit, { workOrderId, countsForRate: true }, { countsForRate: false });
  const changes = [];
  for (const visit of counted) {
    const before = tallied({ ...visit, assignees: await assigneesOf(manager, visit.id) });
    changes.push(...tallyChanges(before, { ...before, countsForRate: false }));
  }
  await adjustTallies(manager, changes);
}

/** A visit with its visitors, as its tally sees it. */
function tallied(visit: VisitSnapshot): TalliedVisit {
  return { ...visit, staffIds: visit.assignees.map((a) => a.staffId) };
}
