import { DEFAULT_RESIDENT_QUIET, deferPastQuietHours, type QuietHours } from './quiet-hours';

/*
 * When the resident's card goes out, and when the one reminder goes (docs/rules.md §3, §4).
 */

/**
 * When the resident's card is sent for a visit whose window opens at `opensAt`: at the
 * opening, moved out of resident quiet hours to their end (08:00 by default).
 *
 * Invariant: never before `opensAt`; never inside resident quiet hours.
 */
export function residentAskInstant(
  opensAt: Date,
  zone: string,
  quiet: QuietHours = DEFAULT_RESIDENT_QUIET,
): Date {
  return deferPastQuietHours(opensAt, zone, quiet);
}

/** Options of {@link residentReaskInstant}. */
export interface ResidentReaskOptions {
  /** Hours of silence after the card before the one reminder; default 24. */
  afterHours?: number;
  /** Resident quiet hours; default 21:00–08:00. */
  quiet?: QuietHours;
}

/**
 * When the resident who has not answered the card sent at `askedAt` gets their only
 * reminder: `afterHours` elapsed hours later (24 h by default; elapsed, so a DST switch in
 * between moves it an hour on the wall clock), moved out of resident quiet hours. Callers
 * send at most one; after it the visit goes back to the specialist.
 *
 * Invariant: at least `afterHours` after `askedAt`; never inside resident quiet hours.
 *
 * @throws RangeError on a negative or non-finite `afterHours`.
 */
export function residentReaskInstant(askedAt: Date, zone: string, opts: ResidentReaskOptions = {}): Date {
  const afterHours = opts.afterHours ?? 24;
  if (!Number.isFinite(afterHours) || afterHours < 0) {
    throw new RangeError(`Invalid afterHours ${afterHours}: expected a number of hours >= 0`);
  }
  // Elapsed hours need no zone; the zone only matters for quiet hours, applied next.
  const due = new Date(askedAt.getTime() + afterHours * 3_600_000);
  return deferPastQuietHours(due, zone, opts.quiet ?? DEFAULT_RESIDENT_QUIET);
}
