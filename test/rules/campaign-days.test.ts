import { describe, expect, it } from 'vitest';
import { callableSpan, callDays, spreadCalls } from '../../src/rules/campaign-days';
import { DEFAULT_WORKING_HOURS } from '../../src/rules/working-time';

const counts = (values: number[], n: number) => Array.from({ length: n }, (_, i) => values.filter((v) => v === i).length);

describe('spreadCalls', () => {
  it.each([
    [10, 2, 5],
    [23, 2, 5],
    [7, 3, 2],
    [5, 4, 7],
    [1, 3, 3],
    [1000, 7, 22],
  ])('%i calls over %i callers and %i days: every caller and every day within one of the others', (count, callers, days) => {
    const slots = spreadCalls(count, callers, days);
    expect(slots).toHaveLength(count);
    for (const tally of [counts(slots.map((s) => s.caller), callers), counts(slots.map((s) => s.day), Math.min(days, count))]) {
      expect(Math.max(...tally) - Math.min(...tally)).toBeLessThanOrEqual(1);
    }
    // Each caller's calls of a day are within one of the other callers' that day.
    for (let d = 0; d < days; d++) {
      const tally = counts(slots.filter((s) => s.day === d).map((s) => s.caller), callers);
      if (tally.some((n) => n > 0)) expect(Math.max(...tally) - Math.min(...tally)).toBeLessThanOrEqual(1);
    }
  });
});

describe('callableSpan: working hours less quiet hours', () => {
  it.each([
    ['08:00', '21:00', '21:00', '08:00', { from: 480, to: 1260 }],
    ['08:00', '22:00', '21:00', '09:00', { from: 540, to: 1260 }],
    ['08:00', '21:00', '00:00', '00:00', { from: 480, to: 1260 }],
    ['08:00', '18:00', '12:00', '13:00', { from: 780, to: 1080 }],
    ['08:00', '10:00', '07:00', '12:00', null],
  ])('working %s–%s, quiet %s–%s', (start, end, qs, qe, span) => {
    expect(callableSpan({ start, end, weekdays: [1] }, { start: qs, end: qe })).toEqual(span);
  });
});

describe('callDays', () => {
  const quiet = { start: '21:00', end: '08:00' };
  it('leaves out the days whose callable hours have ended, and the non-working days', () => {
    const days = callDays({ from: '2026-12-03', to: '2026-12-08' }, 'Asia/Shanghai', { ...DEFAULT_WORKING_HOURS, weekdays: [1, 2, 3, 4, 5] }, quiet, new Date('2026-12-03T13:30:00Z'));
    expect(days.map((d) => d.date)).toEqual(['2026-12-04', '2026-12-07', '2026-12-08']);
    expect(days[0]).toEqual({ date: '2026-12-04', opensAt: new Date('2026-12-04T00:00:00Z'), closesAt: new Date('2026-12-04T13:00:00Z') });
  });
});
