import { inZone, toInstant } from './local-time';

/**
 * When archived visit records have been kept long enough to be purged or anonymised
 * (docs/rules.md §6: kept 2 years after archiving): the same local date and time `years`
 * calendar years after `archivedAt`, 29 February clamping to 28 February.
 *
 * Invariant: the result is strictly after `archivedAt` for `years ≥ 1`; aggregate statistics
 * are not subject to it (callers keep them).
 *
 * @throws RangeError unless `years` is a whole number ≥ 1.
 */
export function retentionEnd(archivedAt: Date, zone: string, years = 2): Date {
  if (!Number.isInteger(years) || years < 1) {
    throw new RangeError(`Invalid retention ${years}: expected a whole number of years >= 1`);
  }
  // Why the zone: "2 years" are calendar years on the office's clock (a leap day or a DST
  // offset differing between the two dates must not shift the local date or time).
  return toInstant(inZone(archivedAt, zone).plus({ years }));
}
