import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';

describe('work-order events against an archived quarter', () => {
  let app: TestApp;
  let visitId: number;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-09-10T02:10:05Z' });
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    const res = await app.sendEvent(workOrderEvent('completed', { id: 'WO-Q3', completedAt: '2026-09-10T02:10:00Z' }, { occurredAt: '2026-09-10T02:10:00Z' }));
    visitId = res.body.visits[0].id;
    // 10 October 2026, 00:10 in Shanghai: the window closed long ago, and 2026-Q3 is locked.
    app.clock.set('2026-10-09T16:10:00Z');
    await app.api('POST', '/api/jobs/overdue/run');
    const archive = await app.api('POST', '/api/jobs/archive/run');
    expect(archive.status).toBe(200);
  });
  afterAll(async () => app.close());

  it('refuses a reopen that would cancel a locked visit with 409, storing nothing', async () => {
    const before = (await app.api('GET', `/api/visits/${visitId}`)).body;
    expect(before.status).toBe('overdue');
    const res = await app.sendEvent(workOrderEvent('reopened', { id: 'WO-Q3' }, { eventId: 'evt-reopen-q3', occurredAt: '2026-10-09T16:00:00Z' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('quarter_archived');
    const after = (await app.api('GET', `/api/visits/${visitId}`)).body;
    expect(after).toEqual(before);
    const stored = await app.db.query(`SELECT COUNT(*) AS n FROM inbound_events WHERE eventId = 'evt-reopen-q3'`);
    expect(Number(stored[0].n)).toBe(0);
  });

  it('refuses a late record of a locked visit with 409', async () => {
    const res = await app.api('POST', `/api/visits/${visitId}/record`, { staffId: 'sp1', method: 'phone', answers: { quality: 5, effect: 5, satisfaction: 5 } });
    expect([res.status, res.body.error.code]).toEqual([409, 'quarter_archived']);
  });
});
