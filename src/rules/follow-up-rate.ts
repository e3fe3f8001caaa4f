/** Counts for one kind and period: eligible work orders and the visits done for them. */
export interface FollowUpCounts {
  /** Eligible work orders completed in the period (selected or `not_sampled`). */
  eligible: number;
  /** Visits done within their window. */
  onTime: number;
  /** Visits done after their window closed. */
  late: number;
}

/** Both figures of docs/rules.md §2, as shares 0–1; `null` when nothing was eligible. */
export interface FollowUpRate {
  /** Visits done (on time or late) ÷ eligible. */
  done: number | null;
  /** The follow-up rate (回访率) proper: visits done within their window ÷ eligible. */
  onTime: number | null;
}

/**
 * The follow-up rate of a kind in a period (docs/rules.md §2): visits completed within their
 * window ÷ eligible work orders; late visits count as done but not as on time, and both
 * figures are reported.
 *
 * Invariant: `onTime ≤ done`; both `null` (not 0, not 100 %) when `eligible` is 0, so a
 * report never shows a rate for nothing.
 *
 * @throws RangeError on counts that are not whole and non-negative, or visits > eligible.
 */
export function followUpRate(counts: FollowUpCounts): FollowUpRate {
  const { eligible, onTime, late } = counts;
  const whole = [eligible, onTime, late].every((n) => Number.isInteger(n) && n >= 0);
  if (!whole || onTime + late > eligible) {
    throw new RangeError(`Invalid follow-up counts: eligible=${eligible}, onTime=${onTime}, late=${late}`);
  }
  if (eligible === 0) return { done: null, onTime: null };
  return { done: (onTime + late) / eligible, onTime: onTime / eligible };
}
