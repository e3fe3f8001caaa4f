import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { sqlInstant as instantOf } from '../../reports/sql-values';
import { quarterOf } from '../../rules/quarter';
import { visitWindows } from '../../rules/visit-window';
import type { WorkOrderKind } from '../../rules/kinds';
import { col, sqlInstantParam } from './table-kit';

/** Rows read and rewritten per statement while moving data. */
const PAGE = 2_000;

/**
 * The visit lifecycle of the rules' second edition (docs/rules.md §2–§4):
 * - new visit columns: who completes it (`residentCompletes`), an incomplete joint team, the
 *   hand-back of a silent resident, the resident's own feedback on a staff visit, the
 *   escalation deadline and its round, the resident's "solved now?" answer, and how it closed;
 * - existing data moved to the new rules without losing a row:
 *   - `repair` work orders and visits become `repair_works`: they were planned with the month
 *     windows that only repair works have now (a household `repair` runs 7 days);
 *   - a visit counts in the quarter its window closes in, and a work order in the quarter of
 *     its counted visit's window (or of the window it would have had, when not sampled); the
 *     sampling quotas are counted again from the work orders;
 *   - complaints, special services and emergencies are visited by staff, not completed by the
 *     resident's taps;
 *   - an `unassigned` visit that has some visitors is a planned visit with an incomplete team;
 *   - closed and escalated visits get their closing and escalation facts from what they hold.
 * Quarters already archived (locked) are left exactly as they were: their files and figures
 * must not change.
 */
export class VisitLifecycle1765000000000 implements MigrationInterface {
  name = 'VisitLifecycle1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('visits', [
      new TableColumn(col.bool('residentCompletes', { default: true })),
      new TableColumn(col.bool('teamIncomplete', { default: false })),
      new TableColumn(col.instant('handedBackAt')),
      new TableColumn(col.json('residentFeedback')),
      new TableColumn(col.instant('escalatedAt')),
      new TableColumn(col.instant('handleBy')),
      new TableColumn(col.int('escalationRound', { default: 0 })),
      new TableColumn(col.instant('escalationRemindedAt')),
      new TableColumn(col.instant('escalationOverdueAt')),
      new TableColumn(col.instant('resolutionAskedAt')),
      new TableColumn(col.instant('resolvedAt')),
      new TableColumn(col.instant('closedAt')),
      new TableColumn(col.text('closedAs', 16, true)),
    ]);

    await q.query(`UPDATE visits SET residentCompletes = 0 WHERE kind IN ('complaint', 'special_service', 'emergency')`);
    await q.query(`UPDATE visits SET closedAs = 'handled', closedAt = handledAt WHERE status = 'closed' AND handledAt IS NOT NULL`);
    await q.query(`UPDATE visits SET closedAs = 'passed', closedAt = reviewedAt WHERE status = 'closed' AND handledAt IS NULL AND reviewedAt IS NOT NULL`);

    const now = new Date();
    const escalated: Array<{ id: number; reviewedAt: unknown }> = await q.query(`SELECT id, reviewedAt FROM visits WHERE status = 'escalated'`);
    for (const row of escalated) {
      const at = instantOf(row.reviewedAt) ?? now;
      await q.query('UPDATE visits SET escalatedAt = ?, handleBy = ?, escalationRound = 1 WHERE id = ?', [
        sqlInstantParam(q, at),
        sqlInstantParam(q, new Date(at.getTime() + 24 * 3_600_000)),
        row.id,
      ]);
    }

    // A joint visit planned without the department head kept its specialist: it is a visit to
    // make, with its team marked incomplete, not one nobody can be reminded of.
    const partlyStaffed: Array<{ id: number; opensAt: unknown; closesAt: unknown }> = await q.query(
      `SELECT v.id, v.opensAt, v.closesAt FROM visits v WHERE v.status = 'unassigned' AND EXISTS (SELECT 1 FROM visit_assignees a WHERE a.visitId = v.id)`,
    );
    for (const row of partlyStaffed) {
      const opens = instantOf(row.opensAt)!;
      const closes = instantOf(row.closesAt)!;
      const status = closes < now ? 'overdue' : opens <= now ? 'due' : 'planned';
      await q.query('UPDATE visits SET status = ?, teamIncomplete = 1 WHERE id = ?', [status, row.id]);
    }

    await moveToNewQuarters(q);
  }

  async down(q: QueryRunner): Promise<void> {
    // The data moves (kinds, quarters) are not undone: the old rules counted them wrongly.
    for (const name of [
      'closedAs',
      'closedAt',
      'resolvedAt',
      'resolutionAskedAt',
      'escalationOverdueAt',
      'escalationRemindedAt',
      'escalationRound',
      'handleBy',
      'escalatedAt',
      'residentFeedback',
      'handedBackAt',
      'teamIncomplete',
      'residentCompletes',
    ]) {
      await q.dropColumn('visits', name);
    }
  }
}

async function moveToNewQuarters(q: QueryRunner): Promise<void> {
  const offices: Array<{ id: string; timeZone: string | null }> = await q.query('SELECT id, timeZone FROM offices');
  const zoneOf = new Map(offices.map((o) => [o.id, o.timeZone || 'Asia/Shanghai']));
  const archived = new Set(
    ((await q.query('SELECT officeId, quarter FROM quarter_archives')) as Array<{ officeId: string; quarter: string }>).map((a) => `${a.officeId}|${a.quarter}`),
  );
  const locked = (officeId: string, quarter: string | null) => quarter !== null && archived.has(`${officeId}|${quarter}`);
  const zone = (officeId: string) => zoneOf.get(officeId) ?? 'Asia/Shanghai';

  // Visits: the quarter of their own window's close.
  for (let after = 0; ; ) {
    const rows: Array<{ id: number; officeId: string; kind: string; quarter: string; closesAt: unknown }> = await q.query(
      `SELECT id, officeId, kind, quarter, closesAt FROM visits WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
      [after],
    );
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].id);
    const moves = new Map<string, number[]>();
    for (const v of rows) {
      if (locked(v.officeId, v.quarter)) continue;
      const quarter = quarterOf(instantOf(v.closesAt)!, zone(v.officeId)).label;
      const kind = v.kind === 'repair' ? 'repair_works' : v.kind;
      if (quarter === v.quarter && kind === v.kind) continue;
      const key = `${kind}|${quarter}`;
      moves.set(key, [...(moves.get(key) ?? []), Number(v.id)]);
    }
    for (const [key, ids] of moves) {
      const [kind, quarter] = key.split('|');
      await q.query(`UPDATE visits SET kind = ?, quarter = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [kind, quarter, ...ids]);
    }
  }

  // Work orders: the quarter of their counted visit's window, or of the window they would have had.
  for (let after = ''; ; ) {
    const rows: Array<{
      id: string;
      officeId: string;
      kind: string;
      quarter: string | null;
      completedAt: unknown;
      contractStartAt: unknown;
      contractEndAt: unknown;
      counted: unknown;
    }> = await q.query(
      `SELECT w.id, w.officeId, w.kind, w.quarter, w.completedAt, w.contractStartAt, w.contractEndAt,
              (SELECT MAX(v.closesAt) FROM visits v WHERE v.workOrderId = w.id AND v.generation = w.completions
                 AND v.purpose <> 'mid_contract' AND v.status <> 'cancelled') AS counted
       FROM work_orders w WHERE w.id > ? ORDER BY w.id LIMIT ${PAGE}`,
      [after],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    for (const w of rows) {
      if (locked(w.officeId, w.quarter)) continue;
      const kind = w.kind === 'repair' ? 'repair_works' : w.kind;
      const closes = instantOf(w.counted) ?? windowClose(kind as WorkOrderKind, w, zone(w.officeId));
      const quarter = closes ? quarterOf(closes, zone(w.officeId)).label : w.quarter;
      if (quarter === w.quarter && kind === w.kind) continue;
      await q.query('UPDATE work_orders SET kind = ?, quarter = ? WHERE id = ?', [kind, quarter, w.id]);
    }
  }

  // The quotas are what the work orders say, for every quarter not locked.
  const quotas: Array<{ officeId: string; quarter: string }> = await q.query('SELECT officeId, quarter FROM sampling_quotas');
  for (const quota of quotas) {
    if (!locked(quota.officeId, quota.quarter)) await q.query('DELETE FROM sampling_quotas WHERE officeId = ? AND quarter = ?', [quota.officeId, quota.quarter]);
  }
  const counts: Array<{ officeId: string; kind: string; quarter: string; eligible: unknown; selected: unknown }> = await q.query(
    `SELECT officeId, kind, quarter, COUNT(*) AS eligible, SUM(CASE WHEN sampling = 'selected' THEN 1 ELSE 0 END) AS selected
     FROM work_orders WHERE sampling IS NOT NULL AND quarter IS NOT NULL GROUP BY officeId, kind, quarter`,
  );
  for (const c of counts) {
    if (locked(c.officeId, c.quarter)) continue;
    await q.query('INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) VALUES (?, ?, ?, ?, ?)', [
      c.officeId,
      c.kind,
      c.quarter,
      Number(c.eligible),
      Number(c.selected),
    ]);
  }
}

/** The close of the window a work order's counted visit has (the last one), when it can have one. */
function windowClose(
  kind: WorkOrderKind,
  w: { completedAt: unknown; contractStartAt: unknown; contractEndAt: unknown },
  zone: string,
): Date | null {
  const startAt = instantOf(w.contractStartAt);
  const endAt = instantOf(w.contractEndAt);
  try {
    const windows = visitWindows(
      { kind, completedAt: instantOf(w.completedAt), contract: startAt && endAt && endAt > startAt ? { startAt, endAt } : null },
      zone,
    );
    return windows.length ? windows[windows.length - 1].closesAt : null;
  } catch {
    return null;
  }
}
