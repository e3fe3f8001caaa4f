import type { AlwaysSelectReason } from './always-select';

/** The counts of one office, kind and quarter before this work order, and its target. */
export interface SamplingInput {
  /** Rate target 0–1 (see `rateTargetFor`). */
  target: number;
  /** Eligible work orders already counted in the office, kind and quarter. */
  eligibleBefore: number;
  /** Of those, how many were selected for a visit. */
  selectedBefore: number;
  /** Set when the work order must be visited whatever the quota (see `alwaysSelectReason`). */
  alwaysSelect: AlwaysSelectReason | null;
}

/** Why a work order was (or was not: `quota_met`) selected; stored for the audit. */
export type SamplingReason = 'full_rate' | 'quota' | AlwaysSelectReason | 'quota_met';

/**
 * The decision and the counts after it, to be stored with the work order. The selected
 * count is `selectedAfter` (mirroring the input's `selectedBefore`) because `selected` is
 * the decision itself: one object cannot carry both under the same key.
 */
export interface SamplingDecision {
  selected: boolean;
  reason: SamplingReason;
  /** Eligible count including this work order (eligibleBefore + 1). */
  eligible: number;
  /** Selected count including this work order if selected. */
  selectedAfter: number;
  /** ceil(target × eligible): the fewest selections that keep the rate at the target. */
  quota: number;
}

/**
 * Decides whether a completed, eligible work order gets a visit (docs/rules.md §2).
 *
 * Counting itself as eligible, it is selected when the target is 100 %, when it must always
 * be selected, or while `selectedBefore < ceil(target × eligible)`. Reasons are checked in
 * that order, so a 100 % kind is always `full_rate`.
 *
 * Invariant: fed its own output in sequence, `selectedAfter ≥ target × eligible` holds after every
 * work order (the rate never falls below the target) and, without always-selects,
 * `selectedAfter === quota` (the least work). `target × eligible` is rounded to 1e-9 before the
 * ceiling so that float noise (0.07 × 100 = 7.000000000000001) does not add a visit.
 *
 * @throws RangeError on a target outside 0–1 or counts that are not whole, non-negative and
 *   with `selectedBefore ≤ eligibleBefore`.
 */
export function sampleWorkOrder(input: SamplingInput): SamplingDecision {
  const { target, eligibleBefore, selectedBefore, alwaysSelect } = input;
  if (!Number.isFinite(target) || target < 0 || target > 1) {
    throw new RangeError(`Invalid rate target ${target}: expected a share between 0 and 1`);
  }
  if (!isCount(eligibleBefore) || !isCount(selectedBefore) || selectedBefore > eligibleBefore) {
    throw new RangeError(
      `Invalid sampling counts: eligibleBefore=${eligibleBefore}, selectedBefore=${selectedBefore}`,
    );
  }
  const eligible = eligibleBefore + 1;
  const quota = Math.ceil(Math.round(target * eligible * 1e9) / 1e9);
  const reason: SamplingReason =
    target >= 1 ? 'full_rate' : alwaysSelect ?? (selectedBefore < quota ? 'quota' : 'quota_met');
  const selected = reason !== 'quota_met';
  return { selected, reason, eligible, selectedAfter: selectedBefore + (selected ? 1 : 0), quota };
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}
