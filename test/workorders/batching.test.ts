import { describe, expect, it } from 'vitest';
import { readWorkOrderEvent } from '../../src/workorders/work-order-event.schema';
import { IngestResult } from '../../src/workorders/work-order-ingest.service';
import { OFFICE_1, startTestApp, TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';
import { openDatabase } from '../../src/db/data-source';
import { dbKindUnderTest, testDbTarget } from '../support/database';

const COMPLETED = '2026-11-26T07:00:00Z';

/**
 * Events that arrive while a batch is in the database share the next one (one transaction).
 * Calls made in the same tick land in one batch for sure: the first runs alone, the rest wait
 * together. Each must be answered as if it had come alone.
 */
describe('work-order events applied together', () => {
  let app: TestApp;
  // Help at 100 %, so every completion plans a visit (sampling has its own tests).
  useAppWithOffice1({ now: '2026-11-26T07:00:05Z', office: { rateTargets: { help: 1 } } }, (started) => (app = started));

  const help = (id: string, eventId?: string) =>
    workOrderEvent('completed', { id, kind: 'help', severity: null, department: null, completedAt: COMPLETED }, { eventId });

  /** Hands events to the webhook's ingest in one tick; each settles on its own. */
  const together = (events: object[]) =>
    Promise.allSettled(events.map((event) => app.server.ingest.ingest(readWorkOrderEvent(app.clock)(event), event)));

  const openCountsKept = async () =>
    Object.fromEntries(
      (await app.db.query(`SELECT staffId, openVisits FROM staff_workloads WHERE openVisits <> 0 ORDER BY staffId`)).map(
        (r: { staffId: string; openVisits: number }) => [r.staffId, Number(r.openVisits)],
      ),
    );
  const openCountsCounted = async () =>
    Object.fromEntries(
      (
        await app.db.query(
          `SELECT a.staffId AS staffId, COUNT(*) AS n FROM visits v JOIN visit_assignees a ON a.visitId = v.id
           WHERE v.status IN ('planned', 'due', 'in_progress', 'overdue', 'unassigned') GROUP BY a.staffId ORDER BY a.staffId`,
        )
      ).map((r: { staffId: string; n: number }) => [r.staffId, Number(r.n)]),
    );

  it('answers each of 31 events with its own visit, as if it had come alone', async () => {
    const settled = await together(Array.from({ length: 31 }, (_, i) => help(`WO-B-${i}`)));
    const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason));
    expect(results.map((r: IngestResult) => (r.status === 'accepted' ? r.visits.length : r))).toEqual(Array(31).fill(1));
    const visits = results.map((r: Extract<IngestResult, { status: 'accepted' }>) => r.visits[0]);
    expect(new Set(visits.map((v) => v.id)).size).toBe(31);
    // Each answered id is the visit of that event's work order.
    for (const [i, visit] of visits.entries()) {
      const stored = await app.api('GET', `/api/visits/${visit.id}`);
      expect([stored.body.workOrderId, stored.body.assignees.map((a: { staffId: string }) => a.staffId)]).toEqual([`WO-B-${i}`, visit.assignees]);
    }
    // Fewest open visits, counted across the batch: the two specialists take turns.
    const bySpecialist = visits.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v.assignees[0]]: (acc[v.assignees[0]] ?? 0) + 1 }), {});
    expect(bySpecialist).toEqual({ sp1: 16, sp2: 15 });
    expect(await openCountsKept()).toEqual(await openCountsCounted());
  });

  it('refuses only the event at fault: unknown office, and a copy of an event in the same batch', async () => {
    const copied = help('WO-D', 'evt-copied');
    const stranger = workOrderEvent('completed', { id: 'WO-X', officeId: 'office-unknown', completedAt: COMPLETED });
    const settled = await together([help('WO-first'), help('WO-A'), copied, stranger, { ...copied }, help('WO-Z')]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.status : (s.reason as { code: string }).code))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'unknown_office',
      'duplicate',
      'accepted',
    ]);
    const stored = await app.db.query(`SELECT subjectId FROM inbound_events`);
    expect(stored.map((r: { subjectId: string }) => r.subjectId).sort()).toEqual(['WO-A', 'WO-D', 'WO-Z', 'WO-first']);
    expect(Number((await app.db.query(`SELECT COUNT(*) AS n FROM visits`))[0].n)).toBe(4);
  });

  it('applies events of one work order in the order they came, within a batch', async () => {
    const first = help('WO-first');
    const completed = workOrderEvent('completed', { id: 'WO-S', completedAt: COMPLETED }, { occurredAt: '2026-11-26T07:00:00Z' });
    const reopened = workOrderEvent('reopened', { id: 'WO-S' }, { occurredAt: '2026-11-26T07:00:01Z' });
    const older = workOrderEvent('updated', { id: 'WO-S', title: '旧标题' }, { occurredAt: '2026-11-26T06:00:00Z' });
    const again = workOrderEvent('completed', { id: 'WO-S', completedAt: '2026-11-26T07:00:02Z' }, { occurredAt: '2026-11-26T07:00:02Z' });
    const settled = await together([first, completed, reopened, older, again]);
    const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    expect(results.map((r) => r?.status)).toEqual(['accepted', 'accepted', 'accepted', 'stale', 'accepted']);
    const rows = await app.db.query(`SELECT status, cancelReason, generation FROM visits WHERE workOrderId = 'WO-S' ORDER BY id`);
    expect(rows.map((r: { status: string; cancelReason: string | null; generation: number }) => [r.status, r.cancelReason, Number(r.generation)])).toEqual([
      ['cancelled', 'reopened', 1],
      ['due', null, 2],
    ]);
    expect(await openCountsKept()).toEqual(await openCountsCounted());
  });

  it("keeps each staff member's open-visit count through planning, recording and cancelling", async () => {
    const planned = await together([help('WO-first'), help('WO-1'), help('WO-2'), help('WO-3'), workOrderEvent('completed', { id: 'WO-4', completedAt: COMPLETED })]);
    const visitIds = planned.map((s) => (s.status === 'fulfilled' && s.value.status === 'accepted' ? s.value.visits[0].id : 0));
    const record = await app.api('POST', `/api/visits/${visitIds[1]}/record`, {
      staffId: (await app.api('GET', `/api/visits/${visitIds[1]}`)).body.assignees[0].staffId,
      method: 'phone',
      answers: { quality: 5, effect: 5, satisfaction: 5 },
    });
    expect(record.status).toBe(200);
    await app.sendEvent(workOrderEvent('cancelled', { id: 'WO-4' }, { occurredAt: '2026-11-26T07:00:03Z' }));
    expect(await openCountsKept()).toEqual(await openCountsCounted());
    expect(Object.values(await openCountsKept()).reduce((a, b) => a + b, 0)).toBe(3);
  });

  // A cluster (Galera, or a server told to step its ids) numbers one insert's rows 1, 3, 5…:
  // the batch must notice and give each visit its own id, not first + i. (SQLite numbers in
  // sequence: the same answer, without the step.)
  it('gives each visit of a batch its own id, also where the server steps auto-increment ids', async () => {
    const onMysql = dbKindUnderTest() === 'mysql';
    const db = await openDatabase(testDbTarget(), { poolSize: 2 });
    if (onMysql) {
      const held = await Promise.all([db.createQueryRunner(), db.createQueryRunner()].map(async (runner) => (await runner.connect(), runner)));
      for (const runner of held) await runner.query('SET SESSION auto_increment_increment = 2');
      await Promise.all(held.map((runner) => runner.release()));
    }
    const stepped = await startTestApp({ now: '2026-11-26T07:00:05Z', db });
    try {
      expect((await stepped.api('PUT', '/api/offices/office-1', { ...OFFICE_1, rateTargets: { help: 1 } })).status).toBeLessThan(300);
      const settled = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => help(`WO-K-${i}`)).map((event) => stepped.server.ingest.ingest(readWorkOrderEvent(stepped.clock)(event), event)),
      );
      const ids = settled.map((s) => (s.status === 'fulfilled' && s.value.status === 'accepted' ? s.value.visits[0].id : null));
      const rows: Array<{ id: number; workOrderId: string }> = await db.query(`SELECT id, workOrderId FROM visits ORDER BY id`);
      expect(ids).toEqual(rows.map((r) => Number(r.id)));
      expect(rows.map((r) => r.workOrderId)).toEqual(Array.from({ length: 8 }, (_, i) => `WO-K-${i}`));
      // The first event ran alone; the other seven shared a batch.
      expect(Number(rows[2].id) - Number(rows[1].id)).toBe(onMysql ? 2 : 1);
    } finally {
      await stepped.close();
    }
  });
});
