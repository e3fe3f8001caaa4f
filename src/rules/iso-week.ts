import type { DateTime } from 'luxon';
import { assertZone, inZone, localDateTime, toInstant } from './local-time';

/** An ISO week on an office's wall clock, e.g. '2026-W48': Monday 00:00 to next Monday 00:00. */
export interface IsoWeek {
  label: string;
  /** ISO week-numbering year: 2026-12-31 (a Thursday) is in 2026-W53, 2027-01-01 too. */
  weekYear: number;
  week: number;
  /** Monday 00:00 local (inclusive). */
  from: Date;
  /** The next Monday 00:00 local (exclusive). */
  to: Date;
}

const WEEK_LABEL = /^(\d{4})-W(\d{2})$/;

/**
 * The ISO week an instant falls in, on the office's wall clock (weekly summaries, §5).
 *
 * Invariant: `from <= instant < to`; `from` is a local Monday 00:00; the label uses the
 * ISO week-numbering year and a two-digit week.
 */
export function isoWeekOf(instant: Date, zone: string): IsoWeek {
  // Why the zone: a week starts at Monday midnight on the office's clock, not in UTC.
  return weekStarting(inZone(instant, zone).startOf('week'));
}

/**
 * The ISO week named by 'YYYY-Www', in the office's zone.
 *
 * Invariant: `isoWeekOf(parseIsoWeek(label, zone).from, zone).label === label`.
 *
 * @throws Error naming the bad label, including a week 53 in a year that has 52 weeks.
 */
export function parseIsoWeek(label: string, zone: string): IsoWeek {
  const match = WEEK_LABEL.exec(label);
  if (!match) {
    throw new Error(`Invalid ISO week "${label}": expected YYYY-Www, e.g. 2026-W48`);
  }
  const weekYear = Number(match[1]);
  const weekNumber = Number(match[2]);
  assertZone(zone);
  let monday: DateTime;
  try {
    // Why the zone: the week starts at local Monday midnight; luxon's week fields are ISO.
    monday = localDateTime({ weekYear, weekNumber, weekday: 1 }, zone);
  } catch {
    throw new Error(`Invalid ISO week "${label}": week ${weekNumber} does not exist in ${weekYear}`);
  }
  return weekStarting(monday);
}

function weekStarting(monday: DateTime): IsoWeek {
  return {
    label: `${monday.weekYear}-W${String(monday.weekNumber).padStart(2, '0')}`,
    weekYear: monday.weekYear,
    week: monday.weekNumber,
    from: toInstant(monday),
    // Calendar weeks in the zone: a DST switch makes this 167 or 169 hours, as it should.
    to: toInstant(monday.plus({ weeks: 1 })),
  };
}
