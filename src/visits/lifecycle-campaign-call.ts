import { VisitStatus } from '../../entities';
import { Draft, hasRole, notRecordable, RECORDABLE, refuse, staffOf } from './lifecycle-draft';
import { Decision, Refusal, VisitCommand } from './visit-decision';

/*
 * A campaign call that did not reach the customer (docs/rules.md §8): an attempt, not a
 * record. It is counted on the visit (`details.attempts`, the method tried) and on its history,
 * and the visit stays open — in progress — for the next try or the next method (phone first,
 * then chat, then e-mail). Command of `decide` (src/visits/visit-lifecycle.ts); pure.
 */
export function callAttempt(d: Draft, command: Extract<VisitCommand, { type: 'call_attempt' }>): Decision | Refusal {
  const { visit } = d;
  const staff = staffOf(d.actor);
  if (visit.kind !== 'campaign') return refuse(409, 'not_a_campaign_call', `visit ${visit.id} is not a campaign call`);
  const assigned = staff ? visit.assignees.some((a) => a.staffId === staff.id) : false;
  if (!staff?.member || !(assigned || hasRole(staff.member.roles, 'supervisor', 'manager'))) {
    return refuse(403, 'forbidden', `${staff?.id ?? 'this person'} is not assigned to visit ${visit.id}`);
  }
  if (visit.recordedAt) return refuse(409, 'already_recorded', `visit ${visit.id} is already recorded`);
  if (!RECORDABLE.has(visit.status)) return notRecordable(visit);
  const attempts = Number(visit.details?.attempts ?? 0) + 1;
  d.set({
    details: { ...(visit.details ?? {}), attempts, lastAttemptMethod: command.method },
    ...(visit.status === VisitStatus.Due ? { status: VisitStatus.InProgress } : {}),
  });
  return d.note('call_attempt', { method: command.method, attempt: attempts, via: command.via, ...(command.notes ? { notes: command.notes } : {}), ...command.details }).done();
}
