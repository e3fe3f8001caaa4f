import { describe, expect, it } from 'vitest';
import { repeatComplaintRuns } from '../../src/reports/repeat-complaints';
import { at } from './quarter-fixture';

const Q4 = { from: at('2026-10-01'), to: at('2027-01-01') };
const complaint = (id: string, day: string, unitId = 'U1', matterKey = 'noise') => ({ id, unitId, matterKey, receivedAt: at(`${day} 10:00`) });

describe('repeat complaints: runs of complaints within the window, the latest in the quarter', () => {
  it.each([
    ['80 days apart', ['2026-10-01', '2026-12-20'], [['a', 'b']]],
    ['exactly 90 days apart', ['2026-10-01', '2026-12-30'], [['a', 'b']]],
    ['91 days apart', ['2026-10-01', '2026-12-31'], []],
    ['100 days apart, across the quarter', ['2026-07-05', '2026-10-13'], []],
    ['80 days apart, the first in the quarter before', ['2026-08-20', '2026-11-08'], [['a', 'b']]],
    ['a chain of three, each within 90 days', ['2026-06-01', '2026-08-20', '2026-11-08'], [['a', 'b', 'c']]],
    ['a run that ended before the quarter', ['2026-06-01', '2026-08-20'], []],
    ['a gap longer than the window that ends a run', ['2026-07-01', '2026-07-05', '2026-12-20'], []],
    ['a complaint after the quarter does not count', ['2026-12-20', '2027-01-05'], []],
    ['one complaint', ['2026-11-01'], []],
  ])('%s', (_name, days, runs) => {
    const ids = ['a', 'b', 'c'];
    const groups = repeatComplaintRuns(days.map((d, i) => complaint(ids[i], d)), Q4, 90, 'Asia/Shanghai');
    expect(groups.map((g) => g.workOrderIds)).toEqual(runs);
    expect(groups.map((g) => g.count)).toEqual(runs.map((r) => r.length));
  });

  it('keeps units and matters apart', () => {
    const groups = repeatComplaintRuns(
      [complaint('a', '2026-10-01', 'U1', 'noise'), complaint('b', '2026-10-02', 'U2', 'noise'), complaint('c', '2026-10-03', 'U1', 'smell')],
      Q4,
      90,
      'Asia/Shanghai',
    );
    expect(groups).toEqual([]);
  });

  it('counts calendar days on the office clock', () => {
    // 2026-10-01 23:30 local and 2026-12-30 23:30 local are 90 calendar days apart.
    const late = [
      { id: 'a', unitId: 'U1', matterKey: 'm', receivedAt: at('2026-10-01 23:30') },
      { id: 'b', unitId: 'U1', matterKey: 'm', receivedAt: at('2026-12-30 23:30') },
    ];
    expect(repeatComplaintRuns(late, Q4, 90, 'Asia/Shanghai')).toHaveLength(1);
    expect(repeatComplaintRuns(late, Q4, 89, 'Asia/Shanghai')).toHaveLength(0);
  });
});
