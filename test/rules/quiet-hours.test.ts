import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESIDENT_QUIET,
  DEFAULT_STAFF_QUIET,
  deferPastQuietHours,
  residentAskInstant,
  residentReaskInstant,
  type QuietHours,
} from '../../src/rules';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

describe('quiet hours default to 21:00–08:00 local for staff (§4) and residents (§3)', () => {
  it('has the same defaults for both', () => {
    expect(DEFAULT_STAFF_QUIET).toEqual({ start: '21:00', end: '08:00' });
    expect(DEFAULT_RESIDENT_QUIET).toEqual({ start: '21:00', end: '08:00' });
  });
});

describe('deferPastQuietHours', () => {
  it.each<[string, string, string, QuietHours?, string?]>([
    ['20:59:59.999 is before quiet hours', '2026-11-26T20:59:59.999+08:00', '2026-11-26T12:59:59.999Z'],
    ['21:00 starts quiet hours: goes at 08:00 next morning', '2026-11-26T21:00:00+08:00', '2026-11-27T00:00:00.000Z'],
    ['23:59:59 goes at 08:00 next morning', '2026-11-26T23:59:59+08:00', '2026-11-27T00:00:00.000Z'],
    ['00:00 goes at 08:00 the same morning', '2026-11-27T00:00:00+08:00', '2026-11-27T00:00:00.000Z'],
    ['07:59:59.999 goes at 08:00', '2026-11-27T07:59:59.999+08:00', '2026-11-27T00:00:00.000Z'],
    ['08:00 ends quiet hours: goes at once', '2026-11-27T08:00:00+08:00', '2026-11-27T00:00:00.000Z'],
    ['noon goes at once', '2026-11-27T12:00:00+08:00', '2026-11-27T04:00:00.000Z'],
    ['22:00 on New Year\'s Eve goes at 08:00 on 1 January', '2026-12-31T22:00:00+08:00', '2027-01-01T00:00:00.000Z'],
    ['custom daytime quiet hours 12:00–14:00: 11:59 goes at once', '2026-11-27T11:59:00+08:00', '2026-11-27T03:59:00.000Z', { start: '12:00', end: '14:00' }],
    ['custom daytime quiet hours 12:00–14:00: 12:00 goes at 14:00', '2026-11-27T12:00:00+08:00', '2026-11-27T06:00:00.000Z', { start: '12:00', end: '14:00' }],
    ['custom daytime quiet hours 12:00–14:00: 14:00 goes at once', '2026-11-27T14:00:00+08:00', '2026-11-27T06:00:00.000Z', { start: '12:00', end: '14:00' }],
    ['custom 22:30–07:15: 22:29 goes at once', '2026-11-26T22:29:00+08:00', '2026-11-26T14:29:00.000Z', { start: '22:30', end: '07:15' }],
    ['custom 22:30–07:15: 22:30 goes at 07:15', '2026-11-26T22:30:00+08:00', '2026-11-26T23:15:00.000Z', { start: '22:30', end: '07:15' }],
    ['start equal to end means no quiet hours', '2026-11-26T23:00:00+08:00', '2026-11-26T15:00:00.000Z', { start: '08:00', end: '08:00' }],
    ['Berlin, evening before the spring switch: 08:00 next morning is at +02:00', '2026-03-28T21:30:00+01:00', '2026-03-29T06:00:00.000Z', undefined, BERLIN],
    ['Berlin, just after the spring switch: 03:30 +02:00 goes at 08:00 +02:00', '2026-03-29T03:30:00+02:00', '2026-03-29T06:00:00.000Z', undefined, BERLIN],
    ['Berlin, evening before the autumn switch: 08:00 next morning is at +01:00', '2026-10-24T23:00:00+02:00', '2026-10-25T07:00:00.000Z', undefined, BERLIN],
    ['Berlin, the repeated 02:30 +01:00 goes at 08:00 +01:00', '2026-10-25T02:30:00+01:00', '2026-10-25T07:00:00.000Z', undefined, BERLIN],
  ])('%s', (_name, at, expected, quiet = DEFAULT_STAFF_QUIET, zone = SHANGHAI) => {
    const deferred = deferPastQuietHours(new Date(at), zone, quiet);
    expect(deferred.toISOString()).toBe(expected);
    // Deferring again changes nothing: the result is outside quiet hours.
    expect(deferPastQuietHours(deferred, zone, quiet).toISOString()).toBe(expected);
  });

  it.each(['8:00', '24:00', '21:60', '2100', ''])('rejects the malformed time of day "%s"', (bad) => {
    expect(() => deferPastQuietHours(new Date('2026-11-26T12:00:00Z'), SHANGHAI, { start: bad, end: '08:00' })).toThrow(
      /Invalid time of day/,
    );
  });
});

describe('residentAskInstant: the card goes when the window opens, outside resident quiet hours (§3, §4)', () => {
  it.each<[string, string, string, QuietHours?]>([
    ['a window opening at 15:00 is sent at once', '2026-11-26T15:00:00+08:00', '2026-11-26T07:00:00.000Z'],
    ['a window opening at 00:00 is sent at 08:00 (the end of quiet hours, not the staff 09:00)', '2026-04-10T00:00:00+08:00', '2026-04-10T00:00:00.000Z'],
    ['a window opening at 21:30 is sent at 08:00 next morning', '2026-11-26T21:30:00+08:00', '2026-11-27T00:00:00.000Z'],
    ['custom resident quiet hours 20:00–09:00 are respected', '2026-11-26T20:30:00+08:00', '2026-11-27T01:00:00.000Z', { start: '20:00', end: '09:00' }],
  ])('%s', (_name, opensAt, expected, quiet) => {
    expect(residentAskInstant(new Date(opensAt), SHANGHAI, quiet).toISOString()).toBe(expected);
  });
});

describe('residentReaskInstant: one reminder, by default 24 h after the card (§3)', () => {
  it.each<[string, string, string, { afterHours?: number; quiet?: QuietHours }?, string?]>([
    ['a card sent at 15:00 is re-asked at 15:00 next day', '2026-11-26T15:00:00+08:00', '2026-11-27T07:00:00.000Z'],
    ['a card sent at 08:00 is re-asked at 08:00 next day', '2026-04-10T08:00:00+08:00', '2026-04-11T00:00:00.000Z'],
    ['after 12 h, a reminder due at midnight waits until 08:00', '2026-11-26T12:00:00+08:00', '2026-11-27T00:00:00.000Z', { afterHours: 12 }],
    ['after 1 h, a reminder due at 21:10 waits until 08:00', '2026-11-26T20:10:00+08:00', '2026-11-27T00:00:00.000Z', { afterHours: 1 }],
    ['custom quiet hours 22:00–07:00 let a 21:30 reminder out', '2026-11-26T21:30:00+08:00', '2026-11-27T13:30:00.000Z', { quiet: { start: '22:00', end: '07:00' } }],
    [
      'in Berlin 24 elapsed hours across the spring switch land at 21:30 local, inside quiet hours: 08:00 next day',
      '2026-03-28T20:30:00+01:00',
      '2026-03-30T06:00:00.000Z',
      undefined,
      BERLIN,
    ],
  ])('%s', (_name, askedAt, expected, opts, zone = SHANGHAI) => {
    expect(residentReaskInstant(new Date(askedAt), zone, opts).toISOString()).toBe(expected);
  });

  it('rejects a negative delay', () => {
    expect(() => residentReaskInstant(new Date('2026-11-26T07:00:00Z'), SHANGHAI, { afterHours: -1 })).toThrow(RangeError);
  });
});
