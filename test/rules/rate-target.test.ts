import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_TARGETS, rateTargetFor, WORK_ORDER_KINDS, type Severity, type WorkOrderKind } from '../../src/rules';

describe('rateTargetFor (docs/rules.md §2, SOP 4.1.2)', () => {
  it.each<[WorkOrderKind, Severity | undefined, number]>([
    ['complaint', 'major', 1],
    ['complaint', 'general', 1],
    ['repair', undefined, 0.8],
    ['special_service', undefined, 0.8],
    ['help', undefined, 0.8],
    ['emergency', undefined, 0.8],
    ['activity', undefined, 0.2],
    ['other', undefined, 0],
  ])('the default target of %s (severity %s) is %s', (kind, severity, target) => {
    expect(rateTargetFor(kind, undefined, severity)).toBe(target);
  });

  it('has a default for every kind, and nothing else', () => {
    expect(Object.keys(DEFAULT_RATE_TARGETS).sort()).toEqual([...WORK_ORDER_KINDS].sort());
  });

  it.each<[string, WorkOrderKind, Partial<Record<WorkOrderKind, number>>, number]>([
    ['a company using 30 % for repairs overrides the repair default', 'repair', { repair: 0.3, special_service: 0.3 }, 0.3],
    ['a company using 30 % for special services overrides that default', 'special_service', { repair: 0.3, special_service: 0.3 }, 0.3],
    ['an override for another kind leaves help at its default', 'help', { repair: 0.3 }, 0.8],
    ['the supervisor setting "other" to 50 % wins over 0 %', 'other', { other: 0.5 }, 0.5],
    ['an override of 0 % is honoured, not mistaken for "unset"', 'activity', { activity: 0 }, 0],
    ['a complaint can be overridden like any kind', 'complaint', { complaint: 0.9 }, 0.9],
  ])('%s', (_name, kind, overrides, target) => {
    expect(rateTargetFor(kind, overrides)).toBe(target);
  });

  it.each([1.5, -0.1, Number.NaN])('rejects an override of %s', (bad) => {
    expect(() => rateTargetFor('repair', { repair: bad })).toThrow(RangeError);
  });
});
