import { DateTime } from 'luxon';

/**
 * Warranty clocks of a construction project, per category (docs/rules.md §7). Pure: local
 * calendar dates in (`YYYY-MM-DD`), local calendar dates out; no time zone is involved because
 * a warranty covers whole days where the building stands.
 */

export const WARRANTY_CATEGORIES = ['structure', 'waterproofing', 'heating', 'cooling', 'electrical_plumbing', 'other'] as const;
export type WarrantyCategory = (typeof WARRANTY_CATEGORIES)[number];

/** A season that comes back every year, by month and day: heating 11-15 → 03-15 crosses the new year. */
export interface Season {
  from: string;
  to: string;
}

/** The regional seasons a project counts in; `null`: the region has none (no heating in the south). */
export interface ProjectSeasons {
  heating: Season | null;
  cooling: Season | null;
}

export const DEFAULT_SEASONS: ProjectSeasons = {
  heating: { from: '11-15', to: '03-15' },
  cooling: { from: '06-01', to: '09-30' },
};

/** What decides a project's warranty ends. */
export interface WarrantyTerms {
  /** 竣工验收合格之日, the local date of acceptance. */
  acceptedOn: string;
  /** Policy 3 counts from the day after acceptance; the regulation and policy 5 from the day itself. */
  countFromNextDay: boolean;
  /** 地基基础和主体结构: the design service life of the design documents. */
  designLifeYears: number;
  /** 其他项目: as agreed in the contract; `null` when the contract covers nothing else. */
  otherYears: number | null;
  seasons: ProjectSeasons;
}

/** Minimum warranty in calendar years of the categories counted in years (the regulation). */
export const WARRANTY_YEARS = { waterproofing: 5, electrical_plumbing: 2 } as const;

/** Heating and cooling are warranted for this many full seasons. */
export const SEASONS_WARRANTED = 2;

export interface WarrantyEnd {
  category: WarrantyCategory;
  /** The last day covered. */
  endsOn: string;
}

/** The first day the warranty covers. */
export function warrantyStart(terms: Pick<WarrantyTerms, 'acceptedOn' | 'countFromNextDay'>): string {
  const accepted = day(terms.acceptedOn);
  return iso(terms.countFromNextDay ? accepted.plus({ days: 1 }) : accepted);
}

/**
 * Each category's last covered day, in `WARRANTY_CATEGORIES` order; a category the project
 * does not have (no heating season in its region, nothing else agreed) is left out.
 *
 * Invariant: years are calendar years from the start day, clamped at month end (accepted
 * 2024-02-29 → waterproofing ends 2029-02-28); a season-counted category ends on the last day
 * of the second full season starting on or after the start day (accepted 2026-12-01 →
 * heating ends 2029-03-15, cooling 2028-09-30).
 */
export function warrantyEnds(terms: WarrantyTerms): WarrantyEnd[] {
  const start = warrantyStart(terms);
  const years = (n: number): string => iso(day(start).plus({ years: n }));
  const ends: WarrantyEnd[] = [
    { category: 'structure', endsOn: years(terms.designLifeYears) },
    { category: 'waterproofing', endsOn: years(WARRANTY_YEARS.waterproofing) },
  ];
  if (terms.seasons.heating) ends.push({ category: 'heating', endsOn: seasonsCoveredUntil(start, terms.seasons.heating, SEASONS_WARRANTED) });
  if (terms.seasons.cooling) ends.push({ category: 'cooling', endsOn: seasonsCoveredUntil(start, terms.seasons.cooling, SEASONS_WARRANTED) });
  ends.push({ category: 'electrical_plumbing', endsOn: years(WARRANTY_YEARS.electrical_plumbing) });
  if (terms.otherYears !== null) ends.push({ category: 'other', endsOn: years(terms.otherYears) });
  return ends;
}

/**
 * The last day of the `count`-th season that starts on or after `start`. A season already
 * running on the start day is not a full season and does not count; one starting on the start
 * day itself is covered from its first day, so it does.
 */
export function seasonsCoveredUntil(start: string, season: Season, count: number): string {
  const first = day(start);
  let seen = 0;
  for (let year = first.year - 1; ; year++) {
    const opens = onMonthDay(year, season.from);
    if (opens < first) continue;
    seen += 1;
    if (seen === count) {
      const closes = onMonthDay(year, season.to);
      return iso(closes >= opens ? closes : onMonthDay(year + 1, season.to));
    }
  }
}

/** True for a `MM-DD` that names a day of some year (02-29 included). */
export function isMonthDay(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  return match !== null && DateTime.utc(2024, Number(match[1]), Number(match[2])).isValid;
}

/** `MM-DD` in `year`; 02-29 falls on 02-28 in a common year. */
export function onMonthDay(year: number, monthDay: string): DateTime {
  const [month, dayOfMonth] = monthDay.split('-').map(Number) as [number, number];
  const firstOfMonth = DateTime.utc(year, month, 1);
  return firstOfMonth.set({ day: Math.min(dayOfMonth, firstOfMonth.daysInMonth!) });
}

function day(date: string): DateTime {
  const parsed = DateTime.fromISO(date, { zone: 'utc' });
  if (!parsed.isValid) throw new RangeError(`not a calendar date: ${date}`);
  return parsed.startOf('day');
}

function iso(date: DateTime): string {
  return date.toISODate()!;
}
