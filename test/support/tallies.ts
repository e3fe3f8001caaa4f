import { expect } from 'vitest';
import { DataSource } from 'typeorm';
import { allTallies, countTallies } from '../../src/db/visit-tallies';

const DECISIONS = `SELECT officeId, kind, quarter, COUNT(*) AS eligible, SUM(CASE WHEN sampling = 'selected' THEN 1 ELSE 0 END) AS selected
  FROM work_orders WHERE sampling IS NOT NULL AND quarter IS NOT NULL GROUP BY officeId, kind, quarter ORDER BY officeId, kind, quarter`;

const numbers = (rows: Array<Record<string, unknown>>) => rows.map((r) => ({ ...r, eligible: Number(r.eligible), selected: Number(r.selected) }));

/**
 * The kept visit tallies and sampling decisions (src/db/visit-tallies.ts, src/db/sampling-quotas.ts) match the visits and work orders, counted again: every test
 * app checks this when it closes, so every path that changes a visit in any test keeps them.
 * Read in one transaction: one snapshot of both.
 */
export async function expectTalliesKept(db: DataSource): Promise<void> {
  if (!db.isInitialized) return;
  const [kept, counted, quotas, decisions] = await db.transaction(async (manager) => [
    await allTallies(manager),
    await countTallies(manager),
    await manager.query(`SELECT officeId, kind, quarter, eligible, selected FROM sampling_quotas WHERE eligible <> 0 OR selected <> 0 ORDER BY officeId, kind, quarter`),
    await manager.query(DECISIONS),
  ]);
  expect(kept, 'visit_tallies differ from the visits counted again').toEqual(counted);
  expect(numbers(quotas), 'sampling_quotas differ from the work orders’ decisions counted again').toEqual(numbers(decisions));
}
