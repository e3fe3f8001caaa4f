import { VisitStatus } from '../../entities';
import { deferPastQuietHours } from '../rules/quiet-hours';
import { reminderInstants } from '../rules/reminder-instants';
import { residentAskInstant } from '../rules/resident-ask';
import { Draft, hasRole, HOUR, OPEN, refuse, staffOf, WAITING } from './lifecycle-draft';
import { pendingStage } from './lifecycle-resident';
import { askPastFullCap } from './customer-link-decisions';
import { Decision, Refusal, VisitCommand, VisitSnapshot } from './visit-decision';

/*
 * The open visit, while it waits for its record (docs/rules.md §3–§4, SOP 4.1–4.3): its window
 * opens, the resident is asked and asked again, the visitors are reminded and get the visit
 * back from a silent resident, the window closes unrecorded (overdue); the supervisor assigns
 * its visitors; the visitors note what they did; a reopened or changed work order cancels it.
 * Commands of `decide` (src/visits/visit-lifecycle.ts); pure.
 */

export function openWindow(d: Draft): Decision {
  const { visit, ctx } = d;
  if (visit.status === VisitStatus.Planned && visit.opensAt <= ctx.now) d.set({ status: VisitStatus.Due }).note('window_opened');
  return d.done();
}

export function askResident(d: Draft, command: Extract<VisitCommand, { type: 'ask_resident' }>): Decision {
  const { visit, ctx } = d;
  if (!asksResident(visit) || visit.residentAskedAt || visit.recordedAt) return d.done();
  if (!(OPEN.has(visit.status) && visit.status !== VisitStatus.Planned && visit.opensAt <= ctx.now && visit.closesAt > ctx.now)) return d.done();
  // A WeChat customer whose cap is full gets no task the cap would swallow: the next route asks.
  const capped = askPastFullCap(visit, command, ctx);
  if (capped) return capped;
  const at = residentAskInstant(visit.opensAt > ctx.now ? visit.opensAt : ctx.now, ctx.zone, ctx.policy.residentQuietHours);
  return d
    .set({ residentAskedAt: at })
    .note('resident_asked', { at: at.toISOString() })
    .tell({ kind: 'resident_survey', stage: 'ratings', attempt: 1, at })
    .done();
}

export function remindVisitors(d: Draft): Decision {
  const { visit, ctx } = d;
  // A campaign's callers get the day's calls as one morning list (src/campaigns/morning-calls.ts), not a card per call.
  if (visit.kind === 'campaign') return d.done();
  if (!WAITING.has(visit.status) || visit.recordedAt || visit.assignees.length === 0 || visit.closesAt <= ctx.now) return d.done();
  const due = reminderInstants({ opensAt: visit.opensAt, closesAt: visit.closesAt }, ctx.zone, { quiet: ctx.policy.staffQuietHours }).filter((r) => r.at <= ctx.now);
  // Only the latest slot that has come: after downtime one reminder, not a burst. The message's
  // key (visit, slot, person) makes a second sweep queue nothing.
  const latest = due[due.length - 1];
  if (latest) d.tell({ kind: 'visitor_reminder', slot: latest.slot, at: latest.at });
  return d.done();
}

export function reaskResident(d: Draft, command: Extract<VisitCommand, { type: 'reask_resident' }>): Decision {
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

export function handBack(d: Draft): Decision {
  const { visit, ctx } = d;
  if (!visit.residentReaskedAt || visit.handedBackAt || visit.recordedAt || !WAITING.has(visit.status)) return d.done();
  if (ctx.now.getTime() < visit.residentReaskedAt.getTime() + ctx.policy.residentReaskAfterHours * HOUR) return d.done();
  return d
    .set({ handedBackAt: ctx.now })
    .note('resident_silent', { handedBackTo: visit.assignees.map((a) => a.staffId) })
    .tell({ kind: 'visitor_reminder', slot: 'no_answer', at: ctx.now })
    .done();
}

export function markOverdue(d: Draft): Decision {
  const { visit, ctx } = d;
  if (OPEN.has(visit.status) && visit.status !== VisitStatus.Overdue && !visit.recordedAt && visit.closesAt < ctx.now) {
    d.set({ status: VisitStatus.Overdue }).note('overdue', { closedAt: visit.closesAt.toISOString() });
    // A campaign's missed calls reach the supervisor together, in the daily closing (docs/rules.md §8), not as a card per call.
    if (visit.kind !== 'campaign') d.tell({ kind: 'supervisor_notice', topic: 'overdue' });
  }
  return d.done();
}

export function cancel(d: Draft, command: Extract<VisitCommand, { type: 'cancel' }>): Decision {
  if (OPEN.has(d.visit.status)) d.set({ status: VisitStatus.Cancelled, cancelReason: command.reason }).note('cancelled', { reason: command.reason });
  return d.done();
}

export function assign(d: Draft, command: Extract<VisitCommand, { type: 'assign' }>): Decision | Refusal {
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

export function noteStaffAction(d: Draft, command: Extract<VisitCommand, { type: 'note_staff_action' }>): Decision {
  if (command.action === 'visit_started' && d.visit.status === VisitStatus.Due) d.set({ status: VisitStatus.InProgress });
  // A link the staff sent counts as the ask: the schedule does not ask again, and re-asks from here.
  if (command.action === 'survey_link_sent' && asksResident(d.visit) && !d.visit.residentAskedAt && !d.visit.recordedAt) d.set({ residentAskedAt: d.ctx.now });
  // WeCom confirmed the send into the chat: the link reached the resident (a mass-send task for it then ends quietly).
  if (command.action === 'survey_link_sent' && !d.visit.residentReachedAt) d.set({ residentReachedAt: d.ctx.now });
  return d.note(command.action, command.details ?? {}).done();
}

/** The resident is asked by the product itself: a visit they complete, reachable by card or customer link. */
function asksResident(visit: VisitSnapshot): boolean {
  return visit.residentCompletes && (visit.residentRoute === 'card' || visit.residentRoute === 'external' || visit.residentRoute === 'official_account');
}
