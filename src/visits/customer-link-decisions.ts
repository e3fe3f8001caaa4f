import { VisitStatus } from '../../entities';
import { residentAskInstant } from '../rules/resident-ask';
import { CustomerLinkOutcome, Decision, FallbackRoute, HistoryNote, LifecycleContext, VisitCommand, VisitMessage, VisitSnapshot } from './visit-decision';

/*
 * The lifecycle's decisions about a WeChat customer's mass-send task (docs/rules.md §3 "How a
 * resident is reached"): pure, like the rest of src/visits/visit-lifecycle.ts, which calls them.
 * A route that fails never leaves the visit waiting in silence: it falls to the Official
 * Account where the resident follows it, else to the visitors' phone, and the history says why.
 */

/** Statuses in which the resident is still to be reached. */
const WAITING = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress]);

/** The customer's cap is full at the moment of asking: no task is created, the next route takes over. */
export function askPastFullCap(visit: VisitSnapshot, command: Extract<VisitCommand, { type: 'ask_resident' | 'reask_resident' }>, ctx: LifecycleContext): Decision | null {
  if (visit.residentRoute !== 'external' || !command.customerCapFull) return null;
  return fallBack(visit, 'cap_reached', command.fallback ?? 'none', 'survey', ctx, { period: command.customerCapFull });
}

/** What the customer-messages job found out about a task. */
export function customerLinkOutcome(visit: VisitSnapshot, command: Extract<VisitCommand, { type: 'customer_link_outcome' }>, ctx: LifecycleContext): Decision {
  if (command.outcome === 'sent') {
    if (visit.residentReachedAt) return empty();
    const at = command.at ?? ctx.now;
    const via = command.via === 'external' ? 'customer_message' : 'official_account';
    return { changes: { residentReachedAt: at }, history: [note('resident_reached', { via, at: at.toISOString() })], messages: [] };
  }
  // Answered meanwhile, closed, or already on another route: only the history hears of it.
  const stillWaiting = command.purpose === 'resolution' ? visit.status === VisitStatus.Handled : WAITING.has(visit.status) && !visit.recordedAt;
  if (!stillWaiting || visit.residentRoute !== command.via || visit.residentReachedAt) {
    return { changes: {}, history: [note('customer_message_ended', { outcome: command.outcome })], messages: [] };
  }
  // The Official Account is the last route in chat: after it, the phone.
  return fallBack(visit, command.outcome, command.via === 'external' ? command.fallback : 'none', command.purpose, ctx, {});
}

/** The member has not confirmed the task yet: our own reminder in chat, naming the resident, once. */
export function customerLinkPending(visit: VisitSnapshot, command: Extract<VisitCommand, { type: 'customer_link_pending' }>): Decision {
  if (visit.residentRoute !== 'external' || visit.residentReachedAt) return empty();
  return {
    changes: {},
    history: [note('customer_message_reminded', { sender: command.sender, phoneAt: command.phoneAt.toISOString() })],
    messages: [{ kind: 'customer_link_reminder', sender: command.sender, phoneAt: command.phoneAt }],
  };
}

function fallBack(
  visit: VisitSnapshot,
  outcome: CustomerLinkOutcome,
  to: FallbackRoute,
  purpose: 'survey' | 'resolution',
  ctx: LifecycleContext,
  details: Record<string, unknown>,
): Decision {
  const history: HistoryNote[] = [note('route_changed', { from: visit.residentRoute, to, reason: outcome, ...details })];
  const messages: VisitMessage[] = [{ kind: 'customer_route_failed', outcome, to }];
  if (to === 'official_account') {
    const at = residentAskInstant(ctx.now, ctx.zone, ctx.policy.residentQuietHours);
    messages.push(purpose === 'survey' ? { kind: 'resident_survey', stage: 'ratings', attempt: 1, at } : { kind: 'resident_resolution', round: visit.escalationRound });
    return { changes: { residentRoute: to, ...(purpose === 'survey' ? { residentAskedAt: at, residentReaskedAt: null } : {}) }, history, messages };
  }
  // The phone: the visit is the visitors' now, as after a silent resident (docs/rules.md §3).
  return { changes: { residentRoute: to, ...(purpose === 'survey' ? { handedBackAt: ctx.now } : {}) }, history, messages };
}

function note(action: string, details: Record<string, unknown>): HistoryNote {
  return { action, actor: 'system', actorKind: 'system', details };
}

function empty(): Decision {
  return { changes: {}, history: [], messages: [] };
}
