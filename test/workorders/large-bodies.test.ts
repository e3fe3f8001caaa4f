import { describe, expect, it } from 'vitest';
import { PAYLOAD_KEPT_BYTES } from '../../src/workorders/work-order.routes';
import { TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';

/**
 * Bodies up to 1 MiB are accepted, and the idempotency log keeps each event's body. Fields
 * Huifang does not read (a work-order system's attachments) can make a body larger than a TEXT
 * column holds on MySQL (64 KiB): such an event must still be stored and planned.
 */
describe('work-order events with large bodies', () => {
  let app: TestApp;
  useAppWithOffice1({ now: '2026-11-26T07:00:05Z', office: { rateTargets: { help: 1 } } }, (started) => (app = started));

  const help = (id: string, attachments: string) => ({
    ...workOrderEvent('completed', { id, kind: 'help', severity: null, department: null, completedAt: '2026-11-26T07:00:00Z' }),
    attachments,
  });
  const stored = async () =>
    (await app.db.query(`SELECT subjectId, payload FROM inbound_events ORDER BY subjectId`)).map((r: { subjectId: string; payload: string }) => [
      r.subjectId,
      JSON.parse(r.payload),
    ]);

  it('keeps a body under 60 KiB as it came', async () => {
    const event = help('WO-M', '附'.repeat(15_000));
    expect((await app.sendEvent(event)).status).toBe(202);
    expect(await stored()).toEqual([['WO-M', event]]);
  });

  it('stores and plans 24 events of 900 KiB arriving together, keeping what it read of each', async () => {
    const events = Array.from({ length: 24 }, (_, i) => help(`WO-L-${String(i).padStart(2, '0')}`, 'x'.repeat(900 * 1024)));
    const answers = await Promise.all(events.map((event) => app.sendEvent(event)));
    expect(answers.map((a) => [a.status, a.body.visits?.length])).toEqual(Array(24).fill([202, 1]));
    const kept = await stored();
    expect(kept.map(([id]: [string]) => id)).toEqual(events.map((e) => e.workOrder.id));
    const [, first] = kept[0];
    expect(first.event.workOrder.id).toBe('WO-L-00');
    expect(first.event.eventId).toBe(events[0].eventId);
    expect(first.omitted.bodyBytes).toBe(Buffer.byteLength(JSON.stringify(events[0])));
    expect(first.omitted.bodyBytes).toBeGreaterThan(PAYLOAD_KEPT_BYTES);
    expect(Number((await app.db.query(`SELECT COUNT(*) AS n FROM visits`))[0].n)).toBe(24);
  }, 60_000);
});
