import { DateTime } from 'luxon';
import type { RepeatGroup } from './quarterly-stats';

/** One completed complaint of a unit and matter. */
export interface ComplaintPoint {
  id: string;
  unitId: string;
  matterKey: string;
  completedAt: Date;
}

/**
 * Repeat complaints (连续就同一事项投诉两次以上, docs/rules.md §5): runs of two or more complaints
 * on the same unit and matter key where each follows the one before within `windowDays`
 * calendar days (in `zone`), whose latest complaint falls in [from, to).
 *
 * Give it every complaint of the office completed before `to` (earlier ones are what chains
 * back into the quarter). Runs are maximal: a gap longer than the window ends one. A unit may
 * have two runs in one quarter; each is reported.
 *
 * Invariant: pure; complaints 80 days apart make a run with a 90-day window, 100 days apart
 * do not; "within" includes exactly `windowDays` days. Output ordered by unit, matter, then
 * the run's latest complaint.
 */
export function repeatComplaintRuns(
  complaints: readonly ComplaintPoint[],
  period: { from: Date; to: Date },
  windowDays: number,
  zone: string,
): RepeatGroup[] {
  const byMatter = new Map<string, ComplaintPoint[]>();
  for (const c of complaints) {
    if (c.completedAt >= period.to) continue;
    const key = JSON.stringify([c.unitId, c.matterKey]);
    const list = byMatter.get(key) ?? [];
    list.push(c);
    byMatter.set(key, list);
  }
  const groups: (RepeatGroup & { last: number })[] = [];
  for (const list of byMatter.values()) {
    list.sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let run: ComplaintPoint[] = [];
    const close = () => {
      const last = run[run.length - 1];
      if (run.length >= 2 && last.completedAt >= period.from) {
        groups.push({ unitId: last.unitId, matterKey: last.matterKey, count: run.length, workOrderIds: run.map((c) => c.id), last: last.completedAt.getTime() });
      }
    };
    for (const complaint of list) {
      const previous = run[run.length - 1];
      // Why the zone: "within 90 days" counts calendar days on the office's clock.
      if (previous && complaint.completedAt > DateTime.fromJSDate(previous.completedAt, { zone }).plus({ days: windowDays }).toJSDate()) {
        close();
        run = [];
      }
      run.push(complaint);
    }
    if (run.length > 0) close();
  }
  groups.sort((a, b) => compare(a.unitId, b.unitId) || compare(a.matterKey, b.matterKey) || a.last - b.last);
  return groups.map(({ last: _last, ...group }) => group);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
