import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyAllTables } from '../support/database';
import { insertOffice } from './quarter-fixture';
import { ReportsApp, startReportsApp } from './reports-app';
import { seedWeek, WEEK } from './week-fixture';

/** Monday 30 November 2026, 09:30 in Shanghai: the week is over. */
const MONDAY_AFTER = '2026-11-30T01:30:00Z';

describe('the weekly summary as data', () => {
  let app: ReportsApp;
  let v: Record<string, number>;
  beforeAll(async () => {
    app = await startReportsApp({ now: MONDAY_AFTER });
  });
  afterAll(async () => app.close());
  beforeEach(async () => {
    app.clock.set(MONDAY_AFTER);
    await emptyAllTables(app.db);
    await insertOffice(app.db);
    v = await seedWeek(app.db);
  });

  const weekly = (week = WEEK) => app.api('GET', `/api/reports/weekly?officeId=office-1&week=${week}`);

  it("gives the week's totals, satisfaction and per-kind figures", async () => {
    const res = await weekly();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      officeId: 'office-1',
      week: WEEK,
      from: '2026-11-22T16:00:00.000Z',
      to: '2026-11-29T16:00:00.000Z',
      asOf: '2026-11-29T16:00:00.000Z',
      totals: { due: 4, done: 3, onTime: 2, overdue: 3, unqualified: 1 },
      satisfactionAvg: 3.67,
    });
    const kinds = Object.fromEntries(res.body.kinds.map((k: { kind: string }) => [k.kind, k]));
    expect(kinds.complaint).toEqual({ kind: 'complaint', due: 1, done: 1, onTime: 1, overdue: 0, unqualified: 1, target: 1, quarter: '2026-Q4', eligible: 2, quarterOnTime: 1, rate: 0.5 });
    expect(kinds.repair).toEqual({ kind: 'repair', due: 2, done: 1, onTime: 0, overdue: 2, unqualified: 0, target: 0.8, quarter: '2026-Q4', eligible: 1, quarterOnTime: 0, rate: 0 });
    expect(kinds.help).toEqual({ kind: 'help', due: 1, done: 1, onTime: 1, overdue: 1, unqualified: 0, target: 0.8, quarter: '2026-Q4', eligible: 3, quarterOnTime: 2, rate: 0.6667 });
    expect(kinds.activity).toMatchObject({ due: 0, done: 0, eligible: 0, rate: null });
  });

  it('names the unqualified, overdue and unconfirmed visits by title and unit', async () => {
    const res = await weekly();
    const named = (items: { visitId: number; title: string; unitId: string }[]) => items.map((i) => [i.visitId, i.title, i.unitId]);
    expect(named(res.body.unqualified)).toEqual([[v.A, '电梯异响', 'B3-1202']]);
    expect(named(res.body.overdue)).toEqual([
      [v.B, '水管漏水', 'A1-101'],
      [v.D, '灯具维修', 'A3-303'],
      [v.H, '代收快递', 'A7-707'],
    ]);
    expect(named(res.body.awaitingConfirmation)).toEqual([
      [v.F, '搬运求助', 'A5-505'],
      [v.A, '电梯异响', 'B3-1202'],
    ]);
    expect(res.body.unqualified[0].assignees).toEqual([
      { staffId: 'eng1', name: '孙工' },
      { staffId: 'sp1', name: '赵专员' },
    ]);
  });

  it("gives each staff member's figures", async () => {
    const res = await weekly();
    expect(res.body.staff).toEqual([
      { staffId: 'eng1', name: '孙工', assigned: 1, done: 1, onTime: 1, overdue: 0, satisfactionAvg: 2 },
      { staffId: 'sp1', name: '赵专员', assigned: 2, done: 2, onTime: 2, overdue: 1, satisfactionAvg: 3.5 },
      { staffId: 'sp2', name: '钱专员', assigned: 2, done: 1, onTime: 0, overdue: 2, satisfactionAvg: 4 },
    ]);
  });

  it('never changes a past week: later records do not count', async () => {
    const before = await weekly();
    app.clock.set('2026-12-10T02:00:00Z');
    await app.db.query(`UPDATE visits SET recordedAt = ?, residentConfirmedAt = ? WHERE id = ?`, ['2026-12-01 02:00:00.000', '2026-12-01 02:00:00.000', v.B]);
    const after = await weekly();
    expect(after.body).toEqual(before.body);
  });

  it('counts the running week up to now', async () => {
    app.clock.set('2026-11-25T02:00:00Z'); // Wednesday 10:00
    const res = await weekly();
    expect(res.body.asOf).toBe('2026-11-25T02:00:00.000Z');
    // A was recorded on Monday; B's and D's windows have not closed yet.
    expect(res.body.totals).toEqual({ due: 4, done: 1, onTime: 1, overdue: 0, unqualified: 1 });
  });

  it('refuses a week that does not exist, naming the field', async () => {
    const res = await weekly('2026-W54');
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['week']);
  });
});
