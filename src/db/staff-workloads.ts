import { EntityManager } from 'typeorm';
import { StaffWorkload } from '../../entities';
import { isMysqlSource } from './data-source';
import { entityRead, parameterList } from './select-entities';
import { mergeInKeyOrder } from './counter-changes';
import { runTogether, Statement } from './statements';

/** A change to one staff member's open-visit count. */
export interface WorkloadChange {
  officeId: string;
  staffId: string;
  delta: number;
}

/**
 * Adds to staff members' open-visit counts (a negative delta takes away), in one statement,
 * creating the row of someone counted for the first time. Rows are written in key order, so
 * two transactions lock them in the same order.
 */
export async function adjustOpenVisits(manager: EntityManager, changes: WorkloadChange[]): Promise<void> {
  await runTogether(manager, [workloadStatement(manager, changes)]);
}

/** The statement `adjustOpenVisits` sends, to send with others; null when nothing changes. */
export function workloadStatement(manager: EntityManager, changes: readonly WorkloadChange[]): Statement | null {
  const rows = mergeInKeyOrder(
    changes,
    (c) => `${c.officeId}\u0000${c.staffId}`,
    (a, b) => ({ ...a, delta: a.delta + b.delta }),
    (c) => c.delta === 0,
  );
  if (rows.length === 0) return null;
  const values = rows.map(() => '(?, ?, ?)').join(', ');
  const add = isMysqlSource(manager.connection)
    ? 'ON DUPLICATE KEY UPDATE openVisits = openVisits + VALUES(openVisits)'
    : 'ON CONFLICT (officeId, staffId) DO UPDATE SET openVisits = openVisits + excluded.openVisits';
  return { sql: `INSERT INTO staff_workloads (officeId, staffId, openVisits) VALUES ${values} ${add}`, params: rows.flatMap((c) => [c.officeId, c.staffId, c.delta]) };
}

/** Open visits per staff member, for each of the offices. */
export async function openVisitsByStaff(manager: EntityManager, officeIds: string[]): Promise<Map<string, Map<string, number>>> {
  if (officeIds.length === 0) return new Map();
  const read = openVisitsRead(manager, officeIds);
  return read.countsOf(await manager.query(read.statement.sql, read.statement.params));
}

/** The read of `openVisitsByStaff` for one or more offices, to send with others (src/db/statements.ts). */
export function openVisitsRead(manager: EntityManager, officeIds: string[]): { statement: Statement; countsOf(rows: unknown): Map<string, Map<string, number>> } {
  const read = entityRead(manager, StaffWorkload, { where: `officeId IN ${parameterList(officeIds)}`, params: officeIds });
  return {
    statement: read.statement,
    countsOf(rows) {
      const counts = new Map<string, Map<string, number>>();
      for (const row of read.entitiesOf(rows)) {
        const office = counts.get(row.officeId) ?? new Map<string, number>();
        office.set(row.staffId, row.openVisits);
        counts.set(row.officeId, office);
      }
      return counts;
    },
  };
}
