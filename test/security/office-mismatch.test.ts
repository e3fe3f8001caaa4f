import { describe, expect, it } from 'vitest';
import { OFFICE_1, TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';

/** A work order belongs to one office for good: another office's event about it changes nothing. */
describe('POST /webhooks/work-orders — a work order of another office', () => {
  let app: TestApp;
  useAppWithOffice1({}, (started) => (app = started));

  /** What another office's event could change: the work order's office and state, its visits, the idempotency log. */
  const snapshot = async () => ({
    orders: await app.db.query(`SELECT id, officeId, state, title, lastEventId FROM work_orders ORDER BY id`),
    visits: await app.db.query(`SELECT id, officeId, status FROM visits ORDER BY id`),
    events: Number((await app.db.query(`SELECT COUNT(*) AS n FROM inbound_events`))[0].n),
    messages: Number((await app.db.query(`SELECT COUNT(*) AS n FROM outbound_messages`))[0].n),
  });

  it.each(['updated', 'cancelled', 'completed', 'reopened'] as const)('refuses a %s event from office-2 with 409 office_mismatch and changes nothing', async (type) => {
    expect((await app.api('PUT', '/api/offices/office-2', { ...OFFICE_1, name: '二号物业服务中心' })).status).toBe(201);
    expect((await app.sendEvent(workOrderEvent('completed'))).status).toBe(202);
    const before = await snapshot();
    expect(before.visits).toHaveLength(1);
    expect(before.orders[0].officeId).toBe('office-1');

    const res = await app.sendEvent(workOrderEvent(type, { officeId: 'office-2', title: '别的办公室' }, { occurredAt: '2026-11-26T08:00:00Z' }));

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('office_mismatch');
    expect(res.body.error.message).toContain('workOrder.officeId');
    expect(await snapshot()).toEqual(before);
  });
});
