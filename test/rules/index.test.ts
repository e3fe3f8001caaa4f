import { describe, expect, it } from 'vitest';
import * as rules from '../../src/rules';

describe('the rules index', () => {
  // Other parts of the service code against these names: renaming one must fail here.
  it.each([
    'visitWindows',
    'rateTargetFor',
    'sampleWorkOrder',
    'alwaysSelectReason',
    'visitorRoles',
    'chooseSpecialist',
    'deferPastQuietHours',
    'reminderInstants',
    'residentAskInstant',
    'residentReaskInstant',
    'quarterOf',
    'parseQuarter',
    'isoWeekOf',
    'parseIsoWeek',
    'archiveDates',
    'retentionEnd',
    'isUnqualified',
    'isLate',
    'followUpRate',
  ])('exports the function %s', (name) => {
    expect(typeof (rules as Record<string, unknown>)[name]).toBe('function');
  });

  it.each([
    'WORK_ORDER_KINDS',
    'DEFAULT_WINDOW_POLICY',
    'DEFAULT_RATE_TARGETS',
    'DEFAULT_STAFF_QUIET',
    'DEFAULT_RESIDENT_QUIET',
    'DEFAULT_ARCHIVE_POLICY',
    'DEFAULT_UNQUALIFIED_POLICY',
    'LEVEL_LABELS',
    'SATISFACTION_LABELS',
    'SHORTCOMINGS',
    'SHORTCOMING_CODES',
    'SHORTCOMING_LABELS',
  ])('exports the frozen constant %s', (name) => {
    const value = (rules as Record<string, unknown>)[name];
    expect(value).toBeTypeOf('object');
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('lists the eight work-order kinds of the rules (§2)', () => {
    expect(rules.WORK_ORDER_KINDS).toEqual(['complaint', 'repair', 'repair_works', 'special_service', 'help', 'emergency', 'activity', 'other']);
  });
});
