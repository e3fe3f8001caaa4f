import { DateTime } from 'luxon';

/*
 * Dates on cards, as the office reads them. Cards have no clock and no zone of their own:
 * a prop is either text the caller already formatted, or an instant with the office's zone.
 */

/** An instant to show: preformatted text, or a `Date` with the office's IANA zone. */
export type LocalTime = string | { at: Date; zone: string };

/** A visit window to show: preformatted ends, or instants with the office's zone. */
export type DueWindow = { from: string; by: string } | { from: Date; by: Date; zone: string };

function inOfficeZone(at: Date, zone: string): DateTime {
  // Why the zone: "11月29日" must be the office's calendar day, not the server's or UTC's.
  const local = DateTime.fromJSDate(at, { zone });
  if (!local.isValid) {
    throw new RangeError(`Cannot show ${String(at)} in zone "${zone}": ${local.invalidExplanation ?? local.invalidReason}`);
  }
  return local;
}

/**
 * An instant as `11月26日 15:00` on the office's clock (`2026年11月26日 15:00` with
 * `withYear`); text props pass through unchanged.
 *
 * @throws RangeError on an invalid Date or unknown zone, so a bad prop fails at render time.
 */
export function formatLocalTime(value: LocalTime, withYear = false): string {
  if (typeof value === 'string') return value;
  return inOfficeZone(value.at, value.zone).toFormat(withYear ? 'yyyy年M月d日 HH:mm' : 'M月d日 HH:mm');
}

/**
 * A visit window as the office reads it: `11月26日 15:00 至 11月29日`. The opening shows its
 * time unless it is midnight; the closing shows only the day when it is the end of that day
 * (docs/rules.md §2: windows close at 23:59:59.999 local). Years appear only when the two ends
 * fall in different years.
 *
 * @throws RangeError on an invalid Date or unknown zone.
 */
export function formatDueWindow(window: DueWindow): string {
  if (typeof window.from === 'string' && typeof window.by === 'string') {
    return `${window.from} 至 ${window.by}`;
  }
  const { zone } = window as { zone: string };
  const from = inOfficeZone(window.from as Date, zone);
  const by = inOfficeZone(window.by as Date, zone);
  const day = from.year === by.year ? 'M月d日' : 'yyyy年M月d日';
  const fromText = from.hour === 0 && from.minute === 0 ? from.toFormat(day) : from.toFormat(`${day} HH:mm`);
  const endOfDay = by.hour === 23 && by.minute === 59;
  const byText = endOfDay ? by.toFormat(day) : by.toFormat(`${day} HH:mm`);
  return `${fromText} 至 ${byText}`;
}

/**
 * The last day of a window as `11月29日` (for "请在 11月29日 前完成"): the preformatted `by`,
 * or the closing instant's calendar day in the office's zone.
 */
export function formatDueDay(window: DueWindow): string {
  if (typeof window.by === 'string') return window.by;
  return inOfficeZone(window.by, (window as { zone: string }).zone).toFormat('M月d日');
}
