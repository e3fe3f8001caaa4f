import { describe, expect, it } from 'vitest';
import { reminderInstants, visitWindows, type ReminderOptions } from '../../src/rules';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

function isoReminders(window: { opensAt: Date; closesAt: Date }, zone: string, opts?: ReminderOptions) {
  return reminderInstants(window, zone, opts).map((r) => `${r.slot} ${r.at.toISOString()}`);
}

function windowOf(opensAt: string, closesAt: string) {
  return { opensAt: new Date(opensAt), closesAt: new Date(closesAt) };
}

describe('reminderInstants: opened, halfway, 09:00 on the last day, out of staff quiet hours (docs/rules.md §4)', () => {
  it.each<[string, { opensAt: Date; closesAt: Date }, string[], string?, ReminderOptions?]>([
    [
      'a complaint completed 2026-11-26 15:00: at once, halfway (07:29 local, deferred to 08:00), 09:00 on 29 November',
      windowOf('2026-11-26T15:00:00+08:00', '2026-11-29T23:59:59.999+08:00'),
      ['opened 2026-11-26T07:00:00.000Z', 'halfway 2026-11-28T00:00:00.000Z', 'last_day 2026-11-29T01:00:00.000Z'],
    ],
    [
      'a repair works window opening at 00:00 on 2026-04-10 is announced at 09:00; halfway is mid-window; 09:00 on 10 May',
      windowOf('2026-04-10T00:00:00+08:00', '2026-05-10T23:59:59.999+08:00'),
      ['opened 2026-04-10T01:00:00.000Z', 'halfway 2026-04-25T03:59:59.999Z', 'last_day 2026-05-10T01:00:00.000Z'],
    ],
    [
      'a window opening at 22:30 (quiet hours, not midnight) is announced at 08:00 next morning',
      windowOf('2026-11-26T22:30:00+08:00', '2026-12-03T23:59:59.999+08:00'),
      ['opened 2026-11-27T00:00:00.000Z', 'halfway 2026-11-30T03:14:59.999Z', 'last_day 2026-12-03T01:00:00.000Z'],
    ],
    [
      'a one-day window opening at 00:00: opened and last_day both at 09:00, both kept, in slot order',
      windowOf('2026-04-10T00:00:00+08:00', '2026-04-10T23:59:59.999+08:00'),
      ['opened 2026-04-10T01:00:00.000Z', 'last_day 2026-04-10T01:00:00.000Z', 'halfway 2026-04-10T03:59:59.999Z'],
    ],
    [
      'an evening window drops the halfway reminder deferred past its close and the last-day one before its opening',
      windowOf('2026-11-26T20:00:00+08:00', '2026-11-26T23:59:59.999+08:00'),
      ['opened 2026-11-26T12:00:00.000Z'],
    ],
    [
      'Berlin, a window across the spring switch: halfway is 23 h 30 min of 47 h in, 12:30 local (not 12:00)',
      windowOf('2026-03-28T12:00:00+01:00', '2026-03-30T12:00:00+02:00'),
      ['opened 2026-03-28T11:00:00.000Z', 'halfway 2026-03-29T10:30:00.000Z', 'last_day 2026-03-30T07:00:00.000Z'],
      BERLIN,
    ],
    [
      'Berlin, a window across the autumn switch: halfway is 24 h 30 min of 49 h in, 11:30 local (not 12:00)',
      windowOf('2026-10-24T12:00:00+02:00', '2026-10-26T12:00:00+01:00'),
      ['opened 2026-10-24T10:00:00.000Z', 'halfway 2026-10-25T10:30:00.000Z', 'last_day 2026-10-26T08:00:00.000Z'],
      BERLIN,
    ],
    [
      'Berlin, a window ending on the spring DST day: the last-day reminder is 09:00 +02:00',
      windowOf('2026-03-26T10:00:00+01:00', '2026-03-29T23:59:59.999+02:00'),
      // Halfway 2026-03-28 04:29:59.999 local is in quiet hours: 08:00 +01:00.
      ['opened 2026-03-26T09:00:00.000Z', 'halfway 2026-03-28T07:00:00.000Z', 'last_day 2026-03-29T07:00:00.000Z'],
      BERLIN,
    ],
    [
      'Berlin, custom options: quiet 22:00–07:00, midnight announced at 10:00, last day at 08:30',
      windowOf('2026-04-10T00:00:00+02:00', '2026-05-10T23:59:59.999+02:00'),
      ['opened 2026-04-10T08:00:00.000Z', 'halfway 2026-04-25T09:59:59.999Z', 'last_day 2026-05-10T06:30:00.000Z'],
      BERLIN,
      { quiet: { start: '22:00', end: '07:00' }, announceMidnightAt: '10:00', lastDayAt: '08:30' },
    ],
    [
      'a last-day time inside quiet hours (07:00) is moved to 08:00',
      windowOf('2026-04-10T00:00:00+08:00', '2026-05-10T23:59:59.999+08:00'),
      ['opened 2026-04-10T01:00:00.000Z', 'halfway 2026-04-25T03:59:59.999Z', 'last_day 2026-05-10T00:00:00.000Z'],
      SHANGHAI,
      { lastDayAt: '07:00' },
    ],
  ])('%s', (_name, window, expected, zone = SHANGHAI, opts) => {
    expect(isoReminders(window, zone, opts)).toEqual(expected);
  });

  it('Berlin, a repair works window opening at 00:00 on the autumn DST day is announced at 09:00 +01:00', () => {
    const [window] = visitWindows({ kind: 'repair_works', completedAt: new Date('2026-09-25T10:00:00+02:00') }, BERLIN);
    expect(isoReminders(window!, BERLIN)[0]).toBe('opened 2026-10-25T08:00:00.000Z');
  });

  it('gives every window of every kind reminders inside the window, outside quiet hours, in order', () => {
    const completedAt = new Date('2026-01-31T21:30:00+08:00');
    const contract = { startAt: new Date('2026-01-01T00:00:00+08:00'), endAt: new Date('2026-04-01T00:00:00+08:00') };
    for (const kind of ['complaint', 'repair', 'repair_works', 'special_service', 'help', 'emergency', 'activity', 'other'] as const) {
      for (const window of visitWindows({ kind, completedAt, contract }, SHANGHAI)) {
        const reminders = reminderInstants(window, SHANGHAI);
        expect(reminders.length).toBeGreaterThan(0);
        for (const { at } of reminders) {
          expect(at.getTime()).toBeGreaterThanOrEqual(window.opensAt.getTime());
          expect(at.getTime()).toBeLessThanOrEqual(window.closesAt.getTime());
          const localHour = Number(at.toLocaleString('en-GB', { timeZone: SHANGHAI, hour: '2-digit', hour12: false }));
          expect(localHour >= 8 && localHour < 21).toBe(true);
        }
        const times = reminders.map((r) => r.at.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
    }
  });

  it('rejects a window that closes before it opens', () => {
    expect(() => reminderInstants(windowOf('2026-04-10T00:00:00Z', '2026-04-09T00:00:00Z'), SHANGHAI)).toThrow(/closesAt is before opensAt/);
  });

  it('rejects a malformed time option', () => {
    expect(() => reminderInstants(windowOf('2026-04-10T00:00:00Z', '2026-04-19T00:00:00Z'), SHANGHAI, { lastDayAt: '9am' })).toThrow(
      /Invalid time of day "9am"/,
    );
  });
});
