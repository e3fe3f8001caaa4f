import { describe, expect, it } from 'vitest';
import { TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';

describe('POST /webhooks/work-orders — the envelope', () => {
  let app: TestApp;
  useAppWithOffice1({}, (started) => (app = started));

  const count = async (table: string): Promise<number> => Number((await app.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('accepts a signed completion with 202 and the planned visits', async () => {
    const res = await app.sendEvent(workOrderEvent('completed'));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('accepted');
    expect(res.body.visits).toHaveLength(1);
  });

  it('refuses a wrong signature with 401 and stores nothing', async () => {
    const res = await app.sendEvent(workOrderEvent('completed'), { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('bad_signature');
    expect(await count('inbound_events')).toBe(0);
  });

  it('refuses a timestamp more than 300 s old (or ahead) with 401', async () => {
    const now = Math.floor(app.clock.now().getTime() / 1000);
    expect((await app.sendEvent(workOrderEvent('completed'), { timestamp: now - 301 })).status).toBe(401);
    expect((await app.sendEvent(workOrderEvent('completed'), { timestamp: now + 301 })).status).toBe(401);
    expect((await app.sendEvent(workOrderEvent('completed'), { timestamp: now - 299 })).status).toBe(202);
  });

  it('refuses a body that is not JSON by its type with 415, and JSON that does not parse with 400', async () => {
    const res = await app.sendEvent(null, { raw: 'eventId=1&type=x', contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    const garbled = await app.sendEvent(null, { raw: '{"eventId": ' });
    expect([garbled.status, garbled.body.error.code]).toEqual([400, 'invalid_json']);
    expect(await count('inbound_events')).toBe(0);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const event = workOrderEvent('completed', { title: 'x'.repeat(1024 * 1024) });
    const res = await app.sendEvent(event);
    expect(res.status).toBe(413);
    expect(await count('inbound_events')).toBe(0);
  });

  it('names every bad field in one 400 and changes nothing', async () => {
    const event = workOrderEvent('completed', { kind: 'gardening', officeId: '', completedAt: 'yesterday' });
    (event as Record<string, unknown>).occurredAt = 'soon';
    delete (event as Record<string, unknown>).eventId;
    const res = await app.sendEvent(event);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_event');
    const fields = res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['eventId', 'occurredAt', 'workOrder.completedAt', 'workOrder.kind', 'workOrder.officeId']);
    expect(res.body.error.message).toContain('workOrder.kind');
    expect(await count('inbound_events')).toBe(0);
  });

  it('requires severity and department for complaints', async () => {
    const res = await app.sendEvent(workOrderEvent('completed', { severity: null, department: null }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['workOrder.department', 'workOrder.severity']);
  });

  it('answers 422 unknown_office and stores nothing for an office it does not know', async () => {
    const res = await app.sendEvent(workOrderEvent('completed', { officeId: 'office-404' }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_office');
    expect([await count('inbound_events'), await count('work_orders'), await count('visits'), await count('residents')]).toEqual([0, 0, 0, 0]);
  });

  it('answers a repeated eventId with 200 duplicate and changes nothing', async () => {
    const event = workOrderEvent('completed');
    expect((await app.sendEvent(event)).status).toBe(202);
    const again = await app.sendEvent({ ...event, workOrder: { ...event.workOrder, title: '改过的标题' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'duplicate' });
    const [order] = await app.db.query(`SELECT title FROM work_orders`);
    expect(order.title).toBe('电梯异响');
    expect(await count('visits')).toBe(1);
  });

  it('stores 50 concurrent copies of one event once: one work order, one set of visits', async () => {
    const event = workOrderEvent('completed');
    const answers = await Promise.all(Array.from({ length: 50 }, () => app.sendEvent(event)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    expect([await count('inbound_events'), await count('work_orders'), await count('visits'), await count('visit_assignees')]).toEqual([1, 1, 1, 2]);
  });

  it('does not let a stale update roll a work order back', async () => {
    await app.sendEvent(workOrderEvent('completed', { title: '新标题' }, { occurredAt: '2026-11-26T07:00:00Z' }));
    const older = await app.sendEvent(workOrderEvent('updated', { title: '旧标题' }, { occurredAt: '2026-11-26T06:00:00Z' }));
    expect(older.status).toBe(200);
    expect(older.body.status).toBe('stale');
    const [order] = await app.db.query(`SELECT title, state FROM work_orders`);
    expect(order).toEqual({ title: '新标题', state: 'completed' });
    const [logged] = await app.db.query(`SELECT outcome FROM inbound_events WHERE type = 'work_order.updated'`);
    expect(logged.outcome).toBe('stale');
  });
});
