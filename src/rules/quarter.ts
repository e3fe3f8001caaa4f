import type { DateTime } from 'luxon';
import { inZone, localDateTime, SpanMemo, toInstant } from './local-time';

/** A calendar quarter on an office's wall clock, e.g. '2026-Q4'. */
export interface Quarter {
  label: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** 00:00 local on the quarter's first day (inclusive). */
  from: Date;
  /** 00:00 local on the next quarter's first day (exclusive). */
  to: Date;
}

const QUARTER_LABEL = /^(\d{4})-Q([1-4])$/;

/**
 * The quarter an instant falls in, on the office's wall clock: statistics, sampling quotas
 * and archives are per local quarter (docs/rules.md §2, §5, §6).
 *
 * Invariant: `from <= instant < to`; `parseQuarter(q.label, zone)` gives the same quarter.
 */
export function quarterOf(instant: Date, zone: string): Quarter {
  const quarter = quarters.get(instant, zone);
  return { ...quarter, from: new Date(quarter.from), to: new Date(quarter.to) };
}

const quarters = new SpanMemo((instant: Date, zone: string) => {
  // Why the zone: 2026-12-31T16:00Z is already 2027-01-01 in Shanghai, so 2027-Q1.
  const quarter = quarterStarting(inZone(instant, zone).startOf('quarter'));
  return { from: quarter.from, to: quarter.to, value: quarter };
});

/**
 * The quarter named by a label 'YYYY-Qn' (n in 1–4), in the office's zone.
 *
 * Invariant: `quarterOf(parseQuarter(label, zone).from, zone).label === label`.
 *
 * @throws Error naming the bad label and the expected form.
 */
export function parseQuarter(label: string, zone: string): Quarter {
  const match = QUARTER_LABEL.exec(label);
  if (!match) {
    throw new Error(`Invalid quarter "${label}": expected YYYY-Qn with n from 1 to 4, e.g. 2026-Q4`);
  }
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  // Why the zone: the quarter starts at local midnight of its first day, not UTC midnight.
  return quarterStarting(localDateTime({ year, month: (quarter - 1) * 3 + 1, day: 1 }, zone));
}

function quarterStarting(start: DateTime): Quarter {
  const quarter = start.quarter as 1 | 2 | 3 | 4;
  return {
    label: `${start.year}-Q${quarter}`,
    year: start.year,
    quarter,
    from: toInstant(start),
    // Calendar arithmetic in the zone: the next quarter starts at local midnight too.
    to: toInstant(start.plus({ quarters: 1 })),
  };
}
