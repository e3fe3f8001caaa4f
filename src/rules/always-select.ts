import type { WorkOrderKind } from './kinds';

/** Why a work order is visited whatever the sampling quota says (docs/rules.md §2). */
export type AlwaysSelectReason = 'recent_unqualified' | 'repeat_repair';

/** What {@link alwaysSelectReason} needs to know about the work order's unit and history. */
export interface AlwaysSelectContext {
  kind: WorkOrderKind;
  /** The unit had a visit judged unqualified within the last 90 days. */
  unqualifiedVisitOnUnitWithin90Days: boolean;
  /** Repairs of the same matter on the same unit earlier in this quarter (this one excluded). */
  earlierRepairsOfSameMatterOnUnitThisQuarter: number;
}

/**
 * Whether a work order must be visited regardless of the quota, and why.
 *
 * Invariant: `recent_unqualified` (any kind) wins over `repeat_repair`; `repeat_repair` only
 * for a repair that is the second or later of the same matter on the unit in the quarter;
 * otherwise `null`. The caller computes the 90 days and the quarter (see `quarterOf`).
 */
export function alwaysSelectReason(ctx: AlwaysSelectContext): AlwaysSelectReason | null {
  if (ctx.unqualifiedVisitOnUnitWithin90Days) return 'recent_unqualified';
  if (ctx.kind === 'repair' && ctx.earlierRepairsOfSameMatterOnUnitThisQuarter >= 1) return 'repeat_repair';
  return null;
}
