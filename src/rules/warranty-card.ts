import { DateTime } from 'luxon';

/** A reminder that the warranty card is still to be issued, by its slot and the day it came. */
export interface CardReminderSlot {
  slot: string;
  on: string;
}

/** Days before the card's due date of the "one week left" reminder; overdue reminders repeat this often. */
export const CARD_REMINDER_DAYS = 7;

/**
 * The latest card reminder that has come by `today` (local dates): on acceptance, a week
 * before the card is due, on the due day, then every week after it until the card is issued.
 * A sweep sends only this one (keyed by its slot), so downtime never causes a burst.
 *
 * Invariant: pure; null before acceptance; the slots of later days are later in this order.
 */
export function cardReminderSlot(acceptedOn: string, dueBy: string, today: string): CardReminderSlot | null {
  const day = (d: string) => DateTime.fromISO(d, { zone: 'utc' });
  const now = day(today);
  const due = day(dueBy);
  if (now < day(acceptedOn)) return null;
  if (now >= due) {
    const weeks = Math.floor(now.diff(due, 'days').days / CARD_REMINDER_DAYS);
    return weeks === 0 ? { slot: 'due', on: dueBy } : { slot: `overdue-${weeks}`, on: due.plus({ days: weeks * CARD_REMINDER_DAYS }).toISODate()! };
  }
  const weekBefore = due.minus({ days: CARD_REMINDER_DAYS });
  if (now >= weekBefore && weekBefore > day(acceptedOn)) return { slot: 'week_before', on: weekBefore.toISODate()! };
  return { slot: 'accepted', on: acceptedOn };
}

/**
 * Whether the card's month has passed on `today` (local dates): the card is due by the end of
 * `dueBy`, so the day after it is the first on which it is overdue.
 */
export function cardOverdue(dueBy: string, today: string): boolean {
  return today > dueBy;
}
