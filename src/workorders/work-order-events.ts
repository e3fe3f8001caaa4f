import { WorkOrder, WorkOrderState } from '../../entities';
import { WorkOrderKind } from '../rules/kinds';
import { OfficePolicy } from '../rules/office-policy';
import { visitWindows, VisitWindow } from '../rules/visit-window';
import { WorkOrderEvent } from './work-order-event.schema';

/** What an event asks of a work order's visits (docs/rules.md §2). */
export type EventMeaning =
  | { kind: 'nothing'; reason: string }
  /** A completion, first or again after a reopen: sample it, then plan its window. */
  | { kind: 'completion' }
  /** A special service whose contract is known: plan (or replan) its two visits. */
  | { kind: 'special_service' }
  /** Reopened or cancelled: its open visits are cancelled with this reason. */
  | { kind: 'cancel'; reason: 'reopened' | 'work_order_cancelled' };

/**
 * The work order as an event leaves it (written once, after the rules ran). "created" and
 * "updated" keep the lifecycle state a completion or reopen set; a reopen clears the
 * completion; the earliest event's instant is when the work order was received.
 */
export function mergeWorkOrder(existing: WorkOrder | null, event: WorkOrderEvent, now: Date): WorkOrder {
  const w = event.workOrder;
  const state = event.type.slice('work_order.'.length) as WorkOrderState;
  const order =
    existing ??
    Object.assign(new WorkOrder(), {
      id: w.id,
      createdAt: now,
      receivedAt: event.occurredAt,
      completions: 0,
      quarter: null,
      sampling: null,
      samplingReason: null,
      samplingEligible: null,
      samplingSelected: null,
      samplingTarget: null,
    });
  Object.assign(order, {
    officeId: w.officeId,
    kind: w.kind,
    severity: w.severity ?? null,
    department: w.department ?? null,
    matterKey: w.matterKey ?? order.matterKey ?? null,
    title: w.title ?? order.title ?? null,
    unitId: w.unitId ?? order.unitId ?? null,
    residentId: w.resident?.id ?? order.residentId ?? null,
    state: state === 'updated' && existing ? existing.state : state,
    completedAt: w.completedAt ?? (state === 'reopened' ? null : order.completedAt ?? null),
    contractStartAt: w.contract?.startAt ?? order.contractStartAt ?? null,
    contractEndAt: w.contract?.endAt ?? order.contractEndAt ?? null,
    receivedAt: receivedAt(order, event),
    lastEventAt: event.occurredAt,
    lastEventId: event.eventId,
    updatedAt: now,
  });
  return order;
}

/**
 * When the work order was received: the earliest instant any of its events names, so an
 * earlier event that arrives late (and is otherwise stale) still moves it back.
 */
export function receivedAt(order: Pick<WorkOrder, 'receivedAt'>, event: Pick<WorkOrderEvent, 'occurredAt'>): Date {
  return order.receivedAt && order.receivedAt <= event.occurredAt ? order.receivedAt : event.occurredAt;
}

/**
 * What an applied event means for the work order's visits. Only a completion (or a special
 * service's contract) creates visits; a completion of a work order already completed plans
 * nothing again; reopen and cancel cancel the open ones.
 */
export function eventMeaning(order: WorkOrder, previousState: WorkOrderState | null, event: WorkOrderEvent): EventMeaning {
  switch (event.type) {
    case 'work_order.reopened':
      return { kind: 'cancel', reason: 'reopened' };
    case 'work_order.cancelled':
      return { kind: 'cancel', reason: 'work_order_cancelled' };
    case 'work_order.created':
    case 'work_order.updated':
      if (order.kind === 'special_service' && order.contractStartAt && order.contractEndAt) return { kind: 'special_service' };
      return { kind: 'nothing', reason: 'no visit is due until the work order is completed' };
    case 'work_order.completed':
      if (order.kind === 'special_service') {
        return order.contractStartAt && order.contractEndAt
          ? { kind: 'special_service' }
          : { kind: 'nothing', reason: 'a special service needs its contract (startAt, endAt) to plan visits' };
      }
      if (previousState === 'completed') return { kind: 'nothing', reason: 'already completed: its visits are planned' };
      return { kind: 'completion' };
  }
}

/**
 * The visit windows of a work order under the office's policy. For a special service the
 * after-contract window runs from the contract's end, or from a completion before it (the
 * contract ended early).
 */
export function windowsOf(order: WorkOrder, zone: string, policy: OfficePolicy): VisitWindow[] {
  const windowPolicy = {
    midContractOpensAt: policy.specialService.midFrom,
    midContractClosesAt: policy.specialService.midTo,
    afterContractDays: policy.specialService.afterDays,
    minContractDaysForMidVisit: 30,
  };
  if (order.kind === 'special_service') {
    if (!order.contractStartAt || !order.contractEndAt) return [];
    const contract = { startAt: order.contractStartAt, endAt: order.contractEndAt };
    const endedEarly = order.completedAt !== null && order.completedAt < contract.endAt ? order.completedAt : null;
    return visitWindows({ kind: 'special_service', contract, completedAt: endedEarly }, zone, windowPolicy);
  }
  return visitWindows({ kind: order.kind as WorkOrderKind, severity: order.severity as 'major' | 'general' | null, completedAt: order.completedAt }, zone, windowPolicy);
}

/**
 * The window a work order is counted by (docs/rules.md §2 "Which quarter"): its only window,
 * or a special service's after-contract window (its mid-contract visit is an extra visit).
 */
export function countedWindow(windows: readonly VisitWindow[]): VisitWindow | null {
  return windows.find((w) => w.purpose === 'after_contract') ?? windows.find((w) => w.purpose === 'main') ?? null;
}
