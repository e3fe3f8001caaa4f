import { DateTime, type DateObjectUnits } from 'luxon';

/*
 * Internal helpers shared by the rules: reading an instant on an office's wall clock and
 * turning it back into an instant. Not re-exported from the index: they hand out luxon
 * types, and callers of the rules only ever deal in `Date` and zone names.
 */

/** A wall-clock time of day, parsed from 'HH:mm'. */
export interface ClockTime {
  hour: number;
  minute: number;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses 'HH:mm' (00:00–23:59); throws on anything else so bad configuration fails loudly. */
export function parseClockTime(value: string): ClockTime {
  const match = CLOCK_TIME.exec(value);
  if (!match) {
    throw new Error(`Invalid time of day "${value}": expected HH:mm between 00:00 and 23:59`);
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Minutes since local midnight of a clock time, for comparing times of day. */
export function minutesOfDay(time: ClockTime): number {
  return time.hour * 60 + time.minute;
}

/**
 * The instant as seen on the office's wall clock. Throws on an invalid `Date` or an unknown
 * zone: luxon would otherwise return an invalid DateTime and every rule would quietly
 * produce `Invalid Date`.
 */
export function inZone(instant: Date, zone: string): DateTime {
  assertZone(zone);
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new Error('Invalid instant: expected a valid Date');
  }
  return DateTime.fromJSDate(instant, { zone });
}

/** Builds a local date-time in `zone`, throwing on an unknown zone or impossible date. */
export function localDateTime(parts: DateObjectUnits, zone: string): DateTime {
  assertZone(zone);
  const result = DateTime.fromObject(parts, { zone });
  if (!result.isValid) {
    throw new Error(`Invalid local date ${JSON.stringify(parts)}: ${result.invalidReason ?? 'unknown reason'}`);
  }
  return result;
}

/** Zones found valid: a zone luxon knows stays known for the life of the process. */
const knownZones = new Set<string>();

/** Throws unless `zone` is a time zone luxon knows (IANA name, 'UTC' or a fixed offset). */
export function assertZone(zone: string): void {
  if (knownZones.has(zone)) return;
  // An epoch DateTime (not "now": rules never read the clock) is valid iff the zone is known.
  if (typeof zone !== 'string' || !DateTime.fromMillis(0, { zone }).isValid) {
    throw new Error(`Unknown time zone "${zone}": expected an IANA name such as Asia/Shanghai`);
  }
  knownZones.add(zone);
}

/**
 * Remembers, per zone, the last span `[from, to)` computed and what was derived from it, for
 * rules whose answer depends only on which local day or quarter an instant falls in. An
 * instant inside the span gets the same answer without asking luxon again: every event of a
 * day (or quarter) in one office shares it. The span itself is luxon's, so DST days hold.
 */
export class SpanMemo<V> {
  private readonly last = new Map<string, { from: number; to: number; value: V }>();

  constructor(private readonly compute: (instant: Date, zone: string) => { from: Date; to: Date; value: V }) {}

  get(instant: Date, zone: string): V {
    const t = instant instanceof Date ? instant.getTime() : NaN;
    const hit = this.last.get(zone);
    if (hit && hit.from <= t && t < hit.to) return hit.value;
    const { from, to, value } = this.compute(instant, zone);
    this.last.set(zone, { from: from.getTime(), to: to.getTime(), value });
    return value;
  }
}

/** The same local day at the given wall-clock time (seconds and milliseconds zeroed). */
export function atClockTime(day: DateTime, time: ClockTime): DateTime {
  // Setting wall-clock fields (not adding hours) keeps the local time right across a DST
  // switch earlier that day; a time inside a spring-forward gap is pushed forward by luxon.
  return day.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
}

/** Back from a wall-clock DateTime to the instant it denotes. */
export function toInstant(local: DateTime): Date {
  return local.toJSDate();
}
