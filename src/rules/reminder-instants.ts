import { DEFAULT_STAFF_QUIET, deferPastQuietHours, type QuietHours } from './quiet-hours';
import { atClockTime, inZone, parseClockTime, toInstant } from './local-time';

/** Which of a visit's staff reminders this is; with the visit, the key of one send. */
export type ReminderSlot = 'opened' | 'halfway' | 'last_day';

/** One staff reminder: its slot and the instant it goes out. */
export interface ReminderInstant {
  slot: ReminderSlot;
  at: Date;
}

/** Options of {@link reminderInstants}; every field has the default of docs/rules.md §4. */
export interface ReminderOptions {
  /** Staff quiet hours; default 21:00–08:00. */
  quiet?: QuietHours;
  /** When a window opening at exactly 00:00 local is announced; default '09:00'. */
  announceMidnightAt?: string;
  /** Time of the reminder on the window's last day; default '09:00'. */
  lastDayAt?: string;
}

const SLOT_ORDER: readonly ReminderSlot[] = ['opened', 'halfway', 'last_day'];

/**
 * The staff reminders of a visit window (docs/rules.md §4): when it opens, halfway through it,
 * and on its last day.
 *
 * - `opened`: at `opensAt`; a window opening at exactly 00:00:00.000 local is announced at
 *   `announceMidnightAt` (09:00) that day instead.
 * - `halfway`: the midpoint of the window in elapsed time (`opensAt + ⌊(closesAt − opensAt)/2⌋`
 *   ms), so a DST switch inside the window moves it by half an hour on the wall clock.
 * - `last_day`: `lastDayAt` (09:00) local on the day `closesAt` falls on.
 *
 * Each is then moved out of staff quiet hours (to their end, 08:00). A reminder that would
 * fall after `closesAt`, or before `opensAt` (a last-day time earlier than a window opening
 * on its last day), is dropped: it would remind of nothing. The rest are in time order, ties
 * in slot order. Two slots landing on the same instant are both kept: each has its own send
 * key (visit, slot), so dropping one would make the set of keys depend on a coincidence of
 * timing; merging messages that go out together is the sender's business.
 *
 * Invariant: at most one reminder per slot; every `at` within [opensAt, closesAt] and outside
 * quiet hours; sorted ascending.
 *
 * @throws Error on a malformed 'HH:mm', an unknown zone, or `closesAt` before `opensAt`.
 */
export function reminderInstants(
  window: { opensAt: Date; closesAt: Date },
  zone: string,
  opts: ReminderOptions = {},
): ReminderInstant[] {
  const quiet = opts.quiet ?? DEFAULT_STAFF_QUIET;
  const announceAt = parseClockTime(opts.announceMidnightAt ?? '09:00');
  const lastDayAt = parseClockTime(opts.lastDayAt ?? '09:00');
  const { opensAt, closesAt } = window;
  if (closesAt < opensAt) throw new Error('Invalid window: closesAt is before opensAt');

  // Why the zone: "00:00" and "09:00 on its last day" are times on the office's wall clock.
  const opens = inZone(opensAt, zone);
  const opensAtMidnight = +opens === +opens.startOf('day');
  const opened = opensAtMidnight ? toInstant(atClockTime(opens, announceAt)) : opensAt;
  // Halfway is elapsed time, not wall-clock time: plain millisecond arithmetic, no zone.
  const halfway = new Date(opensAt.getTime() + Math.floor((closesAt.getTime() - opensAt.getTime()) / 2));
  const lastDay = toInstant(atClockTime(inZone(closesAt, zone), lastDayAt));

  const candidates: ReminderInstant[] = [
    { slot: 'opened', at: opened },
    { slot: 'halfway', at: halfway },
    { slot: 'last_day', at: lastDay },
  ];
  return candidates
    .map(({ slot, at }) => ({ slot, at: deferPastQuietHours(at, zone, quiet) }))
    .filter(({ at }) => at >= opensAt && at <= closesAt)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || SLOT_ORDER.indexOf(a.slot) - SLOT_ORDER.indexOf(b.slot));
}
