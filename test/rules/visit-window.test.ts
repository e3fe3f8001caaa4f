import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_POLICY,
  visitWindows,
  WORK_ORDER_KINDS,
  type VisitWindow,
  type VisitWindowOrder,
  type WindowPolicy,
} from '../../src/rules';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** Windows as ISO UTC strings, so a failure shows the instants readably. */
function isoWindows(windows: VisitWindow[]) {
  return windows.map((w) => ({ purpose: w.purpose, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString() }));
}

describe('visitWindows: the main window of each kind (docs/rules.md §2)', () => {
  // Local times are written with their offset; expected instants are UTC.
  it.each<{ name: string; order: VisitWindowOrder; zone?: string; opensAt: string; closesAt: string }>([
    {
      name: 'a major complaint completed 2026-11-26 15:00 closes 3 days later at 2026-11-29 23:59:59.999',
      order: { kind: 'complaint', severity: 'major', completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-11-29T15:59:59.999Z',
    },
    {
      name: 'a general complaint has the same window as a major one',
      order: { kind: 'complaint', severity: 'general', completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-11-29T15:59:59.999Z',
    },
    {
      name: 'a complaint without severity still gets the 3-day window',
      order: { kind: 'complaint', severity: null, completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-11-29T15:59:59.999Z',
    },
    {
      name: 'a household repair completed 2026-03-10 15:00 runs from the completion to 2026-03-17 end of day (as "other")',
      order: { kind: 'repair', completedAt: new Date('2026-03-10T15:00:00+08:00') },
      opensAt: '2026-03-10T07:00:00.000Z',
      closesAt: '2026-03-17T15:59:59.999Z',
    },
    {
      name: 'repair works completed 2026-03-10 15:00 opens 2026-04-10 00:00 and closes 2026-05-10 end of day',
      order: { kind: 'repair_works', completedAt: new Date('2026-03-10T15:00:00+08:00') },
      opensAt: '2026-04-09T16:00:00.000Z',
      closesAt: '2026-05-10T15:59:59.999Z',
    },
    {
      name: 'repair works completed 2026-01-31 opens 2026-02-28 and closes 2026-03-31 end of day (month clamp)',
      order: { kind: 'repair_works', completedAt: new Date('2026-01-31T15:00:00+08:00') },
      opensAt: '2026-02-27T16:00:00.000Z',
      closesAt: '2026-03-31T15:59:59.999Z',
    },
    {
      name: 'repair works completed 2028-01-31 opens on the leap day 2028-02-29',
      order: { kind: 'repair_works', completedAt: new Date('2028-01-31T15:00:00+08:00') },
      opensAt: '2028-02-28T16:00:00.000Z',
      closesAt: '2028-03-31T15:59:59.999Z',
    },
    {
      name: 'repair works completed on the leap day 2028-02-29 opens 2028-03-29 and closes 2028-04-29 end of day',
      order: { kind: 'repair_works', completedAt: new Date('2028-02-29T15:00:00+08:00') },
      opensAt: '2028-03-28T16:00:00.000Z',
      closesAt: '2028-04-29T15:59:59.999Z',
    },
    {
      name: 'a complaint completed on the leap day 2028-02-29 closes 2028-03-03 end of day',
      order: { kind: 'complaint', severity: 'general', completedAt: new Date('2028-02-29T15:00:00+08:00') },
      opensAt: '2028-02-29T07:00:00.000Z',
      closesAt: '2028-03-03T15:59:59.999Z',
    },
    {
      name: 'a help request closes 7 days after completion, end of day',
      order: { kind: 'help', completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-12-03T15:59:59.999Z',
    },
    {
      name: 'an emergency closes 7 days after the end of the emergency work, end of day',
      order: { kind: 'emergency', completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-12-03T15:59:59.999Z',
    },
    {
      name: 'other management work closes 7 days after completion, end of day',
      order: { kind: 'other', completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-12-03T15:59:59.999Z',
    },
    {
      name: 'an activity closes 1 month after completion, end of day',
      order: { kind: 'activity', completedAt: new Date('2026-11-26T15:00:00+08:00') },
      opensAt: '2026-11-26T07:00:00.000Z',
      closesAt: '2026-12-26T15:59:59.999Z',
    },
    {
      name: 'an activity completed 2026-01-31 closes 2026-02-28 end of day (month clamp)',
      order: { kind: 'activity', completedAt: new Date('2026-01-31T15:00:00+08:00') },
      opensAt: '2026-01-31T07:00:00.000Z',
      closesAt: '2026-02-28T15:59:59.999Z',
    },
    {
      name: 'a complaint completed at 23:59:59 local still counts its 3 days from that local day',
      order: { kind: 'complaint', severity: 'major', completedAt: new Date('2026-11-26T23:59:59+08:00') },
      opensAt: '2026-11-26T15:59:59.000Z',
      closesAt: '2026-11-29T15:59:59.999Z',
    },
    {
      name: 'a help request completed at 23:59:59 local closes 7 local days later',
      order: { kind: 'help', completedAt: new Date('2026-11-26T23:59:59+08:00') },
      opensAt: '2026-11-26T15:59:59.000Z',
      closesAt: '2026-12-03T15:59:59.999Z',
    },
    {
      name: 'repair works completed at 00:30 local on 1 February (still 31 January in UTC) opens 1 March local',
      order: { kind: 'repair_works', completedAt: new Date('2026-02-01T00:30:00+08:00') },
      opensAt: '2026-02-28T16:00:00.000Z',
      closesAt: '2026-04-01T15:59:59.999Z',
    },
    {
      name: 'repair works completed 2026-01-31 23:59:59 in New York (1 February in UTC) opens 2026-02-28 local',
      order: { kind: 'repair_works', completedAt: new Date('2026-01-31T23:59:59-05:00') },
      zone: NEW_YORK,
      opensAt: '2026-02-28T05:00:00.000Z',
      // 31 March is after the US switch to summer time: end of day is at -04:00.
      closesAt: '2026-04-01T03:59:59.999Z',
    },
    {
      name: 'in Berlin a complaint closing on the spring DST day ends at 23:59:59.999 +02:00',
      order: { kind: 'complaint', severity: 'major', completedAt: new Date('2026-03-26T10:00:00+01:00') },
      zone: BERLIN,
      opensAt: '2026-03-26T09:00:00.000Z',
      closesAt: '2026-03-29T21:59:59.999Z',
    },
    {
      name: 'in Berlin a help request closing on the spring DST day ends at 23:59:59.999 +02:00',
      order: { kind: 'help', completedAt: new Date('2026-03-22T12:00:00+01:00') },
      zone: BERLIN,
      opensAt: '2026-03-22T11:00:00.000Z',
      closesAt: '2026-03-29T21:59:59.999Z',
    },
    {
      name: 'in Berlin a complaint closing on the autumn DST day ends at 23:59:59.999 +01:00',
      order: { kind: 'complaint', severity: 'general', completedAt: new Date('2026-10-22T10:00:00+02:00') },
      zone: BERLIN,
      opensAt: '2026-10-22T08:00:00.000Z',
      closesAt: '2026-10-25T22:59:59.999Z',
    },
    {
      name: 'in Berlin repair works opening on the autumn DST day opens at 00:00 +02:00 and closes at +01:00',
      order: { kind: 'repair_works', completedAt: new Date('2026-09-25T10:00:00+02:00') },
      zone: BERLIN,
      opensAt: '2026-10-24T22:00:00.000Z',
      closesAt: '2026-11-25T22:59:59.999Z',
    },
  ])('$name', ({ order, zone, opensAt, closesAt }) => {
    expect(isoWindows(visitWindows(order, zone ?? SHANGHAI))).toEqual([{ purpose: 'main', opensAt, closesAt }]);
  });

  it.each(WORK_ORDER_KINDS.filter((kind) => kind !== 'special_service'))(
    'a %s work order that is not completed has no window yet',
    (kind) => {
      expect(visitWindows({ kind, completedAt: null }, SHANGHAI)).toEqual([]);
      expect(visitWindows({ kind }, SHANGHAI)).toEqual([]);
    },
  );

  it('rejects an unknown time zone instead of returning Invalid Date', () => {
    expect(() => visitWindows({ kind: 'help', completedAt: new Date('2026-11-26T07:00:00Z') }, 'Mars/Olympus')).toThrow(
      /Unknown time zone "Mars\/Olympus"/,
    );
  });

  it('rejects an invalid completion Date', () => {
    expect(() => visitWindows({ kind: 'help', completedAt: new Date('nonsense') }, SHANGHAI)).toThrow(/Invalid instant/);
  });
});

describe('visitWindows: special services (docs/rules.md §2, interpretation)', () => {
  // 2026-01-01 00:00 → 2026-04-01 00:00 Shanghai: 90 days; 40 % = 36 days, 60 % = 54 days.
  const quarterContract = {
    startAt: new Date('2026-01-01T00:00:00+08:00'),
    endAt: new Date('2026-04-01T00:00:00+08:00'),
  };

  it.each<{ name: string; order: VisitWindowOrder; zone?: string; policy?: WindowPolicy; expected: ReturnType<typeof isoWindows> }>([
    {
      name: 'a 90-day contract gets a visit at 40–60 % of it and one up to 7 days after its end',
      order: { kind: 'special_service', contract: quarterContract },
      expected: [
        { purpose: 'mid_contract', opensAt: '2026-02-05T16:00:00.000Z', closesAt: '2026-02-23T16:00:00.000Z' },
        { purpose: 'after_contract', opensAt: '2026-03-31T16:00:00.000Z', closesAt: '2026-04-08T15:59:59.999Z' },
      ],
    },
    {
      name: 'a contract of 29 days (under 30) gets only the after-contract visit',
      order: {
        kind: 'special_service',
        contract: { startAt: new Date('2026-11-01T09:00:00+08:00'), endAt: new Date('2026-11-30T09:00:00+08:00') },
      },
      expected: [{ purpose: 'after_contract', opensAt: '2026-11-30T01:00:00.000Z', closesAt: '2026-12-07T15:59:59.999Z' }],
    },
    {
      name: 'a contract of exactly 30 days is not "shorter than 30 days" and gets both visits',
      order: {
        kind: 'special_service',
        contract: { startAt: new Date('2026-11-01T09:00:00+08:00'), endAt: new Date('2026-12-01T09:00:00+08:00') },
      },
      expected: [
        { purpose: 'mid_contract', opensAt: '2026-11-13T01:00:00.000Z', closesAt: '2026-11-19T01:00:00.000Z' },
        { purpose: 'after_contract', opensAt: '2026-12-01T01:00:00.000Z', closesAt: '2026-12-08T15:59:59.999Z' },
      ],
    },
    {
      name: 'in Berlin 30 calendar days across the spring switch (30 days less an hour elapsed) still count as 30 days',
      order: {
        kind: 'special_service',
        contract: { startAt: new Date('2026-03-15T00:00:00+01:00'), endAt: new Date('2026-04-14T00:00:00+02:00') },
      },
      zone: BERLIN,
      expected: [
        // 40 % and 60 % of the 719 elapsed hours: 287 h 36 min and 431 h 24 min.
        { purpose: 'mid_contract', opensAt: '2026-03-26T22:36:00.000Z', closesAt: '2026-04-01T22:24:00.000Z' },
        { purpose: 'after_contract', opensAt: '2026-04-13T22:00:00.000Z', closesAt: '2026-04-21T21:59:59.999Z' },
      ],
    },
    {
      name: 'a contract that ended early (completed before its end) runs the after-contract visit from the completion',
      order: { kind: 'special_service', contract: quarterContract, completedAt: new Date('2026-03-10T15:00:00+08:00') },
      expected: [
        { purpose: 'mid_contract', opensAt: '2026-02-05T16:00:00.000Z', closesAt: '2026-02-23T16:00:00.000Z' },
        { purpose: 'after_contract', opensAt: '2026-03-10T07:00:00.000Z', closesAt: '2026-03-17T15:59:59.999Z' },
      ],
    },
    {
      name: 'a contract that ended before its mid-contract visit opened gets only the after-contract visit',
      order: { kind: 'special_service', contract: quarterContract, completedAt: new Date('2026-01-20T15:00:00+08:00') },
      expected: [{ purpose: 'after_contract', opensAt: '2026-01-20T07:00:00.000Z', closesAt: '2026-01-27T15:59:59.999Z' }],
    },
    {
      name: 'a completion recorded after the contract end does not move the after-contract visit',
      order: { kind: 'special_service', contract: quarterContract, completedAt: new Date('2026-04-03T10:00:00+08:00') },
      expected: [
        { purpose: 'mid_contract', opensAt: '2026-02-05T16:00:00.000Z', closesAt: '2026-02-23T16:00:00.000Z' },
        { purpose: 'after_contract', opensAt: '2026-03-31T16:00:00.000Z', closesAt: '2026-04-08T15:59:59.999Z' },
      ],
    },
    {
      name: 'a policy of 50–75 % and 3 days after moves both windows',
      order: { kind: 'special_service', contract: quarterContract },
      policy: { midContractOpensAt: 0.5, midContractClosesAt: 0.75, minContractDaysForMidVisit: 30, afterContractDays: 3 },
      expected: [
        // 45 days → 2026-02-15 00:00; 67.5 days → 2026-03-09 12:00 local.
        { purpose: 'mid_contract', opensAt: '2026-02-14T16:00:00.000Z', closesAt: '2026-03-09T04:00:00.000Z' },
        { purpose: 'after_contract', opensAt: '2026-03-31T16:00:00.000Z', closesAt: '2026-04-04T15:59:59.999Z' },
      ],
    },
    {
      name: 'a policy with a 100-day minimum leaves a 90-day contract only its after-contract visit',
      order: { kind: 'special_service', contract: quarterContract },
      policy: { ...DEFAULT_WINDOW_POLICY, minContractDaysForMidVisit: 100 },
      expected: [{ purpose: 'after_contract', opensAt: '2026-03-31T16:00:00.000Z', closesAt: '2026-04-08T15:59:59.999Z' }],
    },
    {
      name: 'a special service without a contract has no window',
      order: { kind: 'special_service', contract: null, completedAt: new Date('2026-03-10T15:00:00+08:00') },
      expected: [],
    },
  ])('$name', ({ order, zone, policy, expected }) => {
    expect(isoWindows(visitWindows(order, zone ?? SHANGHAI, policy))).toEqual(expected);
  });

  it('exports the interpretation defaults 40 %, 60 %, 30 days and 7 days', () => {
    expect(DEFAULT_WINDOW_POLICY).toEqual({
      midContractOpensAt: 0.4,
      midContractClosesAt: 0.6,
      minContractDaysForMidVisit: 30,
      afterContractDays: 7,
    });
  });

  it.each([
    ['a contract that ends before it starts', { startAt: quarterContract.endAt, endAt: quarterContract.startAt }, DEFAULT_WINDOW_POLICY, /endAt must be after startAt/],
    ['a mid window that closes before it opens', quarterContract, { ...DEFAULT_WINDOW_POLICY, midContractOpensAt: 0.6, midContractClosesAt: 0.4 }, /Invalid window policy/],
    ['a share above 100 %', quarterContract, { ...DEFAULT_WINDOW_POLICY, midContractClosesAt: 1.2 }, /Invalid window policy/],
    ['a fractional day count', quarterContract, { ...DEFAULT_WINDOW_POLICY, afterContractDays: 1.5 }, /afterContractDays/],
  ])('rejects %s', (_name, contract, policy, message) => {
    expect(() => visitWindows({ kind: 'special_service', contract }, SHANGHAI, policy)).toThrow(message);
  });
});
