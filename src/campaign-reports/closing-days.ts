import type { DateTime } from 'luxon';
import { atClockTime, inZone, minutesOfDay, parseClockTime, toInstant } from '../rules/local-time';
import type { OfficePolicy } from '../rules/office-policy';

/** Minutes before staff quiet hours begin at which a day is closed when they begin before the working day ends. */
const BEFORE_QUIET_MINUTES = 30;

/** A local calendar day of an office: its date and the instants it runs between. */
export interface OfficeDay {
  /** `YYYY-MM-DD` on the office's wall clock. */
  date: string;
  from: Date;
  to: Date;
}

/**
 * When a working day's campaign calls are closed (日清日结, docs/rules.md §8), local 'HH:mm': the
 * office's `campaignClosingAt`, else the end of its working hours — unless staff quiet hours begin
 * before that (the defaults: working hours end at 21:00 where quiet hours begin), then 30 minutes
 * before they begin, so the callers still read it that evening.
 */
export function closingTime(policy: Pick<OfficePolicy, 'campaignClosingAt' | 'workingHours' | 'staffQuietHours'>): string {
  if (policy.campaignClosingAt) return policy.campaignClosingAt;
  const start = minutesOfDay(parseClockTime(policy.workingHours.start));
  const end = minutesOfDay(parseClockTime(policy.workingHours.end));
  const quietStart = minutesOfDay(parseClockTime(policy.staffQuietHours.start));
  const quiet = policy.staffQuietHours.start !== policy.staffQuietHours.end;
  if (!quiet || quietStart <= start || quietStart > end) return policy.workingHours.end;
  const minutes = Math.max(start, quietStart - BEFORE_QUIET_MINUTES);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The office day an instant falls in. */
export function officeDayOf(instant: Date, zone: string): OfficeDay {
  return dayOf(inZone(instant, zone).startOf('day'));
}

/** The instant of a wall-clock time 'HH:mm' on an office day. */
export function atTimeOn(day: OfficeDay, time: string, zone: string): Date {
  return toInstant(atClockTime(inZone(day.from, zone), parseClockTime(time)));
}

/** Whether the office works on that day (its working hours' weekdays). */
export function isWorkingDay(day: OfficeDay, zone: string, weekdays: readonly number[]): boolean {
  return weekdays.includes(inZone(day.from, zone).weekday);
}

/** The last working day before `day`, or null when the office names no working weekday. */
export function previousWorkingDay(day: OfficeDay, zone: string, weekdays: readonly number[]): OfficeDay | null {
  let local = inZone(day.from, zone);
  for (let i = 0; i < 7; i++) {
    local = local.minus({ days: 1 });
    if (weekdays.includes(local.weekday)) return dayOf(local);
  }
  return null;
}

function dayOf(midnight: DateTime): OfficeDay {
  return { date: midnight.toISODate() ?? '', from: toInstant(midnight), to: toInstant(midnight.plus({ days: 1 })) };
}
