import { DateTime, type DurationLikeObject } from 'luxon';

/**
 * The earliest instant Huifang accepts from outside. Nothing it keeps is older, and older
 * years do harm: a year-0 quarter cannot be archived, and MariaDB reads year 0001 back as 2001.
 */
export const EARLIEST_ACCEPTED_INSTANT = new Date('2000-01-01T00:00:00Z');

/**
 * How far past now an accepted instant may lie. What has happened (an event's `occurredAt`, a
 * `completedAt`, the start of a reported week or quarter) may be at most a day ahead: clocks
 * differ and zones run ahead of UTC. What is planned (a contract's start and end, a filter on
 * visit windows) may lie years ahead.
 */
export const ACCEPTED_REACH = {
  happened: { days: 1 },
  planned: { years: 10 },
} as const satisfies Record<string, DurationLikeObject>;

export type InstantReach = keyof typeof ACCEPTED_REACH;

export type AcceptedInstant = { ok: true; at: Date } | { ok: false; problem: string };

/**
 * An ISO 8601 date and time with its zone (Z or an offset of at most 14 hours), its time of
 * day from 00:00 to 23:59:59; the day is then checked against its month's calendar.
 */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;

/** One day, for what has happened: clocks differ and zones run ahead of UTC. */
const HAPPENED_REACH_MS = 86_400_000;

/**
 * Reads an instant given by a caller: an ISO 8601 date-time with its zone, on the real
 * calendar (no February 31st, no hour 24), from 2000-01-01 to `reach` after `now`.
 *
 * Invariant: when ok, `EARLIEST_ACCEPTED_INSTANT <= at <= now + ACCEPTED_REACH[reach]`.
 */
export function acceptedInstant(text: string, now: Date, reach: InstantReach): AcceptedInstant {
  // Why not luxon here: this runs twice per webhook event, and luxon's parse was a tenth of the
  // webhook's CPU. The pattern fixes the format; Date.parse reads ISO 8601 with its offset but
  // rolls February 31st over into March, so the day is checked against the month first.
  const fields = ISO_WITH_ZONE.exec(text);
  const at = fields && isCalendarDay(Number(fields[1]), Number(fields[2]), Number(fields[3])) ? Date.parse(text) : NaN;
  if (Number.isNaN(at)) return { ok: false, problem: 'must be an ISO 8601 instant with a zone on the real calendar, e.g. 2026-11-26T07:00:00Z' };
  return withinReach(new Date(at), now, reach);
}

/**
 * Whether month `month` (1–12) of `year` has a day `day` on the proleptic Gregorian calendar.
 * Day 0 of the next month is the month's last day; no zone is involved (luxon's DateTime.utc
 * cost a tenth of an event's validation).
 */
function isCalendarDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDayOfMonth(year, month);
}

function lastDayOfMonth(year: number, month: number): number {
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0); // unlike Date.UTC, reads years 0–99 as such
  return last.getUTCDate();
}

/**
 * Whether an instant lies from 2000-01-01 to `reach` after `now` (the start of a week or a
 * quarter named by a caller, for instance).
 */
export function withinReach(at: Date, now: Date, reach: InstantReach): AcceptedInstant {
  if (at < EARLIEST_ACCEPTED_INSTANT) return { ok: false, problem: 'must not be before 2000-01-01' };
  const latest = reach === 'happened' ? now.getTime() + HAPPENED_REACH_MS : DateTime.fromJSDate(now, { zone: 'utc' }).plus(ACCEPTED_REACH[reach]).toMillis();
  if (at.getTime() > latest) {
    return { ok: false, problem: reach === 'happened' ? 'must not be more than a day after now' : 'must not be more than ten years after now' };
  }
  return { ok: true, at };
}
