import { inZone, parseClockTime, toInstant, atClockTime } from './local-time';

/**
 * An office's working hours on its wall clock: from `start` to `end` ('HH:mm', start before
 * end) on the ISO weekdays listed (1 Monday … 7 Sunday).
 */
export interface WorkingHours {
  start: string;
  end: string;
  weekdays: readonly number[];
}

/**
 * By default the hours in which staff may be messaged (08:00–21:00, the complement of staff
 * quiet hours), every day: property offices serve at weekends too.
 */
export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = Object.freeze({ start: '08:00', end: '21:00', weekdays: Object.freeze([1, 2, 3, 4, 5, 6, 7]) });

/**
 * The instant at which `hours` of working time have passed since `from` (docs/rules.md §3: a
 * mass-send task still unconfirmed after 4 h of working time goes to the phone). Time outside
 * the working hours does not count: a task created at 20:00 with 08:00–21:00 hours has used
 * one hour by the evening and reaches four at 11:00 the next working day.
 *
 * Invariant: the result is never before `from`; zero hours gives `from` itself. Throws on
 * working hours with no working day or with `start` not before `end`.
 */
export function addWorkingTime(from: Date, hours: number, zone: string, working: WorkingHours): Date {
  if (hours <= 0) return from;
  const start = parseClockTime(working.start);
  const end = parseClockTime(working.end);
  if (working.weekdays.length === 0 || start.hour * 60 + start.minute >= end.hour * 60 + end.minute) {
    throw new Error('working hours need a working day and a start before their end');
  }
  let left = hours * 3_600_000;
  let day = inZone(from, zone).startOf('day');
  for (let guard = 0; guard < 3700; guard++, day = day.plus({ days: 1 })) {
    if (!working.weekdays.includes(day.weekday)) continue;
    const opens = toInstant(atClockTime(day, start)).getTime();
    const closes = toInstant(atClockTime(day, end)).getTime();
    const begin = Math.max(opens, from.getTime());
    if (begin >= closes) continue;
    if (closes - begin >= left) return new Date(begin + left);
    left -= closes - begin;
  }
  throw new Error('working time does not end within ten years');
}
