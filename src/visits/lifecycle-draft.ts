import { Visit, VisitStatus } from '../../entities';
import { StaffRole } from '../rules/kinds';
import { Actor, Decision, HistoryNote, LifecycleContext, Refusal, VisitMessage, VisitSnapshot } from './visit-decision';

/*
 * What every command family of the visit lifecycle (src/visits/visit-lifecycle.ts) decides
 * with: the statuses of docs/rules.md §4, the decision in the making (a Draft), refusals, and
 * who the actor is. Pure.
 */

/** Statuses in which a visit still waits for its record (docs/rules.md §4). */
export const OPEN = new Set<VisitStatus>([VisitStatus.Planned, VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/** Statuses in which a visit can be recorded: its window has opened (or nobody is assigned yet); an overdue one is recorded late. */
export const RECORDABLE = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/** Statuses in which the window is open and the visitors and resident are reminded. */
export const WAITING = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress]);

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Builds a decision step by step; `done()` hands it over. */
export class Draft {
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

/** The decision of a command with nothing to do. */
export function nothing(): Decision {
  return { changes: {}, history: [], messages: [] };
}

export function refuse(status: 400 | 403 | 409, code: string, message: string): Refusal {
  return { refused: { status, code, message } };
}

/** Why a visit that is not recordable now cannot be recorded. */
export function notRecordable(visit: VisitSnapshot): Refusal {
  return visit.status === VisitStatus.Planned
    ? refuse(409, 'window_not_open', `visit ${visit.id}'s window opens ${visit.opensAt.toISOString()}`)
    : refuse(409, 'not_recordable', `visit ${visit.id} is ${visit.status} and cannot be recorded`);
}

export function staffOf(actor: Actor): Extract<Actor, { kind: 'staff' }> | null {
  return actor.kind === 'staff' ? actor : null;
}

/** How the actor acted, as the history says it: the resident's channel, the staff id, or the system. */
export function viaOf(actor: Actor): string {
  return actor.kind === 'resident' ? actor.via : actor.kind === 'staff' ? actor.id : 'system';
}

function actorOf(actor: Actor, visit: VisitSnapshot): Pick<HistoryNote, 'actor' | 'actorKind'> {
  if (actor.kind === 'staff') return { actor: actor.id, actorKind: 'staff' };
  if (actor.kind === 'resident') return { actor: visit.residentId ?? 'resident', actorKind: 'resident' };
  return { actor: 'system', actorKind: 'system' };
}

export function hasRole(roles: readonly StaffRole[], ...wanted: StaffRole[]): boolean {
  return roles.some((r) => wanted.includes(r));
}
