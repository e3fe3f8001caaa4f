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
 * day from 00:00 to 23:59:59; luxon then checks the day against the month's calendar.
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;

/**
 * Reads an instant given by a caller: an ISO 8601 date-time with its zone, on the real
 * calendar (no February 31st, no hour 24), from 2000-01-01 to `reach` after `now`.
 *
 * Invariant: when ok, `EARLIEST_ACCEPTED_INSTANT <= at <= now + ACCEPTED_REACH[reach]`.
 */
export function acceptedInstant(text: string, now: Date, reach: InstantReach): AcceptedInstant {
  const parsed = ISO_WITH_ZONE.test(text) ? DateTime.fromISO(text, { setZone: true }) : null;
  if (!parsed?.isValid) return { ok: false, problem: 'must be an ISO 8601 instant with a zone on the real calendar, e.g. 2026-11-26T07:00:00Z' };
  return withinReach(parsed.toJSDate(), now, reach);
}

/**
 * Whether an instant lies from 2000-01-01 to `reach` after `now` (the start of a week or a
 * quarter named by a caller, for instance).
 */
export function withinReach(at: Date, now: Date, reach: InstantReach): AcceptedInstant {
  if (at < EARLIEST_ACCEPTED_INSTANT) return { ok: false, problem: 'must not be before 2000-01-01' };
  const latest = DateTime.fromJSDate(now).plus(ACCEPTED_REACH[reach]);
  if (at.getTime() > latest.toMillis()) {
    return { ok: false, problem: reach === 'happened' ? 'must not be more than a day after now' : 'must not be more than ten years after now' };
  }
  return { ok: true, at };
}
