import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Visit, VisitStatus } from '../../../entities';
import { mean, sqlNumber } from '../../reports/sql-values';
import { isoWeekOf } from '../../rules/iso-week';
import { Quarter } from '../../rules/quarter';

/** One week of a quarter: the average satisfaction (1–5) of the visits recorded in it. */
export interface WeekSatisfaction {
  /** ISO week, e.g. '2026-W48'. */
  week: string;
  /** Its Monday, e.g. '11月23日' (office's clock). */
  monday: string;
  average: number | null;
  answers: number;
}

/**
 * The satisfaction trend of a quarter by week (the glance's and the quarter page's line chart):
 * the quarter's visits — the ones its satisfaction averages count (docs/api.md §6) — by the
 * ISO week their record was made in, on the office's clock, up to `asOf`. A visit recorded
 * before the quarter's first week counts in that week, one recorded after the quarter (late)
 * in its last, so the weeks add up to the quarter's average.
 * One aggregate query over a covering index, one sum and count per week.
 */
export async function weeklySatisfaction(dataSource: DataSource, officeId: string, quarter: Quarter, asOf: Date, zone: string): Promise<WeekSatisfaction[]> {
  const end = asOf < quarter.to ? asOf : quarter.to;
  const weeks = [];
  for (let at = quarter.from; at < end; ) {
    const week = isoWeekOf(at, zone);
    weeks.push(week);
    at = week.to;
  }
  if (weeks.length === 0) return [];
  const qb = dataSource
    .createQueryBuilder(Visit, 'v')
    // MySQL/MariaDB only: the quarter's verdict index holds every column read here (a covering
    // scan of the office-quarter), where the planner would take a narrower one and read rows.
    .useIndex('idx_visits_quarter_verdict')
    .select('COUNT(*)', 'answered')
    .where('v.officeId = :officeId AND v.quarter = :quarter AND v.status <> :cancelled', { officeId, quarter: quarter.label, cancelled: VisitStatus.Cancelled })
    .andWhere('v.satisfaction IS NOT NULL AND v.recordedAt <= :asOf', { asOf });
  weeks.forEach((week, i) => {
    // The first week is open below (early records), the last one above (late records, to asOf).
    const bounds = [i > 0 ? `v.recordedAt >= :from${i}` : null, i < weeks.length - 1 ? `v.recordedAt < :to${i}` : null].filter(Boolean);
    const within = bounds.length > 0 ? bounds.join(' AND ') : '1 = 1';
    qb.addSelect(`SUM(CASE WHEN ${within} THEN v.satisfaction ELSE 0 END)`, `sum${i}`)
      .addSelect(`SUM(CASE WHEN ${within} THEN 1 ELSE 0 END)`, `n${i}`)
      .setParameters({ [`from${i}`]: week.from, [`to${i}`]: week.to });
  });
  const row = (await qb.getRawOne<Record<string, unknown>>()) ?? {};
  return weeks.map((week, i) => ({
    week: week.label,
    monday: DateTime.fromJSDate(week.from, { zone }).toFormat('M月d日'),
    average: mean(sqlNumber(row[`sum${i}`]), sqlNumber(row[`n${i}`])),
    answers: sqlNumber(row[`n${i}`]),
  }));
}
