import { DataSource, EntityManager } from 'typeorm';
import { Visit, VisitStatus, WorkOrder } from '../../entities';
import { Clock } from '../clock';
import { inTransaction } from '../db/transaction';
import { assigneesOf, lockVisit, saveDecision } from '../db/visit-store';
import { ConflictError, DomainError, NotFoundError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { InstantSends } from '../outbox/instant-sends';
import { Severity, WorkOrderKind } from '../rules/kinds';
import { resolvePolicy } from '../rules/office-policy';
import { visitorRoles } from '../rules/visitor-roles';
import { VisitContexts } from './visit-context';
import { Actor, Assignee, Decision, FallbackRoute, isNoChange, isRefusal, LifecycleContext, VisitCommand, VisitMessage, VisitSnapshot } from './visit-decision';
import { allowedStaffActions, decide, StaffAction } from './visit-lifecycle';
import { VisitMessages } from './visit-messages';

/**
 * Facts for asking a WeChat customer, read in the visit's transaction: which period of the
 * customer's cap is full (null: none), and the route after theirs.
 */
export type CustomerAskFacts = (manager: EntityManager, visit: VisitSnapshot, ctx: LifecycleContext) => Promise<{ customerCapFull: string | null; fallback: FallbackRoute }>;

/** Who acts, as entry points know them: the lifecycle looks up a staff member's roles itself. */
export type ActorRef = { kind: 'system' } | { kind: 'resident'; via: string } | { kind: 'staff'; id: string };

/** What a run did: the visit as it left it, what was decided, and how many messages were queued. */
export interface Applied {
  visit: VisitSnapshot;
  decision: Decision;
  /** Outbox rows queued, per kind of message (a repeat queues none). */
  queued: Partial<Record<VisitMessage['kind'], number>>;
  /**
   * Dedupe keys of the rows a person waits for (a prompt run): `run` holds them for this
   * instance in its transaction and sends them once it has committed; a caller of `runIn`
   * does both around its own commit (InstantSends).
   */
  instant: string[];
}

export interface RunOptions {
  /** Offices and staff read once for a whole sweep run; a fresh loader otherwise. */
  contexts?: VisitContexts;
  /** A person waits for what this queues (their tap, their record); default: any actor but the system. */
  prompt?: boolean;
}

/**
 * The one place that applies the visit lifecycle: reads the visit under a lock, asks the pure
 * lifecycle (src/visits/visit-lifecycle.ts) what the command means, and saves the decision —
 * the visit's changes, visitors, history, kept counts and messages — in one transaction.
 * Entry points (admin API, chat callbacks, survey page, staff form, sweeps) only say which
 * command happened and who made it happen.
 */
export class VisitLifecycle {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      messages: VisitMessages;
      defaultTimeZone: string;
      /** Throws `409 quarter_archived` when the visit's quarter is locked (the archive). */
      assertWritable?: (manager: EntityManager, visit: Visit) => Promise<void>;
      /** Sends what a person waits for right after the commit; without it the schedule does. */
      instant?: InstantSends;
      /** What asking a WeChat customer depends on: their cap, and the route after theirs (src/wechat). */
      customers?: CustomerAskFacts;
    },
  ) {}

  /** A loader of visit contexts, for callers that run many commands (a sweep). */
  contexts(): VisitContexts {
    return new VisitContexts(this.deps.defaultTimeZone);
  }

  /**
   * Runs commands on one visit, in order, in a transaction of their own; the visit as they
   * leave it. Once committed, what a person waits for is sent at once (not awaited).
   */
  async run(visitId: number, commands: VisitCommand | VisitCommand[], actor: ActorRef, options: RunOptions = {}): Promise<Applied> {
    const applied = await inTransaction(this.deps.dataSource, async (manager) => {
      const done = await this.runIn(manager, visitId, commands, actor, options);
      await this.deps.instant?.hold(manager, done.instant);
      return done;
    });
    this.deps.instant?.send(applied.instant);
    return applied;
  }

  /**
   * Runs commands inside the caller's transaction. A refused command throws its DomainError
   * (403/409) before anything is written; commands that decide nothing write nothing.
   */
  async runIn(manager: EntityManager, visitId: number, commands: VisitCommand | VisitCommand[], ref: ActorRef, options: RunOptions = {}): Promise<Applied> {
    const now = this.deps.clock.now();
    const contexts = options.contexts ?? this.contexts();
    const before = await lockVisit(manager, visitId);
    if (!before) throw new NotFoundError(`visit ${visitId}`);
    const office = await contexts.office(manager, before.officeId);
    const ctx: LifecycleContext = { now, zone: officeZone(office, this.deps.defaultTimeZone), policy: resolvePolicy(office.policy) };
    const actor = await this.actorOf(manager, contexts, before, ref);

    let state = before;
    const decision: Decision = { changes: {}, history: [], messages: [] };
    for (const command of Array.isArray(commands) ? commands : [commands]) {
      const outcome = decide(state, await this.complete(manager, contexts, state, command, ctx), actor, ctx);
      if (isRefusal(outcome)) throw refusalError(outcome.refused);
      Object.assign(decision.changes, outcome.changes);
      if (outcome.assignees) decision.assignees = outcome.assignees;
      decision.history.push(...outcome.history);
      decision.messages.push(...outcome.messages);
      state = { ...state, ...outcome.changes, assignees: outcome.assignees ?? state.assignees };
    }
    if (isNoChange(decision)) return { visit: before, decision, queued: {}, instant: [] };

    // Records of an archived quarter are read-only: every change asks the archive first.
    await this.deps.assertWritable?.(manager, before);
    const after = await saveDecision(manager, before, decision, now);
    const queued: Applied['queued'] = {};
    const instant: string[] = [];
    if (decision.messages.length > 0) {
      const context = await contexts.load(manager, after);
      const prompt = options.prompt ?? ref.kind !== 'system';
      for (const message of decision.messages) {
        const keys = await this.deps.messages.queue(manager, context, message, { now, prompt });
        queued[message.kind] = (queued[message.kind] ?? 0) + keys.length;
        if (prompt) instant.push(...keys);
      }
    }
    return { visit: after, decision, queued, instant };
  }

  /**
   * What a staff member may do to a visit now (pages offer exactly this); the command decides
   * again, under the lock, when it is taken.
   */
  async allowedActions(visitId: number, staffId: string): Promise<StaffAction[]> {
    const manager = this.deps.dataSource.manager;
    const contexts = this.contexts();
    const visit = await manager.findOneBy(Visit, { id: visitId });
    if (!visit) return [];
    const snapshot = { ...visit, assignees: await assigneesOf(manager, visitId) };
    const office = await contexts.office(manager, visit.officeId);
    const actor = await this.actorOf(manager, contexts, snapshot, { kind: 'staff', id: staffId });
    if (actor.kind !== 'staff') return [];
    return allowedStaffActions(snapshot, actor, { now: this.deps.clock.now(), zone: officeZone(office, this.deps.defaultTimeZone), policy: resolvePolicy(office.policy) });
  }

  private async actorOf(manager: EntityManager, contexts: VisitContexts, visit: VisitSnapshot, ref: ActorRef): Promise<Actor> {
    if (ref.kind !== 'staff') return ref;
    // Only active staff of the visit's own office act on it: a staff id of another office is nobody here.
    const member = (await contexts.staffOf(manager, visit.officeId)).find((s) => s.id === ref.id && s.active);
    return { kind: 'staff', id: ref.id, member: member ? { id: member.id, roles: member.roles } : null };
  }

  /** Fills in what an `assign` needs to know: the named staff's roles and the roles the visit requires. */
  private async complete(manager: EntityManager, contexts: VisitContexts, visit: VisitSnapshot, command: VisitCommand, ctx: LifecycleContext): Promise<VisitCommand> {
    // Only when a task may be created now: the resident's row is locked and their tasks counted.
    const asking =
      (command.type === 'ask_resident' && !visit.residentAskedAt && !visit.recordedAt) ||
      (command.type === 'reask_resident' && visit.residentAskedAt && !visit.residentReaskedAt && !visit.recordedAt) ||
      // The manager's handling asks the resident whether the problem is solved.
      (command.type === 'handle' && visit.status === VisitStatus.Escalated);
    if (asking && visit.residentRoute === 'external' && this.deps.customers) {
      return { ...command, ...(await this.deps.customers(manager, visit, ctx)) };
    }
    if (command.type !== 'assign') return command;
    const staff = (await contexts.staffOf(manager, visit.officeId)).filter((s) => s.active);
    const order = visit.workOrderId ? await manager.findOneBy(WorkOrder, { id: visit.workOrderId }) : null;
    const { roles } = visitorRoles(visit.kind as WorkOrderKind, (order?.severity ?? null) as Severity | null);
    return { ...command, staff: staff.map((s) => ({ id: s.id, roles: s.roles })), requiredRoles: roles };
  }
}

/** A refusal as the error the HTTP layer maps to its status (409 is a ConflictError, as everywhere). */
function refusalError(refused: { status: number; code: string; message: string }): DomainError {
  return refused.status === 409 ? new ConflictError(refused.code, refused.message) : new DomainError(refused.code, refused.message, refused.status);
}

/** The `assign` command as an entry point gives it: the lifecycle completes the rest. */
export function assignCommand(assignees: Assignee[]): VisitCommand {
  return { type: 'assign', assignees, staff: [], requiredRoles: [] };
}
