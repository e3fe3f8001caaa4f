import type { DateTime } from 'luxon';
import type { Severity, VisitPurpose, WorkOrderKind } from './kinds';
import { inZone, SpanMemo, toInstant } from './local-time';

/** The period in which a visit should be made; `closesAt` is inclusive (end of its last day). */
export interface VisitWindow {
  purpose: VisitPurpose;
  opensAt: Date;
  closesAt: Date;
}

/** A service contract's period, for special services (特约服务). */
export interface ServiceContract {
  startAt: Date;
  endAt: Date;
}

/** What the window rules need to know about a work order. */
export interface VisitWindowOrder {
  kind: WorkOrderKind;
  severity?: Severity | null;
  completedAt?: Date | null;
  contract?: ServiceContract | null;
}

/**
 * The **interpretation** values of docs/rules.md §2 for special services; configurable per
 * company, with {@link DEFAULT_WINDOW_POLICY} as the defaults.
 */
export interface WindowPolicy {
  /** Share of the contract's duration at which the mid-contract visit opens (0–1). */
  midContractOpensAt: number;
  /** Share of the contract's duration at which the mid-contract visit closes (0–1). */
  midContractClosesAt: number;
  /** A contract shorter than this many calendar days gets only the after-contract visit. */
  minContractDaysForMidVisit: number;
  /** The after-contract visit closes at the end of the day this many days after the end. */
  afterContractDays: number;
}

/** Defaults of docs/rules.md §2: mid visit 40 %–60 % of the contract, 30-day minimum, 7 days after. */
export const DEFAULT_WINDOW_POLICY: Readonly<WindowPolicy> = Object.freeze({
  midContractOpensAt: 0.4,
  midContractClosesAt: 0.6,
  minContractDaysForMidVisit: 30,
  afterContractDays: 7,
});

/**
 * Visit windows of a work order, per docs/rules.md §2 ("Window arithmetic").
 *
 * - complaint (either severity): completion → end of day completion + 3 days;
 * - repair_works (a roof, a façade, a riser): 00:00 on completion + 1 month → end of day
 *   completion + 2 months (SOP 4.1.1b);
 * - repair (a household repair service), help, emergency, other: completion → end of day
 *   completion + 7 days (SOP 4.1.1 names no window for repair services: "other", 4.1.1f);
 * - activity: completion → end of day completion + 1 month;
 * - special_service: a mid-contract window (a share of the contract's duration) unless the
 *   contract is shorter than the policy's minimum, and an after-contract window from the
 *   contract's end (or from `completedAt` if the contract ended early) to the end of the
 *   day `afterContractDays` later. A contract that ended (completedAt) before its mid-contract
 *   window opened loses that window; one that ended later keeps it as planned. Contract
 *   length counts calendar days in `zone`; the 40 %/60 % points are exact elapsed instants.
 *
 * Invariants: days and months are calendar days and months in `zone`, months clamp to the
 * month's end (Jan 31 + 1 month = Feb 28/29); "end of day" is 23:59:59.999 local; for every
 * window `opensAt < closesAt`. A kind other than special_service without `completedAt`, or a
 * special service without a contract, has no window yet: `[]`. Reopening is the caller's
 * concern: call again with the new completion.
 *
 * @throws Error on an unknown zone, an invalid policy, or a contract that ends before it starts.
 */
export function visitWindows(
  order: VisitWindowOrder,
  zone: string,
  policy: WindowPolicy = DEFAULT_WINDOW_POLICY,
): VisitWindow[] {
  if (order.kind === 'special_service') {
    return order.contract ? specialServiceWindows(order.contract, order.completedAt ?? null, zone, policy) : [];
  }
  if (!order.completedAt) return [];
  const { kind, completedAt } = order;
  // The window's bounds depend only on the local day of the completion: worked out once per
  // office day and kind.
  const byKind = completionDays.get(completedAt, zone);
  let bounds = byKind.get(kind);
  if (!bounds) {
    bounds = completionWindow(kind, completedAt, zone);
    byKind.set(kind, bounds);
  }
  // Copies: the remembered instants are shared by every completion of that day.
  return [main(bounds.opensAt ? new Date(bounds.opensAt) : completedAt, new Date(bounds.closesAt))];
}

/** Per office zone, the local day of the last completion seen, with its windows by kind. */
const completionDays = new SpanMemo((instant: Date, zone: string) => {
  const day = inZone(instant, zone).startOf('day');
  return { from: toInstant(day), to: toInstant(day.plus({ days: 1 })), value: new Map<WorkOrderKind, { opensAt: Date | null; closesAt: Date }>() };
});

/** A completed work order's window; `opensAt` null means "from the completion itself". */
function completionWindow(kind: WorkOrderKind, completedAt: Date, zone: string): { opensAt: Date | null; closesAt: Date } {
  // Why the zone: "3 days after" and "1 month after" are calendar days on the office's
  // wall clock, so the arithmetic happens there, not in UTC.
  const completed = inZone(completedAt, zone);
  switch (kind) {
    case 'complaint':
      return { opensAt: null, closesAt: endOfDay(completed.plus({ days: 3 })) };
    case 'repair_works':
      // luxon clamps month arithmetic to the month's end, which is docs/rules.md's rule.
      return { opensAt: toInstant(completed.plus({ months: 1 }).startOf('day')), closesAt: endOfDay(completed.plus({ months: 2 })) };
    case 'repair':
    case 'help':
    case 'emergency':
    case 'other':
      return { opensAt: null, closesAt: endOfDay(completed.plus({ days: 7 })) };
    case 'activity':
      return { opensAt: null, closesAt: endOfDay(completed.plus({ months: 1 })) };
    case 'special_service':
      throw new Error('special services have contract windows');
    default:
      return assertNever(kind);
  }
}

function specialServiceWindows(
  contract: ServiceContract,
  completedAt: Date | null,
  zone: string,
  policy: WindowPolicy,
): VisitWindow[] {
  checkPolicy(policy);
  // Why the zone: the 30-day minimum counts calendar days on the office's wall clock.
  const start = inZone(contract.startAt, zone);
  const end = inZone(contract.endAt, zone);
  if (end <= start) {
    throw new Error('Invalid contract: endAt must be after startAt');
  }
  const windows: VisitWindow[] = [];
  const shortContract = end < start.plus({ days: policy.minContractDaysForMidVisit });
  if (!shortContract) {
    // Shares of a duration are elapsed time, not wall-clock time: exact instants, no zone.
    const duration = contract.endAt.getTime() - contract.startAt.getTime();
    const opensAt = new Date(contract.startAt.getTime() + Math.round(duration * policy.midContractOpensAt));
    const closesAt = new Date(contract.startAt.getTime() + Math.round(duration * policy.midContractClosesAt));
    // A contract that ended before its mid visit could open has nothing left to visit
    // mid-way; the after-contract visit covers it.
    const endedBeforeMidVisit = completedAt !== null && completedAt < opensAt;
    if (!endedBeforeMidVisit) windows.push({ purpose: 'mid_contract', opensAt, closesAt });
  }
  const endedAt = completedAt !== null && completedAt < contract.endAt ? completedAt : contract.endAt;
  // Why the zone: "7 days after" ends at the end of a calendar day on the office's clock.
  const closesAt = endOfDay(inZone(endedAt, zone).plus({ days: policy.afterContractDays }));
  windows.push({ purpose: 'after_contract', opensAt: endedAt, closesAt });
  return windows;
}

function checkPolicy(policy: WindowPolicy): void {
  const { midContractOpensAt: from, midContractClosesAt: to } = policy;
  if (!(from >= 0 && from < to && to <= 1)) {
    throw new Error(`Invalid window policy: need 0 <= midContractOpensAt < midContractClosesAt <= 1, got ${from} and ${to}`);
  }
  for (const key of ['minContractDaysForMidVisit', 'afterContractDays'] as const) {
    if (!Number.isInteger(policy[key]) || policy[key] < 0) {
      throw new Error(`Invalid window policy: ${key} must be a whole number of days >= 0, got ${policy[key]}`);
    }
  }
}

function main(opensAt: Date, closesAt: Date): VisitWindow {
  return { purpose: 'main', opensAt, closesAt };
}

/** 23:59:59.999 on the local day of `local`: luxon's endOf('day') is next local midnight − 1 ms. */
function endOfDay(local: DateTime): Date {
  return toInstant(local.endOf('day'));
}

function assertNever(kind: never): never {
  throw new Error(`Unknown work-order kind "${String(kind)}"`);
}
