import { VisitStatus } from '../../entities';
import { OPEN } from './lifecycle-draft';
import { Actor, Decision, LifecycleContext, Refusal, VisitCommand, VisitSnapshot } from './visit-decision';


/**
 * `reassign` (docs/rules.md §7): a visit not yet recorded moves to a new visitor because the
 * person who runs its subject changed — a project's new warranty lead takes over its warranty
 * visits. Only the system (saving the project) or a supervisor does it. Pure.
 *
 * Invariants: a visit already recorded (or cancelled) is left as it is, and so is one the new
 * visitor already has alone (nothing decided, nothing said); otherwise the new visitor replaces
 * the visitors, with a history entry naming both, and — when the window is already open — is
 * reminded at once, as any visitor assigned to an open visit is.
 */
export function reassign(visit: VisitSnapshot, command: Extract<VisitCommand, { type: 'reassign' }>, actor: Actor, ctx: LifecycleContext): Decision | Refusal {
  const nothing: Decision = { changes: {}, history: [], messages: [] };
  if (actor.kind === 'resident' || (actor.kind === 'staff' && !actor.member?.roles.includes('supervisor'))) {
    return { refused: { status: 403, code: 'forbidden', message: `only a supervisor or the system moves visit ${visit.id} to another visitor` } };
  }
  if (!OPEN.has(visit.status) || visit.recordedAt) return nothing;
  const { to } = command;
  if (visit.assignees.length === 1 && visit.assignees[0]!.staffId === to.staffId && visit.assignees[0]!.role === to.role) return nothing;
  const status =
    visit.status !== VisitStatus.Unassigned ? visit.status : visit.closesAt < ctx.now ? VisitStatus.Overdue : visit.opensAt <= ctx.now ? VisitStatus.Due : VisitStatus.Planned;
  const by = actor.kind === 'staff' ? { actor: actor.id, actorKind: 'staff' as const } : { actor: 'system', actorKind: 'system' as const };
  return {
    changes: { ...(status !== visit.status ? { status } : {}), ...(visit.teamIncomplete ? { teamIncomplete: false } : {}) },
    assignees: [to],
    history: [{ action: 'reassigned', ...by, details: { reason: command.reason, from: visit.assignees, to: [to] } }],
    messages: status === VisitStatus.Planned ? [] : [{ kind: 'visitor_reminder', slot: 'assigned', at: ctx.now, staffIds: [to.staffId] }],
  };
}
