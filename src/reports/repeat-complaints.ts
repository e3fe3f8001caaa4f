import { DateTime } from 'luxon';
import type { RepeatGroup } from './quarterly-stats';

/** One complaint of a unit and matter, at its receipt. */
export interface ComplaintPoint {
  id: string;
  unitId: string;
  matterKey: string;
  receivedAt: Date;
}

/**
 * Repeat complaints (连续就同一事项投诉两次以上, docs/rules.md §5): runs of two or more complaints
 * on the same unit and matter key where each follows the one before within `windowDays`
 * calendar days (in `zone`), whose latest complaint falls in [from, to).
 *
 * Give it every complaint of the office received before `to`, cancelled ones left out (earlier
 * ones are what chains back into the quarter); a complaint counts from its receipt, whatever
 * its status later. Runs are maximal: a gap longer than the window ends one. A unit may
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
    if (c.receivedAt >= period.to) continue;
    const key = JSON.stringify([c.unitId, c.matterKey]);
    const list = byMatter.get(key) ?? [];
    list.push(c);
    byMatter.set(key, list);
  }
  const groups: (RepeatGroup & { last: number })[] = [];
  for (const list of byMatter.values()) {
    list.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let run: ComplaintPoint[] = [];
    const close = () => {
      const last = run[run.length - 1];
      if (run.length >= 2 && last.receivedAt >= period.from) {
        groups.push({ unitId: last.unitId, matterKey: last.matterKey, count: run.length, workOrderIds: run.map((c) => c.id), last: last.receivedAt.getTime() });
      }
    };
    for (const complaint of list) {
      const previous = run[run.length - 1];
      if (previous && !withinDays(previous.receivedAt, complaint.receivedAt, windowDays, zone)) {
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

/** Hours a day may differ from 24 across a change of clocks, with room to spare. */
const CLOCK_CHANGE_MS = 3 * 3_600_000;

/**
 * Whether `later` falls within `days` calendar days after `earlier` on the office's clock.
 * Why the zone: "within 90 days" counts calendar days where the office is. Gaps clearly inside
 * or outside are answered without calendar arithmetic (a quarter's history has thousands).
 */
function withinDays(earlier: Date, later: Date, days: number, zone: string): boolean {
  const gap = later.getTime() - earlier.getTime();
  if (gap <= days * 86_400_000 - CLOCK_CHANGE_MS) return true;
  if (gap > days * 86_400_000 + CLOCK_CHANGE_MS) return false;
  return later <= DateTime.fromJSDate(earlier, { zone }).plus({ days }).toJSDate();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
