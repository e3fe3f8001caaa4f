import { DataSource, EntityManager } from 'typeorm';
import { Office, StaffMember, Visit, VisitAssignee, VisitMethod, VisitStatus } from '../../entities';
import { Clock } from '../clock';
import { inTransaction, writeLock } from '../db/transaction';
import { ConflictError, DomainError, NotFoundError } from '../errors';
import { isLate } from '../rules/is-late';
import { isUnqualified } from '../rules/unqualified';
import { VisitAnswers } from './visit-answers';
import { VisitAnnouncer } from './visit-announcer';
import { closeOpenVisits } from './staff-workload';
import { HistoryDraft, recordHistory } from './visit-history';

/** Who records: a staff member (phone, on site, face to face, chat) or the resident (card, survey page). */
export type Recorder =
  | { kind: 'staff'; staffId: string }
  | { kind: 'resident'; via: string; confirmed: boolean };

/** Statuses in which a visit can be recorded; an overdue one is still recorded, flagged late. */
const RECORDABLE = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/**
 * The record, confirmations, review and handling of a visit (SOP 4.4–4.6, domain.md §3–4).
 * Every step writes a history entry and queues its messages in the same transaction.
 */
export class VisitRecordService {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      announcer: VisitAnnouncer;
      /** Throws `409 quarter_archived` when the visit's quarter is locked (archive). */
      assertWritable?: (manager: EntityManager, visit: Visit) => Promise<void>;
    },
  ) {}

  /** Records the five answers. Staff records then await the resident's and the staff's confirmation. */
  async record(visitId: number, by: Recorder, input: { method: VisitMethod; answers: VisitAnswers; notes?: string | null }): Promise<Visit> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const { visit, office } = await this.load(manager, visitId);
      if (by.kind === 'staff') await this.requireAssigneeOrRole(manager, visit, by.staffId, ['supervisor', 'manager']);
      if (visit.recordedAt) throw new ConflictError('already_recorded', `visit ${visitId} is already recorded`);
      if (!RECORDABLE.has(visit.status)) {
        throw new ConflictError('not_recordable', `visit ${visitId} is ${visit.status} and cannot be recorded`);
      }
      const a = input.answers;
      const unqualified = isUnqualified(
        { quality: a.quality, effect: a.effect, satisfaction: a.satisfaction, solved: a.solved ?? null },
        { threshold: office.policy?.unqualifiedThreshold ?? 2 },
      );
      Object.assign(visit, {
        method: input.method,
        quality: a.quality,
        effect: a.effect,
        satisfaction: a.satisfaction,
        shortcomings: a.shortcomings,
        shortcomingsText: a.shortcomingsText ?? null,
        suggestions: a.suggestions ?? visit.suggestions ?? null,
        solved: a.solved ?? null,
        notes: input.notes ?? null,
        recordedAt: now,
        recordedBy: by.kind === 'staff' ? by.staffId : `resident:${visit.residentId ?? ''}`,
        late: isLate(now, visit.closesAt),
        verdict: unqualified ? 'unqualified' : null,
        status: unqualified ? VisitStatus.Unqualified : VisitStatus.Recorded,
        residentConfirmedAt: by.kind === 'resident' && by.confirmed ? now : visit.residentConfirmedAt,
        residentConfirmedBy: by.kind === 'resident' && by.confirmed ? by.via : visit.residentConfirmedBy,
        updatedAt: now,
      });
      await manager.save(Visit, visit);
      // Recorded: no longer open, so its visitors each have one open visit fewer.
      await closeOpenVisits(manager, [visitId]);
      await recordHistory(manager, [
        {
          visitId,
          at: now,
          actor: by.kind === 'staff' ? by.staffId : visit.residentId ?? 'resident',
          actorKind: by.kind,
          action: 'recorded',
          details: { method: input.method, late: visit.late, unqualified, via: by.kind === 'resident' ? by.via : undefined },
        },
        ...(by.kind === 'resident' && by.confirmed
          ? [{ visitId, at: now, actor: visit.residentId ?? 'resident', actorKind: 'resident' as const, action: 'resident_confirmed', details: { via: by.via } }]
          : []),
      ]);
      if (by.kind === 'staff') {
        await this.deps.announcer.askResidentToConfirm(manager, office, visit, now);
        await this.deps.announcer.askStaffToConfirm(manager, office, visit, by.staffId, now);
      }
      await this.deps.announcer.askSupervisorToReview(manager, office, visit, unqualified ? 'unqualified' : 'routine', now);
      return visit;
    });
  }

  /**
   * Keeps what the resident answered on one card of the staged survey (ratings, then
   * shortcomings) until the 确认 that records it all. Returns false once recorded.
   */
  async saveResidentProgress(visitId: number, partial: Partial<Pick<Visit, 'quality' | 'effect' | 'satisfaction' | 'shortcomings'>>, via: string): Promise<boolean> {
    let saved = false;
    await this.step(visitId, async (manager, visit, _office, now) => {
      if (visit.recordedAt || !RECORDABLE.has(visit.status)) return false;
      Object.assign(visit, partial, { updatedAt: now });
      if (visit.status === VisitStatus.Due) visit.status = VisitStatus.InProgress;
      await recordHistory(manager, [{ visitId, at: now, actor: visit.residentId ?? 'resident', actorKind: 'resident', action: 'resident_answered', details: { items: Object.keys(partial), via } }]);
      saved = true;
      return true;
    });
    return saved;
  }

  /** A visitor tapped "phone visit" or "unreachable" on a reminder: noted on the history. */
  async noteStaffAction(visitId: number, staffId: string, action: 'visit_started' | 'resident_unreachable', details: Record<string, unknown>): Promise<Visit> {
    return this.step(visitId, async (manager, visit, _office, now) => {
      if (action === 'visit_started' && visit.status === VisitStatus.Due) visit.status = VisitStatus.InProgress;
      visit.updatedAt = now;
      await recordHistory(manager, [{ visitId, at: now, actor: staffId, actorKind: 'staff', action, details }]);
      return true;
    });
  }

  /** The resident's one-tap confirmation of a record (replaces the paper signature). */
  async confirmByResident(visitId: number, via: string): Promise<Visit> {
    return this.step(visitId, async (manager, visit, _office, now) => {
      if (!visit.recordedAt) throw new ConflictError('not_recorded', `visit ${visitId} has no record to confirm`);
      if (visit.residentConfirmedAt) return false;
      Object.assign(visit, { residentConfirmedAt: now, residentConfirmedBy: via, updatedAt: now });
      await recordHistory(manager, [{ visitId, at: now, actor: visit.residentId ?? 'resident', actorKind: 'resident', action: 'resident_confirmed', details: { via } }]);
      return true;
    });
  }

  /** The resident disputes a staff record: the supervisor hears of it. */
  async disputeByResident(visitId: number, via: string): Promise<Visit> {
    return this.step(visitId, async (manager, visit, office, now) => {
      await recordHistory(manager, [{ visitId, at: now, actor: visit.residentId ?? 'resident', actorKind: 'resident', action: 'resident_disputed', details: { via } }]);
      await this.deps.announcer.tellSupervisorOfDispute(manager, office, visit, now);
      return true;
    });
  }

  /** The staff member confirms their own record (SOP 4.5). */
  async confirmByStaff(visitId: number, staffId: string): Promise<Visit> {
    return this.step(visitId, async (manager, visit, _office, now) => {
      if (!visit.recordedAt) throw new ConflictError('not_recorded', `visit ${visitId} has no record to confirm`);
      if (visit.staffConfirmedAt) return false;
      Object.assign(visit, { staffConfirmedAt: now, staffConfirmedBy: staffId, updatedAt: now });
      await recordHistory(manager, [{ visitId, at: now, actor: staffId, actorKind: 'staff', action: 'staff_confirmed', details: null }]);
      return true;
    });
  }

  /**
   * The supervisor's review (SOP 4.6): `ok` closes the visit; `unqualified` sends it to the
   * manager. Only a supervisor of the visit's office may review.
   */
  async review(visitId: number, input: { reviewerId: string; verdict: 'ok' | 'unqualified'; opinion?: string | null }): Promise<Visit> {
    return this.step(visitId, async (manager, visit, office, now) => {
      await this.requireRole(manager, visit.officeId, input.reviewerId, 'supervisor');
      if (visit.status !== VisitStatus.Recorded && visit.status !== VisitStatus.Unqualified) {
        throw new ConflictError('not_reviewable', `visit ${visitId} is ${visit.status}; only recorded visits are reviewed`);
      }
      const opinion = input.opinion?.trim() || (input.verdict === 'ok' ? '同意' : '不合格');
      Object.assign(visit, { reviewedAt: now, reviewerId: input.reviewerId, reviewOpinion: opinion, verdict: input.verdict, updatedAt: now });
      const entries: HistoryDraft[] = [{ visitId, at: now, actor: input.reviewerId, actorKind: 'staff', action: 'reviewed', details: { verdict: input.verdict } }];
      if (input.verdict === 'ok') {
        visit.status = VisitStatus.Closed;
        entries.push({ visitId, at: now, actor: input.reviewerId, actorKind: 'staff', action: 'closed', details: { verdict: 'ok' } });
      } else {
        visit.status = VisitStatus.Escalated;
        entries.push({ visitId, at: now, actor: 'system', actorKind: 'system', action: 'escalated', details: { to: 'manager' } });
        await this.deps.announcer.escalateToManager(manager, office, visit, now);
      }
      await recordHistory(manager, entries);
      return true;
    });
  }

  /** The manager's handling opinion on an unqualified visit; then it is closed. */
  async handle(visitId: number, input: { handlerId: string; opinion: string }): Promise<Visit> {
    return this.step(visitId, async (manager, visit, _office, now) => {
      await this.requireRole(manager, visit.officeId, input.handlerId, 'manager');
      if (visit.status !== VisitStatus.Escalated) {
        throw new ConflictError('not_escalated', `visit ${visitId} is ${visit.status}; only escalated visits are handled`);
      }
      Object.assign(visit, { handledAt: now, handlerId: input.handlerId, handlingOpinion: input.opinion, status: VisitStatus.Closed, updatedAt: now });
      await recordHistory(manager, [
        { visitId, at: now, actor: input.handlerId, actorKind: 'staff', action: 'handled', details: null },
        { visitId, at: now, actor: input.handlerId, actorKind: 'staff', action: 'closed', details: { verdict: 'unqualified' } },
      ]);
      return true;
    });
  }

  /** Adds free text from the resident (a chat reply or the survey page) to the record. */
  async addResidentText(visitId: number, text: string, via: string): Promise<Visit> {
    return this.step(visitId, async (manager, visit, _office, now) => {
      visit.suggestions = visit.suggestions ? `${visit.suggestions}\n${text}` : text;
      visit.updatedAt = now;
      await recordHistory(manager, [{ visitId, at: now, actor: visit.residentId ?? 'resident', actorKind: 'resident', action: 'suggestion_added', details: { via } }]);
      return true;
    });
  }

  /** Adds a supervisor's or manager's opinion written as a chat reply after their tap. */
  async addOpinion(visitId: number, staffId: string, text: string): Promise<Visit> {
    return this.step(visitId, async (manager, visit, _office, now) => {
      if (visit.handlerId === staffId && visit.handledAt) visit.handlingOpinion = text;
      else if (visit.reviewerId === staffId && visit.reviewedAt) visit.reviewOpinion = text;
      else return false;
      visit.updatedAt = now;
      await recordHistory(manager, [{ visitId, at: now, actor: staffId, actorKind: 'staff', action: 'opinion_written', details: null }]);
      return true;
    });
  }

  /** Runs one step on a locked visit; `change` returns false when there is nothing to do. */
  private async step(
    visitId: number,
    change: (manager: EntityManager, visit: Visit, office: Office, now: Date) => Promise<boolean>,
  ): Promise<Visit> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const { visit, office } = await this.load(manager, visitId);
      if (await change(manager, visit, office, now)) await manager.save(Visit, visit);
      return visit;
    });
  }

  private async load(manager: EntityManager, visitId: number): Promise<{ visit: Visit; office: Office }> {
    const visit = await manager.findOne(Visit, { where: { id: visitId }, ...writeLock(manager) });
    if (!visit) throw new NotFoundError(`visit ${visitId}`);
    if (visit.status === VisitStatus.Cancelled) throw new ConflictError('visit_cancelled', `visit ${visitId} was cancelled`);
    await this.deps.assertWritable?.(manager, visit);
    const office = await manager.findOneByOrFail(Office, { id: visit.officeId });
    return { visit, office };
  }

  private async requireRole(manager: EntityManager, officeId: string, staffId: string, role: string): Promise<StaffMember> {
    const staff = await manager.findOneBy(StaffMember, { officeId, id: staffId, active: true });
    if (!staff || !staff.roles.includes(role as never)) {
      throw new DomainError('forbidden', `${staffId} is not a ${role} of office ${officeId}`, 403);
    }
    return staff;
  }

  private async requireAssigneeOrRole(manager: EntityManager, visit: Visit, staffId: string, roles: string[]): Promise<void> {
    const assigned = await manager.findOneBy(VisitAssignee, { visitId: visit.id, staffId });
    if (assigned) return;
    const staff = await manager.findOneBy(StaffMember, { officeId: visit.officeId, id: staffId, active: true });
    if (!staff || !staff.roles.some((r) => roles.includes(r))) {
      throw new DomainError('forbidden', `${staffId} is not assigned to visit ${visit.id}`, 403);
    }
  }
}
