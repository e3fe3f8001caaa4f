import { Visit, VisitStatus } from '../../entities';
import { isLate } from '../rules/is-late';
import { isWarrantyVisitKind } from '../rules/kinds';
import { callDetails, isCampaignAnswers } from './campaign-call-answers';
import { isUnqualified } from '../rules/unqualified';
import { Draft, hasRole, notRecordable, RECORDABLE, refuse, staffOf } from './lifecycle-draft';
import { Decision, LifecycleContext, Refusal, VisitCommand, VisitSnapshot } from './visit-decision';
import { isWarrantyAnswers, questionSetOfAnswers, RecordAnswers, VisitAnswers } from './visit-answers';

/*
 * The staff record (docs/rules.md §3–§4, SOP 4.4–4.5): a visitor (or a supervisor or manager)
 * records the visit, its author corrects it until it is reviewed and confirms it; and what a
 * record sets — the answers' fields and whether they make it unqualified — for the resident's
 * own record too. Commands of `decide` (src/visits/visit-lifecycle.ts); pure.
 */

export function record(d: Draft, command: Extract<VisitCommand, { type: 'record' }>): Decision | Refusal {
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
  d.note('recorded', { method: command.method, late: isLate(ctx.now, visit.closesAt), unqualified });
  // A campaign's customer is no resident who confirms, and its supervisor reads the calls in the weekly report (§8).
  if (visit.kind === 'campaign') return d.done();
  return d
    .tell({ kind: 'resident_confirmation', revision: 0 })
    .tell({ kind: 'staff_confirmation', staffId: staff.id })
    .tell({ kind: 'review_request', variant: unqualified ? 'unqualified' : 'routine', revision: 0 })
    .done();
}

export function correct(d: Draft, command: Extract<VisitCommand, { type: 'correct' }>): Decision | Refusal {
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
  if (visit.kind === 'campaign') return d.done();
  return d
    .tell({ kind: 'resident_confirmation', revision })
    .tell({ kind: 'review_request', variant: unqualified ? 'unqualified' : 'routine', revision })
    .done();
}

export function confirmByStaff(d: Draft): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  if (!visit.recordedAt) return refuse(409, 'not_recorded', `visit ${visit.id} has no record to confirm`);
  if (!staff?.member || visit.recordedBy !== staff.id) return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} did not record visit ${visit.id}`);
  if (visit.staffConfirmedAt) return d.done();
  d.set({ staffConfirmedAt: ctx.now, staffConfirmedBy: staff.id }).note('staff_confirmed');
  return d.closeIfConfirmed().done();
}

/** Whether the visit form's answers make a record unqualified, by the office's threshold. */
export function unqualifiedBy(a: VisitAnswers, ctx: LifecycleContext): boolean {
  return isUnqualified({ quality: a.quality, effect: a.effect, satisfaction: a.satisfaction, solved: a.solved ?? null }, { threshold: ctx.policy.unqualifiedThreshold });
}

/** The question set a visit's record answers (docs/rules.md §3, §7, §8). */
function questionSetOf(kind: string): ReturnType<typeof questionSetOfAnswers> {
  return kind === 'campaign' ? 'campaign' : isWarrantyVisitKind(kind) ? 'warranty' : 'visit_form';
}

const QUESTION_SETS = { visit_form: "the visit form's items", warranty: 'the warranty questions', campaign: "the campaign's call record" };

/**
 * The fields a record sets, and whether it is unqualified. A warranty visit asks its own
 * questions (docs/rules.md §7): they go to `details`, satisfaction to its column, and only
 * satisfaction decides; a campaign call's record (§8) goes to `details` (a rating keyed
 * `satisfaction` also to its column) and is never unqualified; a property visit's five items go
 * to their columns as ever. Answers of another question set are refused.
 */
function recordedAnswers(a: RecordAnswers, visit: VisitSnapshot, ctx: LifecycleContext): { fields: Partial<Visit>; unqualified: boolean } | Refusal {
  const set = questionSetOf(visit.kind);
  if (set !== questionSetOfAnswers(a)) {
    return refuse(400, 'invalid_request', `answers: visit ${visit.id} is a ${visit.kind} visit and takes ${QUESTION_SETS[set]}`);
  }
  if (isCampaignAnswers(a)) {
    const satisfaction = typeof a.answers.satisfaction === 'number' ? a.answers.satisfaction : null;
    return { fields: { details: callDetails(visit.details, a), satisfaction }, unqualified: false };
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

/** The visit form's answers as the visit's columns (a suggestion already written stays when none is given). */
export function answerFields(a: VisitAnswers, visit: Readonly<Visit>): Partial<Visit> {
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
