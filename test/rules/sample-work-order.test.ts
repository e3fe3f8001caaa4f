import { describe, expect, it } from 'vitest';
import {
  alwaysSelectReason,
  sampleWorkOrder,
  type AlwaysSelectContext,
  type AlwaysSelectReason,
  type SamplingDecision,
  type SamplingInput,
} from '../../src/rules';

/** Feeds `count` work orders in sequence, as the planner does per office, kind and quarter. */
function run(target: number, count: number, alwaysAt: (n: number) => AlwaysSelectReason | null = () => null) {
  const decisions: SamplingDecision[] = [];
  let eligibleBefore = 0;
  let selectedBefore = 0;
  for (let n = 1; n <= count; n++) {
    const decision = sampleWorkOrder({ target, eligibleBefore, selectedBefore, alwaysSelect: alwaysAt(n) });
    decisions.push(decision);
    eligibleBefore = decision.eligible;
    selectedBefore = decision.selectedAfter;
  }
  return decisions;
}

describe('sampleWorkOrder (docs/rules.md §2)', () => {
  it.each<[string, SamplingInput, SamplingDecision]>([
    [
      'a 100 % kind selects every work order',
      { target: 1, eligibleBefore: 5, selectedBefore: 5, alwaysSelect: null },
      { selected: true, reason: 'full_rate', eligible: 6, selectedAfter: 6, quota: 6 },
    ],
    [
      'a 100 % kind reports full_rate even when an always-select reason exists',
      { target: 1, eligibleBefore: 0, selectedBefore: 0, alwaysSelect: 'recent_unqualified' },
      { selected: true, reason: 'full_rate', eligible: 1, selectedAfter: 1, quota: 1 },
    ],
    [
      'the first repair of the quarter at 80 % is selected: ceil(0.8 × 1) = 1',
      { target: 0.8, eligibleBefore: 0, selectedBefore: 0, alwaysSelect: null },
      { selected: true, reason: 'quota', eligible: 1, selectedAfter: 1, quota: 1 },
    ],
    [
      'the fifth repair at 80 % is not selected when four already were: ceil(0.8 × 5) = 4',
      { target: 0.8, eligibleBefore: 4, selectedBefore: 4, alwaysSelect: null },
      { selected: false, reason: 'quota_met', eligible: 5, selectedAfter: 4, quota: 4 },
    ],
    [
      'a repeat repair is selected even though the quota is met',
      { target: 0.8, eligibleBefore: 4, selectedBefore: 4, alwaysSelect: 'repeat_repair' },
      { selected: true, reason: 'repeat_repair', eligible: 5, selectedAfter: 5, quota: 4 },
    ],
    [
      'a unit with a recent unqualified visit is selected even though the quota is met',
      { target: 0.2, eligibleBefore: 1, selectedBefore: 1, alwaysSelect: 'recent_unqualified' },
      { selected: true, reason: 'recent_unqualified', eligible: 2, selectedAfter: 2, quota: 1 },
    ],
    [
      'the 100th repair at 80 % is selected while 79 were: quota exactly 80',
      { target: 0.8, eligibleBefore: 99, selectedBefore: 79, alwaysSelect: null },
      { selected: true, reason: 'quota', eligible: 100, selectedAfter: 80, quota: 80 },
    ],
    [
      'the 100th repair at 80 % is not selected when 80 already were',
      { target: 0.8, eligibleBefore: 99, selectedBefore: 80, alwaysSelect: null },
      { selected: false, reason: 'quota_met', eligible: 100, selectedAfter: 80, quota: 80 },
    ],
    [
      'float noise does not add a visit: 0.07 × 100 = 7.000000000000001 gives quota 7, not 8',
      { target: 0.07, eligibleBefore: 99, selectedBefore: 7, alwaysSelect: null },
      { selected: false, reason: 'quota_met', eligible: 100, selectedAfter: 7, quota: 7 },
    ],
    [
      'float noise does not add a visit: (0.1 + 0.2) × 10 gives quota 3, not 4',
      { target: 0.1 + 0.2, eligibleBefore: 9, selectedBefore: 3, alwaysSelect: null },
      { selected: false, reason: 'quota_met', eligible: 10, selectedAfter: 3, quota: 3 },
    ],
    [
      '"other" at its default 0 % selects nothing but still counts as eligible',
      { target: 0, eligibleBefore: 0, selectedBefore: 0, alwaysSelect: null },
      { selected: false, reason: 'quota_met', eligible: 1, selectedAfter: 0, quota: 0 },
    ],
    [
      'the first activity at 20 % is selected',
      { target: 0.2, eligibleBefore: 0, selectedBefore: 0, alwaysSelect: null },
      { selected: true, reason: 'quota', eligible: 1, selectedAfter: 1, quota: 1 },
    ],
    [
      'the second activity at 20 % is not: ceil(0.4) = 1',
      { target: 0.2, eligibleBefore: 1, selectedBefore: 1, alwaysSelect: null },
      { selected: false, reason: 'quota_met', eligible: 2, selectedAfter: 1, quota: 1 },
    ],
  ])('%s', (_name, input, expected) => {
    expect(sampleWorkOrder(input)).toEqual(expected);
  });

  it('selects exactly 80 of 100 sequential repairs at 80 %, in the pattern 4 selected, 1 not', () => {
    const decisions = run(0.8, 100);
    expect(decisions.filter((d) => d.selected)).toHaveLength(80);
    expect(decisions.at(-1)).toMatchObject({ eligible: 100, selectedAfter: 80, quota: 80 });
    expect(decisions.slice(0, 10).map((d) => d.selected)).toEqual([true, true, true, true, false, true, true, true, true, false]);
  });

  it.each([0.8, 0.2, 0.3, 0.07, 1 / 3, 0])(
    'at target %s the rate never falls below the target at any prefix, with the least work',
    (target) => {
      run(target, 1000).forEach((d, i) => {
        const eligible = i + 1;
        expect(d.eligible).toBe(eligible);
        expect(d.selectedAfter).toBeGreaterThanOrEqual(target * eligible - 1e-9);
        // The least work: never more than the quota without an always-select reason.
        expect(d.selectedAfter).toBe(d.quota);
      });
    },
  );

  it('always-selects on top of the quota keep the rate at or above the target and are never lost', () => {
    const always = (n: number): AlwaysSelectReason | null => (n % 7 === 0 ? 'repeat_repair' : n % 11 === 0 ? 'recent_unqualified' : null);
    const decisions = run(0.8, 100, always);
    decisions.forEach((d, i) => {
      expect(d.selectedAfter / d.eligible).toBeGreaterThanOrEqual(0.8 - 1e-9);
      if (always(i + 1)) expect(d).toMatchObject({ selected: true, reason: always(i + 1) });
    });
    expect(decisions.filter((d) => d.reason === 'repeat_repair')).toHaveLength(14);
    expect(decisions.filter((d) => d.reason === 'recent_unqualified')).toHaveLength(8); // 11…99 minus 77
  });

  it.each<[string, SamplingInput]>([
    ['a target above 100 %', { target: 1.2, eligibleBefore: 0, selectedBefore: 0, alwaysSelect: null }],
    ['a negative target', { target: -0.1, eligibleBefore: 0, selectedBefore: 0, alwaysSelect: null }],
    ['more selected than eligible', { target: 0.8, eligibleBefore: 3, selectedBefore: 4, alwaysSelect: null }],
    ['a fractional count', { target: 0.8, eligibleBefore: 2.5, selectedBefore: 1, alwaysSelect: null }],
    ['a negative count', { target: 0.8, eligibleBefore: -1, selectedBefore: 0, alwaysSelect: null }],
  ])('rejects %s', (_name, input) => {
    expect(() => sampleWorkOrder(input)).toThrow(RangeError);
  });
});

describe('alwaysSelectReason (docs/rules.md §2)', () => {
  it.each<[string, AlwaysSelectContext, AlwaysSelectReason | null]>([
    ['a repair on a unit with an unqualified visit in the last 90 days', { kind: 'repair', unqualifiedVisitOnUnitWithin90Days: true, earlierRepairsOfSameMatterOnUnitThisQuarter: 0 }, 'recent_unqualified'],
    ['a help request on such a unit (any kind)', { kind: 'help', unqualifiedVisitOnUnitWithin90Days: true, earlierRepairsOfSameMatterOnUnitThisQuarter: 0 }, 'recent_unqualified'],
    ['a recent unqualified visit wins over a repeat repair', { kind: 'repair', unqualifiedVisitOnUnitWithin90Days: true, earlierRepairsOfSameMatterOnUnitThisQuarter: 2 }, 'recent_unqualified'],
    ['the second repair of the same matter on the unit this quarter', { kind: 'repair', unqualifiedVisitOnUnitWithin90Days: false, earlierRepairsOfSameMatterOnUnitThisQuarter: 1 }, 'repeat_repair'],
    ['the fourth repair of the same matter', { kind: 'repair', unqualifiedVisitOnUnitWithin90Days: false, earlierRepairsOfSameMatterOnUnitThisQuarter: 3 }, 'repeat_repair'],
    ['the first repair of a matter', { kind: 'repair', unqualifiedVisitOnUnitWithin90Days: false, earlierRepairsOfSameMatterOnUnitThisQuarter: 0 }, null],
    ['a non-repair with earlier repairs on the unit (only repairs repeat)', { kind: 'help', unqualifiedVisitOnUnitWithin90Days: false, earlierRepairsOfSameMatterOnUnitThisQuarter: 3 }, null],
  ])('%s → %s', (_name, ctx, expected) => {
    expect(alwaysSelectReason(ctx)).toBe(expected);
  });
});
