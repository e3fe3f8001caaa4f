import { describe, expect, it } from 'vitest';
import { Resident } from '../../entities';
import { addWorkingTime, capWindows, DEFAULT_CUSTOMER_CAP, DEFAULT_WORKING_HOURS, fullWindow } from '../../src/rules';
import { fallbackRoute, routeOf } from '../../src/visits/resident-route';

const SHANGHAI = 'Asia/Shanghai';

function resident(ids: Partial<Resident>): Resident {
  return Object.assign(new Resident(), { officeId: 'o', id: 'r', wecomUserId: null, wecomExternalUserId: null, dingtalkUserId: null, wechatOpenId: null, learntOpenId: null, ...ids });
}

describe('the route to a resident, in order: card → sidebar/mass-send → Official Account → phone (docs/rules.md §3)', () => {
  const all = { wecomUserId: 'zhangsan', wecomExternalUserId: 'wmX', wechatOpenId: 'oX' };
  it.each<[string, Partial<Resident>, { sidebar?: boolean; officialAccount?: boolean }, string]>([
    ['a directory member gets cards, whatever else is known', all, { sidebar: true, officialAccount: true }, 'card'],
    ['a WeChat customer gets a mass-send task', { wecomExternalUserId: 'wmX', wechatOpenId: 'oX' }, { officialAccount: true }, 'external'],
    ['a WeChat customer of an office whose visitors use the sidebar', { wecomExternalUserId: 'wmX' }, { sidebar: true }, 'sidebar'],
    ['a follower of the Official Account', { wechatOpenId: 'oX' }, { officialAccount: true }, 'official_account'],
    ['a follower learnt on the survey page', { learntOpenId: 'oY' }, { officialAccount: true }, 'official_account'],
    ['a follower, the office without a template', { wechatOpenId: 'oX' }, {}, 'none'],
    ['nobody reachable in chat: the phone', {}, { sidebar: true, officialAccount: true }, 'none'],
  ])('%s', (_what, ids, options, route) => {
    expect(routeOf(resident(ids), 'wecom', options)).toBe(route);
  });

  it('on DingTalk only members get cards; a WeChat customer id means nothing there', () => {
    expect(routeOf(resident({ dingtalkUserId: 'd1' }), 'dingtalk')).toBe('card');
    expect(routeOf(resident({ wecomExternalUserId: 'wmX' }), 'dingtalk')).toBe('none');
  });

  it('falls back from a failed WeChat customer route to the Official Account, else the phone', () => {
    expect(fallbackRoute(resident({ wecomExternalUserId: 'wmX', wechatOpenId: 'oX' }), { officialAccount: true })).toBe('official_account');
    expect(fallbackRoute(resident({ wecomExternalUserId: 'wmX' }), { officialAccount: true })).toBe('none');
    expect(fallbackRoute(null, { officialAccount: true })).toBe('none');
  });
});

describe('addWorkingTime counts only the office\'s working hours', () => {
  it.each<[string, string, number, string]>([
    ['within one day', '2026-11-26T09:10:00+08:00', 4, '2026-11-26T13:10:00+08:00'],
    ['over the evening close to the next morning', '2026-11-26T20:00:00+08:00', 4, '2026-11-27T11:00:00+08:00'],
    ['from the night, starting at opening', '2026-11-26T23:30:00+08:00', 1, '2026-11-27T09:00:00+08:00'],
    ['ending exactly at closing', '2026-11-26T17:00:00+08:00', 4, '2026-11-26T21:00:00+08:00'],
  ])('%s', (_what, from, hours, expected) => {
    expect(addWorkingTime(new Date(from), hours, SHANGHAI, DEFAULT_WORKING_HOURS).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('skips days that are not working days (Mon–Fri 09:00–18:00: Friday 17:00 + 2 h is Monday 10:00)', () => {
    const weekdays = { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] };
    expect(addWorkingTime(new Date('2026-11-27T17:00:00+08:00'), 2, SHANGHAI, weekdays).toISOString()).toBe(new Date('2026-11-30T10:00:00+08:00').toISOString());
  });
});

describe('the customer\'s cap periods', () => {
  it('defaults to as many a month as the month has days, in the office\'s calendar', () => {
    const [month] = capWindows(new Date('2026-11-30T17:00:00Z'), SHANGHAI, DEFAULT_CUSTOMER_CAP); // 1 December 01:00 local
    expect(month).toMatchObject({ period: 'month', max: 31, from: new Date('2026-11-30T16:00:00Z') });
  });

  it('adds a week and a day period when the office sets them, and finds the first full one', () => {
    const windows = capWindows(new Date('2026-11-26T04:00:00Z'), SHANGHAI, { perMonth: null, perWeek: 7, perDay: 1 });
    expect(windows.map((w) => [w.period, w.max])).toEqual([['month', 30], ['week', 7], ['day', 1]]);
    expect(fullWindow(windows, [3, 3, 1])?.period).toBe('day');
    expect(fullWindow(windows, [3, 7, 0])?.period).toBe('week');
    expect(fullWindow(windows, [29, 6, 0])).toBeNull();
  });
});
