import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WORK_ORDER_KINDS } from '../../src/rules/kinds';
import { DEMO_OFFICE, DEMO_OFFICE_ID, DEMO_RESIDENTS, DEMO_TIME_ZONE } from '../../src/sandbox/demo-office';
import { demoWeek } from '../../src/sandbox/demo-week';
import { readWorkOrderEvent } from '../../src/workorders/work-order-event.schema';

const NOW = new Date('2026-11-26T07:10:05Z');

describe('the demo office and its week', () => {
  const week = demoWeek(NOW, DEMO_TIME_ZONE);

  it('has five staff in the roles the procedures name, all reachable in WeCom', () => {
    expect(DEMO_OFFICE.timeZone).toBe('Asia/Shanghai');
    expect(DEMO_OFFICE.staff.map((s) => s.roles[0]).sort()).toEqual(['dept_head', 'manager', 'specialist', 'specialist', 'supervisor']);
    expect(DEMO_OFFICE.staff.every((s) => s.wecomUserId)).toBe(true);
  });

  it('has twenty residents, each a WeCom directory member with a unit, and each in the week at least once', () => {
    expect(DEMO_RESIDENTS).toHaveLength(20);
    expect(new Set(DEMO_RESIDENTS.map((r) => r.wecomUserId)).size).toBe(20);
    expect(new Set(week.map((e) => e.workOrder.resident.id))).toEqual(new Set(DEMO_RESIDENTS.map((r) => r.id)));
  });

  it('has work orders of every kind, both complaint severities and special services with contracts', () => {
    expect(new Set(week.map((e) => e.workOrder.kind))).toEqual(new Set(WORK_ORDER_KINDS));
    const complaints = week.filter((e) => e.workOrder.kind === 'complaint');
    expect(new Set(complaints.map((e) => e.workOrder.severity))).toEqual(new Set(['major', 'general']));
    expect(complaints.every((e) => e.workOrder.department === 'engineering')).toBe(true);
    const special = week.filter((e) => e.workOrder.kind === 'special_service');
    expect(special.length).toBeGreaterThanOrEqual(2);
    expect(special.every((e) => e.workOrder.contract !== null)).toBe(true);
  });

  it('happens over the past week, oldest first, and every event passes the webhook schema', () => {
    const weekAgo = DateTime.fromJSDate(NOW, { zone: DEMO_TIME_ZONE }).startOf('day').minus({ days: 7 }).toJSDate();
    for (const event of week) {
      expect(() => readWorkOrderEvent({ now: () => NOW })(event), event.eventId).not.toThrow();
      expect(event.workOrder.officeId).toBe(DEMO_OFFICE_ID);
      expect(Date.parse(event.occurredAt)).toBeLessThanOrEqual(NOW.getTime());
      expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(weekAgo.getTime());
    }
    const times = week.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('names events by the office’s local day: the same week twice in a day, a new one the next day', () => {
    const later = demoWeek(new Date('2026-11-26T15:59:00Z'), DEMO_TIME_ZONE); // 23:59 in Shanghai
    expect(later.map((e) => e.eventId)).toEqual(week.map((e) => e.eventId));
    const nextDay = demoWeek(new Date('2026-11-26T16:01:00Z'), DEMO_TIME_ZONE); // 00:01 the 27th
    expect(nextDay[0].eventId).toMatch(/^demo-20261127-/);
    expect(new Set(week.map((e) => e.workOrder.id)).size).toBe(week.length);
  });
});
