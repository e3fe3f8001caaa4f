import type { Severity, WorkOrderKind } from './kinds';

/**
 * Default follow-up rate targets per kind (docs/rules.md §2, SOP 4.1.2), as shares 0–1.
 * `other` is 0 until the supervisor sets it; offices override any kind.
 */
export const DEFAULT_RATE_TARGETS: Readonly<Record<WorkOrderKind, number>> = Object.freeze({
  complaint: 1,
  repair: 0.8,
  repair_works: 0.8,
  special_service: 0.8,
  help: 0.8,
  emergency: 0.8,
  activity: 0.2,
  other: 0,
});

/**
 * The rate target (0–1) that applies to a work order of `kind` in an office.
 *
 * Invariant: an office's override wins over the default whenever it is present; the result is
 * always within 0–1. `severity` is accepted so callers pass what they know: both severities
 * of complaint have the same target today (100 %), so it does not change the result.
 *
 * @throws RangeError when an override is not a number within 0–1.
 */
export function rateTargetFor(
  kind: WorkOrderKind,
  overrides?: Partial<Record<WorkOrderKind, number>>,
  _severity?: Severity | null,
): number {
  const override = overrides?.[kind];
  if (override === undefined) return DEFAULT_RATE_TARGETS[kind];
  if (!Number.isFinite(override) || override < 0 || override > 1) {
    throw new RangeError(`Invalid rate target for ${kind}: ${override} (expected a share between 0 and 1)`);
  }
  return override;
}
