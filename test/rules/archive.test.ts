import { describe, expect, it } from 'vitest';
import { archiveDates, DEFAULT_ARCHIVE_POLICY, retentionEnd, type ArchivePolicy } from '../../src/rules';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

describe('archiveDates: remind on the 5th at 09:00, lock at 00:00 on the 10th of the next quarter (§6)', () => {
  it.each<[string, string, string, string, ArchivePolicy?]>([
    ['2026-Q4', SHANGHAI, '2027-01-05T01:00:00.000Z', '2027-01-09T16:00:00.000Z'],
    ['2026-Q1', SHANGHAI, '2026-04-05T01:00:00.000Z', '2026-04-09T16:00:00.000Z'],
    ['2026-Q2', SHANGHAI, '2026-07-05T01:00:00.000Z', '2026-07-09T16:00:00.000Z'],
    ['2026-Q3', SHANGHAI, '2026-10-05T01:00:00.000Z', '2026-10-09T16:00:00.000Z'],
    ['2026-Q1', BERLIN, '2026-04-05T07:00:00.000Z', '2026-04-09T22:00:00.000Z'],
    ['2026-Q4', BERLIN, '2027-01-05T08:00:00.000Z', '2027-01-09T23:00:00.000Z'],
    ['2026-Q4', SHANGHAI, '2027-01-01T02:30:00.000Z', '2027-01-14T16:00:00.000Z', { reminderDay: 1, lockDay: 15, reminderTime: '10:30' }],
    ['2026-Q4', SHANGHAI, '2027-01-03T01:00:00.000Z', '2027-01-06T16:00:00.000Z', { reminderDay: 3, lockDay: 7 }],
  ])('%s in %s: reminder %s, lock %s', (quarter, zone, reminderAt, lockAt, policy) => {
    const dates = archiveDates(quarter, zone, policy);
    expect({ reminderAt: dates.reminderAt.toISOString(), lockAt: dates.lockAt.toISOString() }).toEqual({ reminderAt, lockAt });
  });

  it('defaults to the 5th and the 10th', () => {
    expect(DEFAULT_ARCHIVE_POLICY).toMatchObject({ reminderDay: 5, lockDay: 10 });
  });

  it.each<[string, ArchivePolicy]>([
    ['a reminder on the lock day', { reminderDay: 10, lockDay: 10 }],
    ['a reminder after the lock', { reminderDay: 12, lockDay: 10 }],
    ['a lock on the 31st (April has 30 days)', { reminderDay: 5, lockDay: 31 }],
    ['a reminder on day 0', { reminderDay: 0, lockDay: 10 }],
    ['a fractional day', { reminderDay: 5.5, lockDay: 10 }],
  ])('rejects %s', (_name, policy) => {
    expect(() => archiveDates('2026-Q4', SHANGHAI, policy)).toThrow(/Invalid archive policy/);
  });

  it('rejects a bad quarter label', () => {
    expect(() => archiveDates('2026-Q9', SHANGHAI)).toThrow(/Invalid quarter "2026-Q9"/);
  });
});

describe('retentionEnd: records are kept 2 calendar years after archiving (§6)', () => {
  it.each<[string, string, string, string, number?]>([
    ['archived 2027-01-10 00:00 local, kept until 2029-01-10 00:00 local', '2027-01-09T16:00:00.000Z', SHANGHAI, '2029-01-09T16:00:00.000Z'],
    ['archived on the leap day 2028-02-29, kept until 2030-02-28', '2028-02-29T02:00:00.000Z', SHANGHAI, '2030-02-28T02:00:00.000Z'],
    ['Berlin: archived 12:00 +01:00 before the switch, kept until 12:00 +02:00 after it two years on', '2026-03-28T11:00:00.000Z', BERLIN, '2028-03-28T10:00:00.000Z'],
    ['a 3-year retention', '2027-01-09T16:00:00.000Z', SHANGHAI, '2030-01-09T16:00:00.000Z', 3],
  ])('%s', (_name, archivedAt, zone, expected, years) => {
    expect(retentionEnd(new Date(archivedAt), zone, years).toISOString()).toBe(expected);
  });

  it.each([0, -2, 1.5])('rejects a retention of %s years', (years) => {
    expect(() => retentionEnd(new Date('2027-01-09T16:00:00.000Z'), SHANGHAI, years)).toThrow(RangeError);
  });
});
