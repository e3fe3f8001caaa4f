import { inZone } from './local-time';

/**
 * How many customer-contact mass messages one WeChat customer may receive (docs/wecom.md §7.1):
 * WeCom's default is as many a month as the month has days; an office whose WeCom admin set a
 * stricter rule (7 a week, 1 a day) says so here. `perMonth` null = the month's length.
 */
export interface CustomerCap {
  perMonth: number | null;
  perWeek: number | null;
  perDay: number | null;
}

export const DEFAULT_CUSTOMER_CAP: Readonly<CustomerCap> = Object.freeze({ perMonth: null, perWeek: null, perDay: null });

/** One period of the cap: at most `max` messages created in [from, to). */
export interface CapWindow {
  period: 'month' | 'week' | 'day';
  from: Date;
  to: Date;
  max: number;
}

/**
 * The cap's periods that contain `at`, on the office's calendar (month, ISO week, day), each
 * with its limit. A message counts in the period in which it was created.
 */
export function capWindows(at: Date, zone: string, cap: CustomerCap): CapWindow[] {
  const local = inZone(at, zone);
  const month = local.startOf('month');
  const windows: CapWindow[] = [
    { period: 'month', from: month.toJSDate(), to: month.plus({ months: 1 }).toJSDate(), max: cap.perMonth ?? month.daysInMonth! },
  ];
  if (cap.perWeek !== null) {
    const week = local.startOf('week');
    windows.push({ period: 'week', from: week.toJSDate(), to: week.plus({ weeks: 1 }).toJSDate(), max: cap.perWeek });
  }
  if (cap.perDay !== null) {
    const day = local.startOf('day');
    windows.push({ period: 'day', from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate(), max: cap.perDay });
  }
  return windows;
}

/** The first period whose limit `counts` (messages already in each window, same order) has reached, or null. */
export function fullWindow(windows: readonly CapWindow[], counts: readonly number[]): CapWindow | null {
  return windows.find((w, i) => (counts[i] ?? 0) >= w.max) ?? null;
}
