import { VisitStatus } from '../../entities';
import { DAY, Draft, hasRole, HOUR, refuse, staffOf, viaOf } from './lifecycle-draft';
import { Decision, FallbackRoute, Refusal, VisitCommand } from './visit-decision';

/*
 * After the record (docs/rules.md §4, SOP 4.6–4.7): the supervisor's review, an unqualified
 * visit's escalation to the manager in rounds with its deadline and half-time reminder, the
 * handling, the resident's "is it solved now?", the opinions written afterwards, and the
 * closes when time is up. Commands of `decide` (src/visits/visit-lifecycle.ts); pure.
 */

export function review(d: Draft, command: Extract<VisitCommand, { type: 'review' }>): Decision | Refusal {
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

export function closeAfterReview(d: Draft): Decision {
  const { visit, ctx } = d;
  if (visit.status === VisitStatus.Reviewed && visit.reviewedAt && ctx.now.getTime() >= visit.reviewedAt.getTime() + ctx.policy.reviewCloseDays * DAY) {
    d.close('passed', 'review_period_ended');
  }
  return d.done();
}

export function remindHandler(d: Draft): Decision {
  const { visit, ctx } = d;
  if (visit.status !== VisitStatus.Escalated || !visit.escalatedAt || !visit.handleBy || visit.escalationRemindedAt) return d.done();
  const halfway = visit.escalatedAt.getTime() + (visit.handleBy.getTime() - visit.escalatedAt.getTime()) / 2;
  if (ctx.now.getTime() < halfway || ctx.now >= visit.handleBy) return d.done();
  return d.set({ escalationRemindedAt: ctx.now }).note('handler_reminded', { round: visit.escalationRound }).tell({ kind: 'handler_reminder', round: visit.escalationRound }).done();
}

export function reportHandlingOverdue(d: Draft): Decision {
  const { visit, ctx } = d;
  if (visit.status === VisitStatus.Escalated && visit.handleBy && !visit.escalationOverdueAt && ctx.now >= visit.handleBy) {
    d.set({ escalationOverdueAt: ctx.now })
      .note('handling_overdue', { handleBy: visit.handleBy.toISOString() })
      .tell({ kind: 'supervisor_notice', topic: 'handling_overdue', details: { round: visit.escalationRound } });
  }
  return d.done();
}

export function handle(d: Draft, opinion: string, cap: { customerCapFull?: string | null; fallback?: FallbackRoute } = {}): Decision | Refusal {
  const { visit, ctx } = d;
  const staff = staffOf(d.actor);
  if (!staff?.member || !hasRole(staff.member.roles, 'manager')) return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} is not a manager of office ${visit.officeId}`);
  if (visit.status !== VisitStatus.Escalated) return refuse(409, 'not_escalated', `visit ${visit.id} is ${visit.status}; only escalated visits are handled`);
  d.set({ handledAt: ctx.now, handlerId: staff.id, handlingOpinion: opinion, status: VisitStatus.Handled }).note('handled', { round: visit.escalationRound });
  // Nobody to ask whether it is solved: the handling is the end of it.
  if (!visit.residentId) return d.close('handled', 'no_resident').done();
  if (visit.residentRoute === 'external' && cap.customerCapFull) {
    // The WeChat customer's cap is full: no mass-send task it would swallow; the next route asks.
    const to = cap.fallback ?? 'none';
    d.set({ resolutionAskedAt: ctx.now, residentRoute: to })
      .note('route_changed', { from: 'external', to, reason: 'cap_reached', period: cap.customerCapFull })
      .tell({ kind: 'customer_route_failed', outcome: 'cap_reached', to });
    return to === 'official_account' ? d.tell({ kind: 'resident_resolution', round: visit.escalationRound }).done() : d.done();
  }
  return d.set({ resolutionAskedAt: ctx.now }).tell({ kind: 'resident_resolution', round: visit.escalationRound }).done();
}

export function answerResolution(d: Draft, solved: boolean): Decision | Refusal {
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

export function closeWithoutResolution(d: Draft): Decision {
  const { visit, ctx } = d;
  if (visit.status === VisitStatus.Handled && visit.resolutionAskedAt && ctx.now.getTime() >= visit.resolutionAskedAt.getTime() + ctx.policy.resolutionWaitHours * HOUR) {
    d.close('handled', 'resident_silent');
  }
  return d.done();
}

/** The reviewer or the handler writes (or rewrites) their opinion after the fact. */
export function addOpinion(d: Draft, command: Extract<VisitCommand, { type: 'add_opinion' }>): Decision {
  const { visit } = d;
  const staff = staffOf(d.actor);
  if (!staff) return d.done();
  if (visit.handlerId === staff.id && visit.handledAt) d.set({ handlingOpinion: command.text });
  else if (visit.reviewerId === staff.id && visit.reviewedAt) d.set({ reviewOpinion: command.text });
  else return d.done();
  return d.note('opinion_written').done();
}
