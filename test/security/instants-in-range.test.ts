import { describe, expect, it } from 'vitest';
import { TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';

/** The app's clock is at 2026-11-26T02:00:00Z. */
const OUT_OF_RANGE = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '9999-12-31T23:59:59Z', '2026-02-31T07:00:00Z', '2026-11-27T02:00:01Z'];

describe('instants out of range are refused with a 400 naming the field', () => {
  let app: TestApp;
  useAppWithOffice1({}, (started) => (app = started));

  const stored = async () => {
    const counts = [];
    for (const table of ['inbound_events', 'work_orders', 'visits', 'residents']) counts.push(Number((await app.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n));
    return counts;
  };
  const fields = (body: any): string[] => body.error.details.fields.map((f: { field: string }) => f.field);

  it.each(OUT_OF_RANGE)('refuses occurredAt and completedAt %s and stores nothing', async (at) => {
    const res = await app.sendEvent(workOrderEvent('completed', { completedAt: at }, { occurredAt: at }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_event');
    expect(fields(res.body).sort()).toEqual(['occurredAt', 'workOrder.completedAt']);
    expect(await stored()).toEqual([0, 0, 0, 0]);
  });

  it('accepts the edges: 2000-01-01 and a day after now', async () => {
    expect((await app.sendEvent(workOrderEvent('created', { id: 'WO-EDGE-1' }, { occurredAt: '2000-01-01T00:00:00Z' }))).status).toBe(202);
    expect((await app.sendEvent(workOrderEvent('created', { id: 'WO-EDGE-2' }, { occurredAt: '2026-11-27T02:00:00Z' }))).status).toBe(202);
  });

  it('refuses a contract date before 2000 or more than ten years ahead, and accepts a contract running into next year', async () => {
    const special = (contract: object) => workOrderEvent('created', { kind: 'special_service', severity: null, department: null, contract });
    const before = await app.sendEvent(special({ startAt: '0001-01-01T00:00:00Z', endAt: '2026-12-31T00:00:00Z' }));
    expect([before.status, fields(before.body)]).toEqual([400, ['workOrder.contract.startAt']]);
    const far = await app.sendEvent(special({ startAt: '2026-11-01T00:00:00Z', endAt: '9999-12-31T23:59:59Z' }));
    expect([far.status, fields(far.body)]).toEqual([400, ['workOrder.contract.endAt']]);
    expect(await stored()).toEqual([0, 0, 0, 0]);
    expect((await app.sendEvent(special({ startAt: '2026-11-01T00:00:00Z', endAt: '2027-10-31T00:00:00Z' }))).status).toBe(202);
  });

  it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-31T00:00:00Z', 'yesterday'])('refuses GET /api/visits?from=%s', async (at) => {
    for (const name of ['from', 'to']) {
      const res = await app.api('GET', `/api/visits?officeId=office-1&${name}=${encodeURIComponent(at)}`);
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual([name]);
    }
  });

  it.each(['0000-W01', '0001-W10', '1999-W52', '9999-W52', '2025-W53', '2037-W10', '2026-W5', '2026-W00'])('refuses the weekly report of week %s', async (week) => {
    const res = await app.api('GET', `/api/reports/weekly?officeId=office-1&week=${week}`);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['week']);
  });

  it.each(['0000-Q1', '0001-Q3', '1999-Q4', '9999-Q4', '2037-Q1', '2026-Q5', '2026-Q0', '26-Q1'])('refuses quarter %s on the statistics, their review and decision, and the archive', async (quarter) => {
    const answers = [
      await app.api('GET', `/api/stats/quarterly?officeId=office-1&quarter=${quarter}`),
      await app.api('GET', `/api/stats/quarterly?officeId=office-1&quarter=${quarter}`, undefined, { accept: 'text/csv' }),
      await app.api('GET', `/api/stats/quarterly.xlsx?officeId=office-1&quarter=${quarter}`),
      await app.api('POST', '/api/stats/quarterly/review', { officeId: 'office-1', quarter, reviewerId: 'sup1', opinion: '同意' }),
      await app.api('POST', '/api/stats/quarterly/decision', { officeId: 'office-1', quarter, managerId: 'mgr1', decision: 'no_action' }),
      await app.api('GET', `/api/archives/office-1/${quarter}.xlsx`),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['quarter']);
    }
    expect(Number((await app.db.query('SELECT COUNT(*) AS n FROM quarterly_reviews'))[0].n)).toBe(0);
  });

  it('still answers the weeks and quarters from 2000 to ten years ahead', async () => {
    expect((await app.api('GET', '/api/reports/weekly?officeId=office-1&week=2027-W10')).status).toBe(200);
    expect((await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2027-Q1')).status).toBe(200);
    expect((await app.api('GET', '/api/reports/weekly?officeId=office-1&week=2026-W48')).status).toBe(200);
    expect((await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4')).status).toBe(200);
    expect((await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2000-Q1')).status).toBe(200);
  });
});
