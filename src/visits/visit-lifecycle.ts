import { Visit, VisitStatus } from '../../entities';
import { isLate } from '../rules/is-late';
import { isWarrantyVisitKind, StaffRole } from '../rules/kinds';
import { deferPastQuietHours } from '../rules/quiet-hours';
import { reminderInstants } from '../rules/reminder-instants';
import { residentAskInstant } from '../rules/resident-ask';
import { isUnqualified } from '../rules/unqualified';
import {
  Actor,
  Decision,
  HistoryNote,
  LifecycleContext,
  Refusal,
  SurveyStage,
  VisitCommand,
  VisitMessage,
  VisitSnapshot,
} from './visit-decision';
import { isWarrantyAnswers, RecordAnswers, VisitAnswers } from './visit-answers';
import { askPastFullCap, customerLinkOutcome, customerLinkPending } from './customer-link-decisions';

/** Statuses in which a visit still waits for its record (docs/rules.md §4). */
export const OPEN = new Set<VisitStatus>([VisitStatus.Planned, VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/** Statuses in which a visit can be recorded: its window has opened (or nobody is assigned yet); an overdue one is recorded late. */
const RECORDABLE = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/** Statuses in which the window is open and the visitors and resident are reminded. */
const WAITING = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress]);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The visit lifecycle (docs/rules.md §3–§4, SOP 4.1–4.7): given a visit, something that happens
 * to it and who makes it happen, decides what changes, what goes on the history and who is
 * told what — or why it is refused. Pure: no database, no clock, no messages sent; the caller
 * saves the decision in one transaction (src/visits/visit-lifecycle.service.ts).
 *
 * Invariants: a refused command changes nothing; a command that has nothing left to do
 * (a second tap, a sweep that already ran) decides nothing (no change, no message); every
 * status change has its history entry; an unqualified visit is never passed; a visit's
 * resident is only messaged through `resident_*` messages, which the message layer keeps out
 * of quiet hours.
 */
export function decide(visit: VisitSnapshot, command: VisitCommand, actor: Actor, ctx: LifecycleContext): Decision | Refusal {
  if (visit.status === VisitStatus.Cancelled) {
    return actor.kind === 'system' ? nothing() : refuse(409, 'visit_cancelled', `visit ${visit.id} was cancelled`);
  }
  const d = new Draft(visit, actor, ctx);
  switch (command.type) {
    case 'open_window':
      if (visit.status === VisitStatus.Planned && visit.opensAt <= ctx.now) d.set({ status: VisitStatus.Due }).note('window_opened');
      return d.done();
    case 'ask_resident':
      return askResident(d, command);
    case 'customer_link_outcome':
      return customerLinkOutcome(visit, command, ctx);
    case 'customer_link_pending':
      return customerLinkPending(visit, command);
    case 'remind_visitors':
      return remindVisitors(d);
    case 'reask_resident':
      return reaskResident(d, command);
    case 'hand_back':
      return handBack(d);
    case 'mark_overdue':
      if (OPEN.has(visit.status) && visit.status !== VisitStatus.Overdue && !visit.recordedAt && visit.closesAt < ctx.now) {
        d.set({ status: VisitStatus.Overdue }).note('overdue', { closedAt: visit.closesAt.toISOString() }).tell({ kind: 'supervisor_notice', topic: 'overdue' });
      }
      return d.done();
    case 'remind_handler':
      return remindHandler(d);
    case 'report_handling_overdue':
      if (visit.status === VisitStatus.Escalated && visit.handleBy && !visit.escalationOverdueAt && ctx.now >= visit.handleBy) {
        d.set({ escalationOverdueAt: ctx.now })
          .note('handling_overdue', { handleBy: visit.handleBy.toISOString() })
          .tell({ kind: 'supervisor_notice', topic: 'handling_overdue', details: { round: visit.escalationRound } });
      }
      return d.done();
    case 'close_after_review':
      if (visit.status === VisitStatus.Reviewed && visit.reviewedAt && ctx.now.getTime() >= visit.reviewedAt.getTime() + ctx.policy.reviewCloseDays * DAY) {
        d.close('passed', 'review_period_ended');
      }
      return d.done();
    case 'close_without_resolution':
      if (
        visit.status === VisitStatus.Handled &&
        visit.resolutionAskedAt &&
        ctx.now.getTime() >= visit.resolutionAskedAt.getTime() + ctx.policy.resolutionWaitHours * HOUR
      ) {
        d.close('handled', 'resident_silent');
      }
      return d.done();
    case 'cancel':
      if (OPEN.has(visit.status)) d.set({ status: VisitStatus.Cancelled, cancelReason: command.reason }).note('cancelled', { reason: command.reason });
      return d.done();
    case 'save_resident_answers':
      return saveResidentAnswers(d, command);
    case 'submit_resident_answers':
      return submitResidentAnswers(d, command);
    case 'confirm_by_resident':
      if (!visit.recordedAt) return refuse(409, 'not_recorded', `visit ${visit.id} has no record to confirm`);
      if (visit.residentConfirmedAt) return d.done();
      d.set({ residentConfirmedAt: ctx.now, residentConfirmedBy: viaOf(actor) }).note('resident_confirmed', { via: viaOf(actor) });
      return d.closeIfConfirmed().done();
    case 'dispute_by_resident':
      if (!visit.recordedAt) return refuse(409, 'not_recorded', `visit ${visit.id} has no record to dispute`);
      return d.note('resident_disputed', { via: viaOf(actor) }).tell({ kind: 'supervisor_notice', topic: 'dispute' }).done();
    case 'answer_resolution':
      return answerResolution(d, command.solved);
    case 'add_resident_text':
      d.set({ suggestions: visit.suggestions ? `${visit.suggestions}\n${command.text}` : command.text }).note('suggestion_added', { via: viaOf(actor) });
      return d.done();
    case 'record':
      return record(d, command);
    case 'correct':
      return correct(d, command);
    case 'confirm_by_staff': {
      const staff = staffOf(actor);
      if (!visit.recordedAt) return refuse(409, 'not_recorded', `visit ${visit.id} has no record to confirm`);
      if (!staff?.member || visit.recordedBy !== staff.id) return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} did not record visit ${visit.id}`);
      if (visit.staffConfirmedAt) return d.done();
      d.set({ staffConfirmedAt: ctx.now, staffConfirmedBy: staff.id }).note('staff_confirmed');
      return d.closeIfConfirmed().done();
    }
    case 'review':
      return review(d, command);
    case 'handle':
      return handle(d, command.opinion);
    case 'assign':
      return assign(d, command);
    case 'note_staff_action':
      if (command.action === 'visit_started' && visit.status === VisitStatus.Due) d.set({ status: VisitStatus.InProgress });
      return d.note(command.action, command.details ?? {}).done();
    case 'add_opinion': {
      const staff = staffOf(actor);
      if (!staff) return d.done();
      if (visit.handlerId === staff.id && visit.handledAt) d.set({ handlingOpinion: command.text });
      else if (visit.reviewerId === staff.id && visit.reviewedAt) d.set({ reviewOpinion: command.text });
      else return d.done();
      return d.note('opinion_written').done();
    }
  }
}

/** The card that asks the resident for what they have not answered yet. */
export function pendingStage(visit: Pick<Visit, 'quality' | 'effect' | 'satisfaction' | 'shortcomings'>): SurveyStage {
  if (visit.quality === null || visit.effect === null || visit.satisfaction === null) return 'ratings';
  return visit.shortcomings === null ? 'shortcomings' : 'confirm';
}

function askResident(d: Draft, command: Extract<VisitCommand, { type: 'ask_resident' }>): Decision {
  const { visit, ctx } = d;
  if (!asksResident(visit) || visit.residentAskedAt || visit.recordedAt) return d.done();
  if (!(OPEN.has(visit.status) && visit.status !== VisitStatus.Planned && visit.opensAt <= ctx.now && visit.closesAt > ctx.now)) return d.done();
  const capped = askPastFullCap(visit, command, ctx);
  if (capped) return capped;
  const at = residentAskInstant(visit.opensAt > ctx.now ? visit.opensAt : ctx.now, ctx.zone, ctx.policy.residentQuietHours);
  return d
    .set({ residentAskedAt: at })
    .note('resident_asked', { at: at.toISOString() })
    .tell({ kind: 'resident_survey', stage: 'ratings', attempt: 1, at })
    .done();
}

function remindVisitors(d: Draft): Decision {
  const { visit, ctx } = d;
  if (!WAITING.has(visit.status) || visit.recordedAt || visit.assignees.length === 0 || visit.closesAt <= ctx.now) return d.done();
  const due = reminderInstants({ opensAt: visit.opensAt, closesAt: visit.closesAt }, ctx.zone, { quiet: ctx.policy.staffQuietHours }).filter((r) => r.at <= ctx.now);
  // Only the latest slot that has come: after downtime one reminder, not a burst. The message's
  // key (visit, slot, person) makes a second sweep queue nothing.
  const latest = due[due.length - 1];
  if (latest) d.tell({ kind: 'visitor_reminder', slot: latest.slot, at: latest.at });
  return d.done();
}

function reaskResident(d: Draft, command: Extract<VisitCommand, { type: 'reask_resident' }>): Decision {
  const { visit, ctx } = d;
  if (!asksResident(visit) || !visit.residentAskedAt || visit.residentReaskedAt || visit.recordedAt || !WAITING.has(visit.status)) return d.done();
  // A mass-send task nobody confirmed is followed by the customer-messages job, not asked again.
  if (visit.residentRoute === 'external' && !visit.residentReachedAt) return d.done();
  if (ctx.now.getTime() < visit.residentAskedAt.getTime() + ctx.policy.residentReaskAfterHours * HOUR) return d.done();
  const capped = askPastFullCap(visit, command, ctx);
  if (capped) return capped;
  const at = deferPastQuietHours(ctx.now, ctx.zone, ctx.policy.residentQuietHours);
  return d
    .set({ residentReaskedAt: at })
    .note('resident_reasked')
    .tell({ kind: 'resident_survey', stage: pendingStage(visit), attempt: 2, at })
    .done();
}

function handBack(d: Draft): Decision {
  const { visit, ctx } = d;
  if (!visit.residentReaskedAt || visit.handedBackAt || visit.recordedAt || !WAITING.has(visit.status)) return d.done();
  if (ctx.now.getTime() < visit.residentReaskedAt.getTime() + ctx.policy.residentReaskAfterHours * HOUR) return d.done();
  return d
    .set({ handedBackAt: ctx.now })
    .note('resident_silent', { handedBackTo: visit.assignees.map((a) => a.staffId) })
    .tell({ kind: 'visitor_reminder', slot: 'no_answer', at: ctx.now })
    .done();
}

function remindHandler(d: Draft): Decision {
  const { visit, ctx } = d;
  if (visit.status !== VisitStatus.Escalated || !visit.escalatedAt || !visit.handleBy || visit.escalationRemindedAt) return d.done();
  const halfway = visit.escalatedAt.getTime() + (visit.handleBy.getTime() - visit.escalatedAt.getTime()) / 2;
  if (ctx.now.getTime() < halfway || ctx.now >= visit.handleBy) return d.done();
  return d.set({ escalationRemindedAt: ctx.now }).note('handler_reminded', { round: visit.escalationRound }).tell({ kind: 'handler_reminder', round: visit.escalationRound }).done();
}

function saveResidentAnswers(d: Draft, command: Extract<VisitCommand, { type: 'save_resident_answers' }>): Decision | Refusal {
  const { visit, ctx, actor } = d;
  if (visit.recordedAt && visit.residentCompletes) return refuse(409, 'already_recorded', `visit ${visit.id} is already recorded`);
  if (!RECORDABLE.has(visit.status) && visit.residentCompletes) return notRecordable(visit);
  const items = Object.keys(command.answers);
  if (!visit.residentCompletes) {
    // A visit the staff must make: what the resident taps is their feedback, not the record.
    d.set({ residentFeedback: { ...emptyFeedback(actor, ctx), ...visit.residentFeedback, ...command.answers, via: viaOf(actor), at: ctx.now.toISOString() } });
    return d.note('resident_feedback', { items, via: viaOf(actor) }).done();
  }
  d.set({ ...command.answers, ...(visit.status === VisitStatus.Due ? { status: VisitStatus.InProgress } : {}) }).note('resident_answered', { items, via: viaOf(actor) });
  if (command.next) d.tell({ kind: 'resident_survey', stage: command.next, attempt: 1, at: ctx.now });
  return d.done();
}

function submitResidentAnswers(d: Draft, command: Extract<VisitCommand, { type: 'submit_resident_answers' }>): Decision | Refusal {
  const { visit, ctx, actor } = d;
  const a = command.answers;
  const unqualified = unqualifiedBy(a, ctx);
  if (!visit.residentCompletes) {
    d.set({
      residentFeedback: {
        quality: a.quality,
        effect: a.effect,
        satisfaction: a.satisfaction,
        shortcomings: a.shortcomings,
        suggestions: a.suggestions ?? null,
        solved: a.solved ?? null,
        via: viaOf(actor),
        at: ctx.now.toISOString(),
      },
    });
    return d.note('resident_feedback', { via: viaOf(actor), unqualified }).done();
  }
  if (visit.recordedAt) return refuse(409, 'already_recorded', `visit ${visit.id} is already recorded`);
  if (!RECORDABLE.has(visit.status)) return notRecordable(visit);
  d.set({
    ...answerFields(a, visit),
    method: command.method,
    notes: null,
    recordedAt: ctx.now,
    recordedBy: `resident:${visit.residentId ?? ''}`,
    late: isLate(ctx.now, visit.closesAt),
    verdict: unqualified ? 'unqualified' : null,
    status: unqualified ? VisitStatus.Unqualified : VisitStatus.Recorded,
    residentConfirmedAt: ctx.now,
    residentConfirmedBy: viaOf(actor),
  });
  return d
    .note('recorded', { method: command.method, late: isLate(ctx.now, visit.closesAt), unqualified, via: viaOf(actor) })
    .note('resident_confirmed', { via: viaOf(actor) })
    .tell({ kind: 'review_request', variant: unqualified ? 'unqualified' : 'routine', revision: 0 })
    .done();
}

function record(d: Draft, command: Extract<VisitCommand, { type: 'record' }>): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  const assigned = staff ? visit.assignees.some((a) => a.staffId === staff.id) : false;
  if (!staff?.member || !(assigned || hasRole(staff.member.roles, 'supervisor', 'manager'))) {
    return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} is not assigned to visit ${visit.id}`);
  }
  if (visit.recordedAt) return refuse(409, 'already_recorded', `visit ${visit.id} is already recorded`);
  if (!RECORDABLE.has(visit.status)) return notRecordable(visit);
  const answered = recordedAnswers(command.answers, visit, ctx);
  if ('refused' in answered) return answered;
  const { unqualified } = answered;
  d.set({
    ...answered.fields,
    method: command.method,
    notes: command.notes ?? null,
    recordedAt: ctx.now,
    recordedBy: staff.id,
    late: isLate(ctx.now, visit.closesAt),
    verdict: unqualified ? 'unqualified' : null,
    status: unqualified ? VisitStatus.Unqualified : VisitStatus.Recorded,
  });
  return d
    .note('recorded', { method: command.method, late: isLate(ctx.now, visit.closesAt), unqualified })
    .tell({ kind: 'resident_confirmation', revision: 0 })
    .tell({ kind: 'staff_confirmation', staffId: staff.id })
    .tell({ kind: 'review_request', variant: unqualified ? 'unqualified' : 'routine', revision: 0 })
    .done();
}

function correct(d: Draft, command: Extract<VisitCommand, { type: 'correct' }>): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  if (!visit.recordedAt) return refuse(409, 'not_recorded', `visit ${visit.id} has no record to correct`);
  if (!staff?.member || visit.recordedBy !== staff.id) return refuse(403, 'forbidden', `only the author of visit ${visit.id}'s record can correct it`);
  if (visit.status !== VisitStatus.Recorded && visit.status !== VisitStatus.Unqualified) {
    return refuse(409, 'already_reviewed', `visit ${visit.id} is ${visit.status}; a record can be corrected until it is reviewed`);
  }
  const answered = recordedAnswers(command.answers, visit, ctx);
  if ('refused' in answered) return answered;
  const { unqualified } = answered;
  const revision = ctx.now.getTime();
  d.set({
    ...answered.fields,
    ...(command.method ? { method: command.method } : {}),
    ...(command.notes !== undefined ? { notes: command.notes } : {}),
    verdict: unqualified ? 'unqualified' : null,
    status: unqualified ? VisitStatus.Unqualified : VisitStatus.Recorded,
    // The resident confirmed what was recorded before: the corrected record is theirs to confirm again.
    residentConfirmedAt: null,
    residentConfirmedBy: null,
  });
  d.note('corrected', { before: answersOf(visit), after: answersOf({ ...visit, ...answered.fields }), unqualified });
  return d
    .tell({ kind: 'resident_confirmation', revision })
    .tell({ kind: 'review_request', variant: unqualified ? 'unqualified' : 'routine', revision })
    .done();
}

function review(d: Draft, command: Extract<VisitCommand, { type: 'review' }>): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  if (!staff?.member || !hasRole(staff.member.roles, 'supervisor')) return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} is not a supervisor of office ${visit.officeId}`);
  if (visit.status !== VisitStatus.Recorded && visit.status !== VisitStatus.Unqualified) {
    return refuse(409, 'not_reviewable', `visit ${visit.id} is ${visit.status}; only recorded visits are reviewed`);
  }
  if (visit.status === VisitStatus.Unqualified && command.verdict === 'ok') {
    return refuse(409, 'unqualified_cannot_pass', `visit ${visit.id} is unqualified: it cannot be passed and goes to the manager with your opinion`);
  }
  const opinion = command.opinion?.trim() || (command.verdict === 'ok' ? '同意' : '不合格');
  d.set({ reviewedAt: ctx.now, reviewerId: staff.id, reviewOpinion: opinion, verdict: command.verdict }).note('reviewed', { verdict: command.verdict });
  if (command.verdict === 'ok') return d.set({ status: VisitStatus.Reviewed }).closeIfConfirmed().done();
  return d.escalate(1).done();
}

function handle(d: Draft, opinion: string): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  if (!staff?.member || !hasRole(staff.member.roles, 'manager')) return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} is not a manager of office ${visit.officeId}`);
  if (visit.status !== VisitStatus.Escalated) return refuse(409, 'not_escalated', `visit ${visit.id} is ${visit.status}; only escalated visits are handled`);
  d.set({ handledAt: ctx.now, handlerId: staff.id, handlingOpinion: opinion, status: VisitStatus.Handled }).note('handled', { round: visit.escalationRound });
  // Nobody to ask whether it is solved: the handling is the end of it.
  if (!visit.residentId) return d.close('handled', 'no_resident').done();
  return d.set({ resolutionAskedAt: ctx.now }).tell({ kind: 'resident_resolution', round: visit.escalationRound }).done();
}

function answerResolution(d: Draft, solved: boolean): Decision | Refusal {
  const { visit, ctx, actor } = d;
  if (visit.status !== VisitStatus.Handled) return refuse(409, 'not_awaiting_resolution', `visit ${visit.id} is ${visit.status}; the resident is asked once it is handled`);
  if (solved) {
    d.set({ resolvedAt: ctx.now, status: VisitStatus.Resolved }).note('resolved', { via: viaOf(actor) });
    return d.close('resolved', 'resolved').done();
  }
  d.note('not_resolved', { via: viaOf(actor), round: visit.escalationRound });
  // Back to the manager once more; a second "not solved" ends it, with the supervisor told.
  if (visit.escalationRound < 2) return d.escalate(visit.escalationRound + 1).tell({ kind: 'supervisor_notice', topic: 'not_resolved' }).done();
  return d.close('handled', 'not_resolved').tell({ kind: 'supervisor_notice', topic: 'closed_unresolved' }).done();
}

function assign(d: Draft, command: Extract<VisitCommand, { type: 'assign' }>): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  if (!staff?.member || !hasRole(staff.member.roles, 'supervisor')) return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} is not a supervisor of office ${visit.officeId}`);
  if (!OPEN.has(visit.status)) return refuse(409, 'not_open', `visit ${visit.id} is ${visit.status}; only open visits get visitors`);
  for (const [i, a] of command.assignees.entries()) {
    const member = command.staff.find((s) => s.id === a.staffId);
    if (!member) return refuse(400, 'invalid_assignee', `assignees.${i}.staffId: ${a.staffId} is not an active staff member of office ${visit.officeId}`);
    if (!member.roles.includes(a.role)) return refuse(400, 'invalid_assignee', `assignees.${i}.role: ${a.staffId} is not a ${a.role}`);
  }
  const before = visit.assignees.map((a) => a.staffId);
  const added = command.assignees.filter((a) => !before.includes(a.staffId)).map((a) => a.staffId);
  const roles = command.assignees.map((a) => a.role);
  const status =
    visit.status !== VisitStatus.Unassigned
      ? visit.status
      : visit.closesAt < ctx.now
        ? VisitStatus.Overdue
        : visit.opensAt <= ctx.now
          ? VisitStatus.Due
          : VisitStatus.Planned;
  d.set({ ...(status !== visit.status ? { status } : {}), teamIncomplete: command.requiredRoles.some((role) => !roles.includes(role)) });
  d.assignees = command.assignees;
  d.note('assigned', { by: staff.id, from: visit.assignees, to: command.assignees });
  if (added.length > 0 && status !== VisitStatus.Planned) d.tell({ kind: 'visitor_reminder', slot: 'assigned', at: ctx.now, staffIds: added });
  return d.done();
}

/** Builds a decision step by step; `done()` hands it over. */
class Draft {
  changes: Partial<Visit> = {};
  assignees: Decision['assignees'];
  private readonly history: HistoryNote[] = [];
  private readonly messages: VisitMessage[] = [];

  constructor(
    readonly visit: VisitSnapshot,
    readonly actor: Actor,
    readonly ctx: LifecycleContext,
  ) {}

  /** The visit as this decision leaves it so far. */
  get after(): Readonly<Visit> {
    return { ...this.visit, ...this.changes } as Visit;
  }

  set(changes: Partial<Visit>): this {
    Object.assign(this.changes, changes);
    return this;
  }

  note(action: string, details: Record<string, unknown> | null = null): this {
    this.history.push({ action, ...actorOf(this.actor, this.visit), details });
    return this;
  }

  tell(message: VisitMessage): this {
    this.messages.push(message);
    return this;
  }

  /** Sends the visit to the manager for a round of handling, with its deadline (docs/rules.md §4). */
  escalate(round: number): this {
    const handleBy = new Date(this.ctx.now.getTime() + this.ctx.policy.escalationHours * HOUR);
    this.set({
      status: VisitStatus.Escalated,
      escalatedAt: this.ctx.now,
      handleBy,
      escalationRound: round,
      escalationRemindedAt: null,
      escalationOverdueAt: null,
    });
    this.history.push({ action: 'escalated', actor: 'system', actorKind: 'system', details: { to: 'manager', round, handleBy: handleBy.toISOString() } });
    return this.tell({ kind: 'manager_escalation', round });
  }

  close(as: 'passed' | 'resolved' | 'handled', reason: string): this {
    this.set({ status: VisitStatus.Closed, closedAt: this.ctx.now, closedAs: as });
    this.history.push({ action: 'closed', actor: 'system', actorKind: 'system', details: { as, reason } });
    return this;
  }

  /** A reviewed visit closes once every confirmation it needs is in (docs/rules.md §4). */
  closeIfConfirmed(): this {
    const v = this.after;
    const staffRecorded = v.recordedBy !== null && !v.recordedBy.startsWith('resident:');
    if (v.status === VisitStatus.Reviewed && v.residentConfirmedAt && (!staffRecorded || v.staffConfirmedAt)) this.close('passed', 'confirmed');
    return this;
  }

  done(): Decision {
    return { changes: this.changes, ...(this.assignees ? { assignees: this.assignees } : {}), history: this.history, messages: this.messages };
  }
}

function nothing(): Decision {
  return { changes: {}, history: [], messages: [] };
}

function refuse(status: 400 | 403 | 409, code: string, message: string): Refusal {
  return { refused: { status, code, message } };
}

function notRecordable(visit: VisitSnapshot): Refusal {
  return visit.status === VisitStatus.Planned
    ? refuse(409, 'window_not_open', `visit ${visit.id}'s window opens ${visit.opensAt.toISOString()}`)
    : refuse(409, 'not_recordable', `visit ${visit.id} is ${visit.status} and cannot be recorded`);
}

/** The resident is asked by the product itself: a visit they complete, reachable by card or customer link. */
function asksResident(visit: VisitSnapshot): boolean {
  return visit.residentCompletes && (visit.residentRoute === 'card' || visit.residentRoute === 'external' || visit.residentRoute === 'official_account');
}

function unqualifiedBy(a: VisitAnswers, ctx: LifecycleContext): boolean {
  return isUnqualified({ quality: a.quality, effect: a.effect, satisfaction: a.satisfaction, solved: a.solved ?? null }, { threshold: ctx.policy.unqualifiedThreshold });
}

/**
 * The fields a record sets, and whether it is unqualified. A warranty visit asks its own
 * questions (docs/rules.md §7): they go to `details`, satisfaction to its column, and only
 * satisfaction decides; a property visit's five items go to their columns as ever. Answers of
 * the other question set are refused.
 */
function recordedAnswers(a: RecordAnswers, visit: VisitSnapshot, ctx: LifecycleContext): { fields: Partial<Visit>; unqualified: boolean } | Refusal {
  const warranty = isWarrantyVisitKind(visit.kind);
  if (warranty !== isWarrantyAnswers(a)) {
    return refuse(400, 'invalid_request', `answers: visit ${visit.id} is a ${visit.kind} visit and takes ${warranty ? 'the warranty questions' : 'the visit form\'s items'}`);
  }
  if (!isWarrantyAnswers(a)) return { fields: answerFields(a, visit), unqualified: unqualifiedBy(a, ctx) };
  const details = {
    roofsAndWalls: a.roofsAndWalls,
    problemsFound: a.problemsFound,
    ownerOpinion: a.ownerOpinion,
    minutes: a.minutes?.summary ?? null,
    minutesAttendees: a.minutes?.attendees ?? null,
  };
  return {
    fields: { satisfaction: a.satisfaction, quality: null, effect: null, shortcomings: null, solved: null, details },
    unqualified: isUnqualified({ satisfaction: a.satisfaction }, { threshold: ctx.policy.unqualifiedThreshold }),
  };
}

function answerFields(a: VisitAnswers, visit: Readonly<Visit>): Partial<Visit> {
  return {
    quality: a.quality,
    effect: a.effect,
    satisfaction: a.satisfaction,
    shortcomings: a.shortcomings,
    shortcomingsText: a.shortcomingsText ?? null,
    suggestions: a.suggestions ?? visit.suggestions ?? null,
    solved: a.solved ?? null,
  };
}

function answersOf(v: Pick<Visit, 'quality' | 'effect' | 'satisfaction' | 'shortcomings' | 'solved'>) {
  return { quality: v.quality, effect: v.effect, satisfaction: v.satisfaction, shortcomings: v.shortcomings, solved: v.solved };
}

function emptyFeedback(actor: Actor, ctx: LifecycleContext) {
  return { quality: null, effect: null, satisfaction: null, shortcomings: null, suggestions: null, solved: null, via: viaOf(actor), at: ctx.now.toISOString() };
}

function staffOf(actor: Actor): Extract<Actor, { kind: 'staff' }> | null {
  return actor.kind === 'staff' ? actor : null;
}

function viaOf(actor: Actor): string {
  return actor.kind === 'resident' ? actor.via : actor.kind === 'staff' ? actor.id : 'system';
}

function actorOf(actor: Actor, visit: VisitSnapshot): Pick<HistoryNote, 'actor' | 'actorKind'> {
  if (actor.kind === 'staff') return { actor: actor.id, actorKind: 'staff' };
  if (actor.kind === 'resident') return { actor: visit.residentId ?? 'resident', actorKind: 'resident' };
  return { actor: 'system', actorKind: 'system' };
}

function hasRole(roles: readonly StaffRole[], ...wanted: StaffRole[]): boolean {
  return roles.some((r) => wanted.includes(r));
}

/** What a staff member can do to a visit from a page: the same rules as the commands themselves. */
export type StaffAction = 'record' | 'correct' | 'confirm' | 'review' | 'handle' | 'assign';

const SAMPLE_ANSWERS: VisitAnswers = { quality: 5, effect: 5, satisfaction: 5, shortcomings: ['none'] };

const PROBES: Record<StaffAction, VisitCommand> = {
  record: { type: 'record', method: 'phone', answers: SAMPLE_ANSWERS },
  correct: { type: 'correct', answers: SAMPLE_ANSWERS },
  confirm: { type: 'confirm_by_staff' },
  review: { type: 'review', verdict: 'unqualified' },
  handle: { type: 'handle', opinion: '-' },
  assign: { type: 'assign', assignees: [], staff: [], requiredRoles: [] },
};

/**
 * The actions a staff member may take on a visit now: those whose command the lifecycle would
 * not refuse (and, for confirm, that would still change something). Pages offer exactly these;
 * the command itself decides again when it is taken.
 */
export function allowedStaffActions(visit: VisitSnapshot, actor: Extract<Actor, { kind: 'staff' }>, ctx: LifecycleContext): StaffAction[] {
  return (Object.keys(PROBES) as StaffAction[]).filter((action) => {
    const outcome = decide(visit, PROBES[action], actor, ctx);
    if ('refused' in outcome) return false;
    return action !== 'confirm' || Object.keys(outcome.changes).length > 0;
  });
}
