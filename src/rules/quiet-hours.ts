import { atClockTime, inZone, minutesOfDay, parseClockTime, toInstant } from './local-time';

/**
 * Local times between which nobody is messaged, as 'HH:mm'. `start` is inclusive and `end`
 * exclusive; when `start > end` the quiet hours span midnight (21:00–08:00). `start === end`
 * means no quiet hours at all.
 */
export interface QuietHours {
  start: string;
  end: string;
}

/** Staff are not messaged 21:00–08:00 local (docs/rules.md §4). */
export const DEFAULT_STAFF_QUIET: Readonly<QuietHours> = Object.freeze({ start: '21:00', end: '08:00' });

/** Residents are not messaged 21:00–08:00 local (docs/rules.md §3, machinery procedure 4.2(2)). */
export const DEFAULT_RESIDENT_QUIET: Readonly<QuietHours> = Object.freeze({ start: '21:00', end: '08:00' });

/**
 * The instant a message due at `at` may go out: `at` itself outside quiet hours, otherwise
 * the end of those quiet hours on the office's wall clock (08:00 by default; the next
 * morning when `at` is in the evening part of quiet hours spanning midnight).
 *
 * Invariant: the result is never before `at` and never inside quiet hours; applying it
 * twice changes nothing.
 *
 * @throws Error on a malformed 'HH:mm' or an unknown zone.
 */
export function deferPastQuietHours(at: Date, zone: string, quiet: QuietHours): Date {
  const start = minutesOfDay(parseClockTime(quiet.start));
  const endTime = parseClockTime(quiet.end);
  const end = minutesOfDay(endTime);
  if (start === end) return at;
  // Why the zone: quiet hours are a time of day on the office's wall clock.
  const local = inZone(at, zone);
  const now = local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / 60_000;
  const spansMidnight = start > end;
  const inEveningPart = now >= start && (spansMidnight || now < end);
  const inMorningPart = spansMidnight && now < end;
  if (!inEveningPart && !inMorningPart) return at;
  // Quiet hours that began this evening end tomorrow morning; otherwise they end today.
  const endDay = spansMidnight && inEveningPart ? local.plus({ days: 1 }) : local;
  return toInstant(atClockTime(endDay, endTime));
}
