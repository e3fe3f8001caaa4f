import { describe, expect, it } from 'vitest';
import { HOUSEHOLD_REPAIR, TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';

/*
 * What the quarterly statistics count, through HTTP only (webhook, admin API, GET
 * /api/stats/quarterly), on the database DB_URL names: repeat complaints from receipt (B5 of
 * the lifecycle issue), repeat repairs by the quarter of completion, and each work order's
 * follow-up counted once in done / on time.
 */

const GOOD = { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'] };
const COMPLAINT = { kind: 'complaint', severity: 'general', department: 'engineering', unitId: 'U-5', matterKey: 'water-leak' };

describe('what the quarterly statistics count', () => {
  let app: TestApp;
  useAppWithOffice1({ now: '2026-08-01T02:00:00Z' }, (started) => (app = started));

  /** Sends an event at its own instant (the clock follows it, as the work-order system would). */
  const send = async (type: Parameters<typeof workOrderEvent>[0], patch: Record<string, unknown>, at: string) => {
    app.clock.set(at);
    const res = await app.sendEvent(workOrderEvent(type, { completedAt: type === 'completed' ? at : null, ...patch }, { occurredAt: at }));
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return (res.body.visits ?? []) as { id: number; assignees: string[] }[];
  };
  const record = async (visit: { id: number; assignees: string[] }, at: string) => {
    app.clock.set(at);
    const res = await app.api('POST', `/api/visits/${visit.id}/record`, { staffId: visit.assignees[0], method: 'phone', answers: GOOD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const stats = async (quarter: string) => {
    app.clock.set('2027-04-05T02:00:00Z');
    const res = await app.api('GET', `/api/stats/quarterly?officeId=office-1&quarter=${quarter}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const kind = (body: { kinds: { kind: string }[] }, name: string) => body.kinds.find((k) => k.kind === name);

  it('B5: one completed and two open complaints on the same unit and matter are a repeat of three; a cancelled one does not count', async () => {
    await send('created', { ...COMPLAINT, id: 'C-1' }, '2026-10-05T02:00:00Z');
    await send('completed', { ...COMPLAINT, id: 'C-1' }, '2026-10-08T02:00:00Z');
    await send('created', { ...COMPLAINT, id: 'C-2' }, '2026-11-10T02:00:00Z');
    await send('created', { ...COMPLAINT, id: 'C-3' }, '2026-12-01T02:00:00Z');
    await send('created', { ...COMPLAINT, id: 'C-4' }, '2026-12-05T02:00:00Z');
    await send('cancelled', { ...COMPLAINT, id: 'C-4' }, '2026-12-06T02:00:00Z');

    const body = await stats('2026-Q4');
    expect(body.repeatComplaints).toEqual([{ unitId: 'U-5', matterKey: 'water-leak', count: 3, workOrderIds: ['C-1', 'C-2', 'C-3'] }]);
  });

  it('counts a complaint from its earliest event, also when that event arrives after a later one', async () => {
    await send('created', { ...COMPLAINT, id: 'C-1' }, '2026-08-20T02:00:00Z');
    // C-2's update (95 days after C-1: too late for a run) comes before its creation (87 days).
    await send('updated', { ...COMPLAINT, id: 'C-2' }, '2026-11-23T02:00:00Z');
    const late = await app.sendEvent(workOrderEvent('created', { ...COMPLAINT, id: 'C-2', completedAt: null }, { occurredAt: '2026-11-15T02:00:00Z' }));
    expect(late.body.status).toBe('stale');

    const body = await stats('2026-Q4');
    expect(body.repeatComplaints).toEqual([{ unitId: 'U-5', matterKey: 'water-leak', count: 2, workOrderIds: ['C-1', 'C-2'] }]);
  });

  it('takes repeat repairs by the quarter they were completed in, not the quarter their visits count in', async () => {
    const repair = { ...HOUSEHOLD_REPAIR, unitId: 'U-9', matterKey: 'tap' };
    await send('completed', { ...repair, id: 'R-1' }, '2026-12-10T02:00:00Z');
    await send('completed', { ...repair, id: 'R-2' }, '2026-12-20T02:00:00Z');
    // Its 7-day window closes in January: its visit counts in 2027-Q1, the repair in Q4.
    await send('completed', { ...repair, id: 'R-3' }, '2026-12-28T02:00:00Z');

    const [q4, q1] = [await stats('2026-Q4'), await stats('2027-Q1')];
    expect(q4.repeatRepairs).toEqual([{ unitId: 'U-9', matterKey: 'tap', count: 3, workOrderIds: ['R-1', 'R-2', 'R-3'] }]);
    expect(q1.repeatRepairs).toEqual([]);
    expect(kind(q1, 'repair')).toMatchObject({ eligible: 1 });
  });

  it('counts a reopened and re-completed work order once, by its new visit', async () => {
    const help = { kind: 'help', severity: null, department: null, id: 'H-1', unitId: 'U-1', matterKey: 'lock' };
    const [first] = await send('completed', help, '2026-11-02T02:00:00Z');
    await record(first, '2026-11-03T02:00:00Z');
    await send('reopened', help, '2026-11-04T02:00:00Z');
    const [second] = await send('completed', help, '2026-11-20T02:00:00Z');
    await record(second, '2026-11-21T02:00:00Z');

    const body = await stats('2026-Q4');
    expect(kind(body, 'help')).toMatchObject({ eligible: 1, selected: 1, done: 1, onTime: 1, rate: 1, doneRate: 1 });
    // Both records are visits made: the staff figures and satisfaction count them both.
    expect(body.staff.reduce((n: number, s: { done: number }) => n + s.done, 0)).toBe(2);
  });

  it('does not count a special service’s mid-contract visit as its follow-up, only in satisfaction', async () => {
    const service = { kind: 'special_service', severity: null, department: null, id: 'S-1', unitId: 'U-2', matterKey: 'cleaning' };
    const contract = { startAt: '2026-09-01T00:00:00Z', endAt: '2026-12-01T00:00:00Z' };
    const [mid, after] = await send('created', { ...service, contract }, '2026-09-01T02:00:00Z');
    app.clock.set('2026-10-20T02:00:00Z'); // inside the mid-contract window (40–60 % of the contract)
    expect((await app.api('POST', '/api/jobs/reminders/run')).status).toBe(200);
    await record(mid, '2026-10-20T03:00:00Z');
    expect(kind(await stats('2026-Q4'), 'special_service')).toMatchObject({ eligible: 1, done: 0, onTime: 0, satisfactionAvg: 5 });

    app.clock.set('2026-12-02T02:00:00Z');
    expect((await app.api('POST', '/api/jobs/reminders/run')).status).toBe(200);
    await record(after, '2026-12-02T03:00:00Z');
    expect(kind(await stats('2026-Q4'), 'special_service')).toMatchObject({ eligible: 1, done: 1, onTime: 1, rate: 1 });
  });
});
