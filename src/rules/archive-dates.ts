import { inZone, localDateTime, parseClockTime, toInstant } from './local-time';
import { parseQuarter } from './quarter';

/** When a quarter's archive is reminded of and locked, as days of the next quarter. */
export interface ArchivePolicy {
  /** Day of the next quarter's first month on which the supervisor is reminded; default 5. */
  reminderDay: number;
  /** Day of the next quarter's first month on which the quarter is locked; default 10. */
  lockDay: number;
  /** Local time of the reminder, 'HH:mm'; default '09:00'. */
  reminderTime?: string;
}

/** docs/rules.md §6: remind on the 5th, lock on the 10th of the next quarter. */
export const DEFAULT_ARCHIVE_POLICY: Readonly<ArchivePolicy> = Object.freeze({
  reminderDay: 5,
  lockDay: 10,
  reminderTime: '09:00',
});

/** The two archive instants of a quarter. */
export interface ArchiveDates {
  reminderAt: Date;
  lockAt: Date;
}

/**
 * When the supervisor is reminded to archive a quarter's visit records, and when the
 * quarter is locked (docs/rules.md §6, SOP 4.8: archived "by the 10th of the next quarter").
 *
 * Times of day: the reminder goes at 09:00 local, the same time as staff last-day reminders
 * and clear of quiet hours; the lock falls at 00:00 local as the lock day begins, so "by the
 * 10th" means the records must be complete when the 10th starts, and nobody edits on the 10th.
 *
 * Invariant: `reminderAt < lockAt`, both in the first month of the quarter after `quarterLabel`,
 * on the office's wall clock.
 *
 * @throws Error on a bad quarter label, a bad zone, or a policy whose days are not
 *   1 ≤ reminderDay < lockDay ≤ 30 (every quarter's first month has at least 30 days).
 */
export function archiveDates(
  quarterLabel: string,
  zone: string,
  policy: ArchivePolicy = DEFAULT_ARCHIVE_POLICY,
): ArchiveDates {
  const { reminderDay, lockDay } = policy;
  const wholeDays = Number.isInteger(reminderDay) && Number.isInteger(lockDay);
  if (!wholeDays || reminderDay < 1 || reminderDay >= lockDay || lockDay > 30) {
    throw new Error(
      `Invalid archive policy: need whole days 1 <= reminderDay < lockDay <= 30, got ${reminderDay} and ${lockDay}`,
    );
  }
  const time = parseClockTime(policy.reminderTime ?? '09:00');
  const { to } = parseQuarter(quarterLabel, zone);
  // Why the zone: the days of the next quarter are calendar days on the office's clock;
  // `to` is already local midnight of the next quarter's first day, read it back there.
  const next = inZone(to, zone);
  return {
    reminderAt: toInstant(localDateTime({ year: next.year, month: next.month, day: reminderDay, ...time }, zone)),
    lockAt: toInstant(localDateTime({ year: next.year, month: next.month, day: lockDay }, zone)),
  };
}
