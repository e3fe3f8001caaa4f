import { describe, expect, it } from 'vitest';
import { isoWeekOf, parseIsoWeek, parseQuarter, quarterOf } from '../../src/rules';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

describe('quarterOf: quarters on the office wall clock', () => {
  it.each<[string, string, string, string, string, string?]>([
    ['2026-12-31T16:00Z is already 1 January 2027 in Shanghai', '2026-12-31T16:00:00.000Z', '2027-Q1', '2026-12-31T16:00:00.000Z', '2027-03-31T16:00:00.000Z'],
    ['one millisecond earlier is still 2026-Q4', '2026-12-31T15:59:59.999Z', '2026-Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['1 April 00:00 local starts Q2', '2026-03-31T16:00:00.000Z', '2026-Q2', '2026-03-31T16:00:00.000Z', '2026-06-30T16:00:00.000Z'],
    ['31 March 23:59:59.999 local ends Q1', '2026-03-31T15:59:59.999Z', '2026-Q1', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
    ['1 July 00:00 local starts Q3', '2026-06-30T16:00:00.000Z', '2026-Q3', '2026-06-30T16:00:00.000Z', '2026-09-30T16:00:00.000Z'],
    ['30 September 23:59:59.999 local ends Q3', '2026-09-30T15:59:59.999Z', '2026-Q3', '2026-06-30T16:00:00.000Z', '2026-09-30T16:00:00.000Z'],
    ['Berlin: Q1 starts at +01:00 and ends at +02:00', '2026-02-15T12:00:00.000Z', '2026-Q1', '2025-12-31T23:00:00.000Z', '2026-03-31T22:00:00.000Z', BERLIN],
    ['Berlin: Q4 starts at +02:00 and ends at +01:00', '2026-12-31T22:59:59.999Z', '2026-Q4', '2026-09-30T22:00:00.000Z', '2026-12-31T23:00:00.000Z', BERLIN],
    ['Berlin: 2026-12-31T23:00Z is 2027-Q1', '2026-12-31T23:00:00.000Z', '2027-Q1', '2026-12-31T23:00:00.000Z', '2027-03-31T22:00:00.000Z', BERLIN],
  ])('%s', (_name, instant, label, from, to, zone = SHANGHAI) => {
    const quarter = quarterOf(new Date(instant), zone);
    expect({ label: quarter.label, from: quarter.from.toISOString(), to: quarter.to.toISOString() }).toEqual({ label, from, to });
    expect(`${quarter.year}-Q${quarter.quarter}`).toBe(label);
  });
});

describe('parseQuarter', () => {
  it.each<[string, string, string, string?]>([
    ['2026-Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2027-Q1', '2026-12-31T16:00:00.000Z', '2027-03-31T16:00:00.000Z'],
    ['2026-Q2', '2026-03-31T22:00:00.000Z', '2026-06-30T22:00:00.000Z', BERLIN],
  ])('%s starts at %s and ends (exclusive) at %s', (label, from, to, zone = SHANGHAI) => {
    const quarter = parseQuarter(label, zone);
    expect({ from: quarter.from.toISOString(), to: quarter.to.toISOString(), label: quarter.label }).toEqual({ from, to, label });
    expect(quarterOf(quarter.from, zone).label).toBe(label);
    expect(quarterOf(new Date(quarter.to.getTime() - 1), zone).label).toBe(label);
  });

  it.each(['2026-Q5', '2026-Q0', '2026Q4', '26-Q1', '2026-q4', ' 2026-Q4', '2026-Q4 ', ''])('rejects the label "%s"', (bad) => {
    expect(() => parseQuarter(bad, SHANGHAI)).toThrow(`Invalid quarter "${bad}": expected YYYY-Qn`);
  });

  it('rejects an unknown zone', () => {
    expect(() => parseQuarter('2026-Q4', 'Asia/Shangai')).toThrow(/Unknown time zone/);
  });
});

describe('isoWeekOf / parseIsoWeek: Monday 00:00 local to the next Monday', () => {
  it.each<[string, string, string, string, string, string?]>([
    ['Thursday 2026-11-26 is in 2026-W48', '2026-11-26T07:00:00.000Z', '2026-W48', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z'],
    ['Monday 00:00 local (Sunday 16:00 UTC) starts the week', '2026-11-22T16:00:00.000Z', '2026-W48', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z'],
    ['Sunday 23:59:59.999 local ends the week before', '2026-11-22T15:59:59.999Z', '2026-W47', '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['31 December 2026 is in 2026-W53', '2026-12-31T04:00:00.000Z', '2026-W53', '2026-12-27T16:00:00.000Z', '2027-01-03T16:00:00.000Z'],
    ['Sunday 3 January 2027 is still in 2026-W53', '2027-01-03T04:00:00.000Z', '2026-W53', '2026-12-27T16:00:00.000Z', '2027-01-03T16:00:00.000Z'],
    ['Monday 4 January 2027 starts 2027-W01', '2027-01-04T04:00:00.000Z', '2027-W01', '2027-01-03T16:00:00.000Z', '2027-01-10T16:00:00.000Z'],
    ['Friday 1 January 2021 belongs to 2020-W53', '2021-01-01T04:00:00.000Z', '2020-W53', '2020-12-27T16:00:00.000Z', '2021-01-03T16:00:00.000Z'],
    ['Berlin: the week of the spring switch is 167 hours long', '2026-03-29T12:00:00.000Z', '2026-W13', '2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z', BERLIN],
    ['Berlin: the week of the autumn switch is 169 hours long', '2026-10-25T12:00:00.000Z', '2026-W43', '2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z', BERLIN],
  ])('%s', (_name, instant, label, from, to, zone = SHANGHAI) => {
    const week = isoWeekOf(new Date(instant), zone);
    expect({ label: week.label, from: week.from.toISOString(), to: week.to.toISOString() }).toEqual({ label, from, to });
    const parsed = parseIsoWeek(label, zone);
    expect({ label: parsed.label, from: parsed.from.toISOString(), to: parsed.to.toISOString() }).toEqual({ label, from, to });
  });

  it.each(['2025-W53', '2026-W00', '2026-W54', '2026-W7', '2026W48', '2026-w48', ''])('rejects the week "%s"', (bad) => {
    expect(() => parseIsoWeek(bad, SHANGHAI)).toThrow(`Invalid ISO week "${bad}"`);
  });
});
