import { atClockTime, localDateTime, minutesOfDay, parseClockTime, toInstant } from './local-time';
import { QuietHours } from './quiet-hours';
import { WorkingHours } from './working-time';

/** A day of a campaign's calls: its local date and the hours in which customers may be called. */
export interface CallDay {
  date: string;
  opensAt: Date;
  closesAt: Date;
}

/**
 * The days on which a campaign calls (docs/rules.md §8): the office's working days from `from`
 * to `to` (local `YYYY-MM-DD`, inclusive), each with its callable hours — the working hours
 * less the customers' quiet hours (machinery procedure 4.2(2): never in quiet hours). A day
 * whose callable hours have already ended at `now` is left out, and so is a day with none.
 *
 * Invariant: every day's `opensAt` and `closesAt` are outside quiet hours and inside working
 * hours, `opensAt < closesAt`, days in date order.
 */
export function callDays(range: { from: string; to: string }, zone: string, working: WorkingHours, quiet: QuietHours, now: Date): CallDay[] {
  const span = callableSpan(working, quiet);
  if (!span) return [];
  const days: CallDay[] = [];
  const [y, m, d] = range.from.split('-').map(Number);
  let day = localDateTime({ year: y, month: m, day: d }, zone);
  for (let guard = 0; guard < 400 && day.toISODate()! <= range.to; guard++, day = day.plus({ days: 1 })) {
    if (!working.weekdays.includes(day.weekday)) continue;
    const opensAt = toInstant(atClockTime(day, clock(span.from)));
    const closesAt = toInstant(atClockTime(day, clock(span.to)));
    if (closesAt <= now) continue;
    days.push({ date: day.toISODate()!, opensAt, closesAt });
  }
  return days;
}

/** The longest stretch of a day (minutes since midnight) inside working hours and outside quiet hours. */
export function callableSpan(working: WorkingHours, quiet: QuietHours): { from: number; to: number } | null {
  const work = { from: minutesOfDay(parseClockTime(working.start)), to: minutesOfDay(parseClockTime(working.end)) };
  const qs = minutesOfDay(parseClockTime(quiet.start));
  const qe = minutesOfDay(parseClockTime(quiet.end));
  // Quiet hours spanning midnight (21:00–08:00) leave one stretch; within a day (12:00–14:00), two.
  const allowed = qs === qe ? [{ from: 0, to: 1440 }] : qs > qe ? [{ from: qe, to: qs }] : [{ from: 0, to: qs }, { from: qe, to: 1440 }];
  const spans = allowed
    .map((a) => ({ from: Math.max(a.from, work.from), to: Math.min(a.to, work.to, 1439) }))
    .filter((s) => s.from < s.to)
    .sort((a, b) => b.to - b.from - (a.to - a.from));
  return spans[0] ?? null;
}

const clock = (minutes: number) => ({ hour: Math.floor(minutes / 60), minute: minutes % 60 });

/** Which caller and which day the `index`-th of `count` customers gets. */
export interface CallSlot {
  caller: number;
  day: number;
}

/**
 * Spreads `count` calls over `callers` and `days` (docs/rules.md §8): callers in turn (round
 * robin, so their counts differ by at most one), days in even blocks (their counts differ by at
 * most one too), and within a day the callers in turn again. Pure.
 */
export function spreadCalls(count: number, callers: number, days: number): CallSlot[] {
  const slots: CallSlot[] = [];
  for (let i = 0; i < count; i++) slots.push({ caller: i % callers, day: Math.floor((i * days) / count) });
  return slots;
}
