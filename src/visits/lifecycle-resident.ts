import { Visit, VisitStatus } from '../../entities';
import { isLate } from '../rules/is-late';
import { Draft, notRecordable, RECORDABLE, refuse, viaOf } from './lifecycle-draft';
import { answerFields, unqualifiedBy } from './lifecycle-record';
import { Actor, Decision, LifecycleContext, Refusal, SurveyStage, VisitCommand } from './visit-decision';

/*
 * What the resident answers (docs/rules.md §3–§4, SOP 4.4): the staged survey card by card or
 * all at once — the record itself when they complete the visit, their feedback when the staff
 * make it — their one-tap confirmation of a staff record or their dispute, and text they add.
 * Commands of `decide` (src/visits/visit-lifecycle.ts); pure.
 */

/** The card that asks the resident for what they have not answered yet. */
export function pendingStage(visit: Pick<Visit, 'quality' | 'effect' | 'satisfaction' | 'shortcomings'>): SurveyStage {
  if (visit.quality === null || visit.effect === null || visit.satisfaction === null) return 'ratings';
  return visit.shortcomings === null ? 'shortcomings' : 'confirm';
}

export function saveResidentAnswers(d: Draft, command: Extract<VisitCommand, { type: 'save_resident_answers' }>): Decision | Refusal {
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

export function submitResidentAnswers(d: Draft, command: Extract<VisitCommand, { type: 'submit_resident_answers' }>): Decision | Refusal {
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

export function confirmByResident(d: Draft): Decision | Refusal {
  const { visit, ctx, actor } = d;
  if (!visit.recordedAt) return refuse(409, 'not_recorded', `visit ${visit.id} has no record to confirm`);
  if (visit.residentConfirmedAt) return d.done();
  d.set({ residentConfirmedAt: ctx.now, residentConfirmedBy: viaOf(actor) }).note('resident_confirmed', { via: viaOf(actor) });
  return d.closeIfConfirmed().done();
}

export function disputeByResident(d: Draft): Decision | Refusal {
  if (!d.visit.recordedAt) return refuse(409, 'not_recorded', `visit ${d.visit.id} has no record to dispute`);
  return d.note('resident_disputed', { via: viaOf(d.actor) }).tell({ kind: 'supervisor_notice', topic: 'dispute' }).done();
}

export function addResidentText(d: Draft, command: Extract<VisitCommand, { type: 'add_resident_text' }>): Decision {
  const { visit } = d;
  d.set({ suggestions: visit.suggestions ? `${visit.suggestions}\n${command.text}` : command.text }).note('suggestion_added', { via: viaOf(d.actor) });
  return d.done();
}

function emptyFeedback(actor: Actor, ctx: LifecycleContext) {
  return { quality: null, effect: null, satisfaction: null, shortcomings: null, suggestions: null, solved: null, via: viaOf(actor), at: ctx.now.toISOString() };
}
