import { DateTime } from 'luxon';
import type { WarrantyVisitKind } from './kinds';
import { onMonthDay, WarrantyCategory, warrantyEnds, warrantyStart, WarrantyTerms } from './warranty-clock';

/** How often and when a project is visited during its warranty (docs/rules.md §7). */
export interface WarrantyVisitTerms {
  /** Periodic visits: every N months from the start (policy 5: 3; policy 3: 6). */
  visitEveryMonths: number;
  /** The rainy / typhoon-season visit's opening day each year (`MM-DD`); `null`: none. */
  rainyVisit: string | null;
  /** Days before a category ends that its pre-expiry visit opens (policy 3 二.1(3)). */
  leadDays: number;
}

/** The after-expiry visit opens this many months after the visiting period ends (policy 3 二.2(4)). */
export const AFTER_EXPIRY_MONTHS = 3;

/** A warranty visit a project is due, by the day it opens. */
export interface WarrantyVisitDue {
  kind: Exclude<WarrantyVisitKind, 'warranty_technical'>;
  opensOn: string;
  /** The category whose end it prepares (pre-expiry visits only). */
  category?: WarrantyCategory;
}

/**
 * Every periodic, seasonal, pre-expiry and after-expiry visit of a project, in opening order
 * (technical visits are on demand and never planned).
 *
 * The visiting period runs from the warranty's start to the last end of a category other
 * than the structure: the structure's warranty is the design service life — decades — and
 * the policies visit during the building warranty, not for the building's life. Its
 * pre-expiry visit is still planned.
 *
 * Invariant: pure; periodic visits fall on the start day's day-of-month every N months
 * (clamped at month end) and never after the visiting period; one seasonal visit a year inside
 * it; one pre-expiry visit per category not already past at the start; one after-expiry visit.
 */
export function warrantyVisitsDue(terms: WarrantyTerms, visits: WarrantyVisitTerms): WarrantyVisitDue[] {
  const start = DateTime.fromISO(warrantyStart(terms), { zone: 'utc' });
  const ends = warrantyEnds(terms);
  const visitingEnds = ends
    .filter((end) => end.category !== 'structure')
    .map((end) => DateTime.fromISO(end.endsOn, { zone: 'utc' }))
    .reduce((latest, end) => (end > latest ? end : latest), start);
  const due: WarrantyVisitDue[] = [];
  for (let n = 1; ; n++) {
    const opens = start.plus({ months: n * visits.visitEveryMonths });
    if (opens > visitingEnds) break;
    due.push({ kind: 'warranty_periodic', opensOn: opens.toISODate()! });
  }
  if (visits.rainyVisit !== null) {
    for (let year = start.year; year <= visitingEnds.year; year++) {
      const opens = onMonthDay(year, visits.rainyVisit);
      if (opens >= start && opens <= visitingEnds) due.push({ kind: 'warranty_seasonal', opensOn: opens.toISODate()! });
    }
  }
  for (const end of ends) {
    const opens = DateTime.fromISO(end.endsOn, { zone: 'utc' }).minus({ days: visits.leadDays });
    if (opens >= start) due.push({ kind: 'warranty_pre_expiry', opensOn: opens.toISODate()!, category: end.category });
  }
  due.push({ kind: 'warranty_after_expiry', opensOn: visitingEnds.plus({ months: AFTER_EXPIRY_MONTHS }).toISODate()! });
  return due.sort((a, b) => (a.opensOn < b.opensOn ? -1 : a.opensOn > b.opensOn ? 1 : 0));
}

/** Days a periodic, seasonal, after-expiry or technical warranty visit's window stays open. */
export const WARRANTY_VISIT_WINDOW_DAYS = 30;

/**
 * A warranty visit's window as instants: from local midnight of its opening day, in the
 * office's zone, for {@link WARRANTY_VISIT_WINDOW_DAYS}; a pre-expiry visit's window runs to the
 * end of the category's last covered day (its opening day plus the lead days), so the visit
 * happens while the warranty still holds.
 */
export function warrantyVisitWindow(
  due: { kind: WarrantyVisitKind; opensOn: string },
  zone: string,
  leadDays: number,
): { opensAt: Date; closesAt: Date } {
  const opens = DateTime.fromISO(due.opensOn, { zone });
  if (!opens.isValid) throw new RangeError(`not a calendar date in ${zone}: ${due.opensOn}`);
  const days = due.kind === 'warranty_pre_expiry' ? leadDays + 1 : WARRANTY_VISIT_WINDOW_DAYS;
  return { opensAt: opens.toJSDate(), closesAt: opens.plus({ days }).toJSDate() };
}
