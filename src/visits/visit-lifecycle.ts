import { VisitStatus } from '../../entities';
import { isWarrantyVisitKind } from '../rules/kinds';
import { Draft, nothing, refuse } from './lifecycle-draft';
import { askResident, assign, cancel, handBack, markOverdue, noteStaffAction, openWindow, reaskResident, remindVisitors } from './lifecycle-open-visit';
import { confirmByStaff, correct, record } from './lifecycle-record';
import { addResidentText, confirmByResident, disputeByResident, saveResidentAnswers, submitResidentAnswers } from './lifecycle-resident';
import { addOpinion, answerResolution, closeAfterReview, closeWithoutResolution, handle, remindHandler, reportHandlingOverdue, review } from './lifecycle-review';
import { Actor, Decision, LifecycleContext, Refusal, VisitCommand, VisitSnapshot } from './visit-decision';
import { VisitAnswers } from './visit-answers';
import { customerLinkOutcome, customerLinkPending } from './customer-link-decisions';
import { reassign } from './visit-reassign';
import { callAttempt } from './lifecycle-campaign-call';

/**
 * The visit lifecycle (docs/rules.md §3–§4, SOP 4.1–4.7): given a visit, something that happens
 * to it and who makes it happen, decides what changes, what goes on the history and who is
 * told what — or why it is refused. Pure: no database, no clock, no messages sent; the caller
 * saves the decision in one transaction (src/visits/visit-lifecycle.service.ts).
 *
 * Each command is decided by its family: the open visit waiting for its record
 * (lifecycle-open-visit.ts), the resident's answers (lifecycle-resident.ts), the staff record
 * (lifecycle-record.ts), review, escalation and handling (lifecycle-review.ts); they build the
 * decision on a Draft (lifecycle-draft.ts).
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
  if (command.type === 'reassign') return reassign(visit, command, actor, ctx);
  const d = new Draft(visit, actor, ctx);
  switch (command.type) {
    // The schedule (actor: system).
    case 'open_window':
      return openWindow(d);
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
      return markOverdue(d);
    case 'remind_handler':
      return remindHandler(d);
    case 'report_handling_overdue':
      return reportHandlingOverdue(d);
    case 'close_after_review':
      return closeAfterReview(d);
    case 'close_without_resolution':
      return closeWithoutResolution(d);
    case 'cancel':
      return cancel(d, command);
    // The resident.
    case 'save_resident_answers':
      return saveResidentAnswers(d, command);
    case 'submit_resident_answers':
      return submitResidentAnswers(d, command);
    case 'confirm_by_resident':
      return confirmByResident(d);
    case 'dispute_by_resident':
      return disputeByResident(d);
    case 'answer_resolution':
      return answerResolution(d, command.solved);
    case 'add_resident_text':
      return addResidentText(d, command);
    // Staff.
    case 'record':
      return record(d, command);
    case 'correct':
      return correct(d, command);
    case 'confirm_by_staff':
      return confirmByStaff(d);
    case 'review':
      return review(d, command);
    case 'handle':
      return handle(d, command.opinion, command);
    case 'assign':
      return assign(d, command);
    case 'note_staff_action':
      return noteStaffAction(d, command);
    case 'add_opinion':
      return addOpinion(d, command);
    case 'call_attempt':
      return callAttempt(d, command);
  }
}

/** What a staff member can do to a visit from a page: the same rules as the commands themselves. */
export type StaffAction = 'record' | 'correct' | 'confirm' | 'review' | 'handle' | 'assign';

const SAMPLE_ANSWERS: VisitAnswers = { quality: 5, effect: 5, satisfaction: 5, shortcomings: ['none'] };
const WARRANTY_SAMPLE = { roofsAndWalls: '-', problemsFound: '', ownerOpinion: '', satisfaction: 5 };
const CAMPAIGN_SAMPLE = { call: 'campaign' as const, answers: {}, needs: null, opinions: { presale: null, sale: null, aftersale: null }, complaints: null, inquiryValid: null, followUp: null };

/** The probe of an action, with the visit's own question set (a warranty visit's record, a campaign call's, asks its own). */
function probeFor(visit: VisitSnapshot, action: StaffAction): VisitCommand {
  const probe = PROBES[action];
  if (probe.type !== 'record' && probe.type !== 'correct') return probe;
  if (visit.kind === 'campaign') return { ...probe, answers: CAMPAIGN_SAMPLE };
  return isWarrantyVisitKind(visit.kind) ? { ...probe, answers: WARRANTY_SAMPLE } : probe;
}

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
    const outcome = decide(visit, probeFor(visit, action), actor, ctx);
    if ('refused' in outcome) return false;
    return action !== 'confirm' || Object.keys(outcome.changes).length > 0;
  });
}
