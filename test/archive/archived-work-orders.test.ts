import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkOrderEvent } from '../../src/workorders/work-order-event.schema';
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

  it('refuses only that reopen when it shares a batch with other events', async () => {
    const before = (await app.api('GET', `/api/visits/${visitId}`)).body;
    const completed = (id: string) => workOrderEvent('completed', { id, completedAt: '2026-10-09T16:05:00Z' }, { occurredAt: '2026-10-09T16:05:00Z' });
    const reopen = workOrderEvent('reopened', { id: 'WO-Q3' }, { eventId: 'evt-reopen-q3-batched', occurredAt: '2026-10-09T16:00:00Z' });
    // Handed over in one tick: the first runs alone, the other four share one transaction.
    const events = [completed('WO-Q4-1'), completed('WO-Q4-2'), reopen, completed('WO-Q4-3'), completed('WO-Q4-4')];
    const settled = await Promise.allSettled(events.map((e) => app.server.ingest.ingest(readWorkOrderEvent(app.clock)(e), e)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.status : (s.reason as { code: string }).code))).toEqual([
      'accepted',
      'accepted',
      'quarter_archived',
      'accepted',
      'accepted',
    ]);
    expect((await app.api('GET', `/api/visits/${visitId}`)).body).toEqual(before);
    const stored = await app.db.query(`SELECT subjectId FROM inbound_events WHERE subjectId LIKE 'WO-Q%' ORDER BY id`);
    expect(stored.map((r: { subjectId: string }) => r.subjectId)).toEqual(['WO-Q3', 'WO-Q4-1', 'WO-Q4-2', 'WO-Q4-3', 'WO-Q4-4']);
    expect(Number((await app.db.query(`SELECT COUNT(*) AS n FROM visits WHERE workOrderId LIKE 'WO-Q4-%'`))[0].n)).toBe(4);
  });

  it('refuses a late record of a locked visit with 409', async () => {
    const res = await app.api('POST', `/api/visits/${visitId}/record`, { staffId: 'sp1', method: 'phone', answers: { quality: 5, effect: 5, satisfaction: 5 } });
    expect([res.status, res.body.error.code]).toEqual([409, 'quarter_archived']);
  });
});
