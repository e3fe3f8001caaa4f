import { Between, EntityManager, MoreThanOrEqual, Not } from 'typeorm';
import { SamplingQuota, Visit, WorkOrder } from '../../entities';
import { isMysqlSource } from './data-source';
import { writeLock } from './transaction';
import { mergeInKeyOrder } from './counter-changes';
import { runTogether, Statement } from './statements';

/** One office, kind and quarter: the unit the sampling quota counts in. */
export interface QuotaKey {
  officeId: string;
  kind: string;
  quarter: string;
}

/**
 * The quota row of `key`, locked for the rest of the transaction (so two completions cannot
 * both take its last place), created first when missing. A new row starts from the quarter's
 * work orders already decided (there are some when the kind was at 100 % until its target was
 * lowered).
 */
export async function lockQuota(manager: EntityManager, key: QuotaKey): Promise<SamplingQuota> {
  // Why one statement: an insert that fails on the existing row would leave a shared lock that
  // deadlocks against the next transaction's FOR UPDATE.
  const seed =
    'SELECT ?, ?, ?, COUNT(*), COALESCE(SUM(CASE WHEN sampling = \'selected\' THEN 1 ELSE 0 END), 0) FROM work_orders ' +
    'WHERE officeId = ? AND kind = ? AND quarter = ? AND sampling IS NOT NULL';
  await manager.query(
    isMysqlSource(manager.connection)
      ? `INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) ${seed} ON DUPLICATE KEY UPDATE eligible = eligible`
      : `INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) ${seed} ON CONFLICT DO NOTHING`,
    [key.officeId, key.kind, key.quarter, key.officeId, key.kind, key.quarter],
  );
  return manager.findOneOrFail(SamplingQuota, { where: key, ...writeLock(manager) });
}

export async function setQuota(manager: EntityManager, key: QuotaKey, counts: { eligible: number; selected: number }): Promise<void> {
  await manager.update(SamplingQuota, key, counts);
}

/**
 * Gives back a work order's place in a quota: it was reopened, and its new completion is
 * sampled again as if new (docs/rules.md §2). Never below zero.
 */
export async function releaseQuotaPlace(manager: EntityManager, key: QuotaKey, wasSelected: boolean): Promise<void> {
  const quota = await manager.findOne(SamplingQuota, { where: key, ...writeLock(manager) });
  if (!quota) return;
  await setQuota(manager, key, { eligible: Math.max(0, quota.eligible - 1), selected: Math.max(0, quota.selected - (wasSelected ? 1 : 0)) });
}

/** Decisions to add to a quota row (negative: taken back). */
export interface QuotaChange extends QuotaKey {
  eligible: number;
  selected: number;
}

/**
 * Adds decisions to the quota rows in one statement, creating rows counted for the first time:
 * the decisions of a 100 % kind, which take no place in a quota and are only counted (the
 * statistics read every kind's decisions here). Rows are written in key order.
 */
export async function countDecisions(manager: EntityManager, changes: readonly QuotaChange[]): Promise<void> {
  await runTogether(manager, [decisionStatement(manager, changes)]);
}

/** The statement `countDecisions` sends, to send with others; null when nothing changes. */
export function decisionStatement(manager: EntityManager, changes: readonly QuotaChange[]): Statement | null {
  const rows = mergeInKeyOrder(
    changes,
    (c) => [c.officeId, c.kind, c.quarter].join('\u0000'),
    (a, b) => ({ ...a, eligible: a.eligible + b.eligible, selected: a.selected + b.selected }),
    (c) => c.eligible === 0 && c.selected === 0,
  );
  if (rows.length === 0) return null;
  const add = isMysqlSource(manager.connection)
    ? 'ON DUPLICATE KEY UPDATE eligible = eligible + VALUES(eligible), selected = selected + VALUES(selected)'
    : 'ON CONFLICT (officeId, kind, quarter) DO UPDATE SET eligible = eligible + excluded.eligible, selected = selected + excluded.selected';
  return {
    sql: `INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')} ${add}`,
    params: rows.flatMap((c) => [c.officeId, c.kind, c.quarter, c.eligible, c.selected]),
  };
}

/** The decisions of an office's quarter per kind, as the quota rows count them. */
export async function decisionsOf(manager: EntityManager, officeId: string, quarter: string): Promise<SamplingQuota[]> {
  return manager.find(SamplingQuota, { where: { officeId, quarter } });
}

/**
 * Counts the quota rows again from the work orders' decisions: for a migration, and for work
 * orders written straight into the table (imports, test fixtures). In the caller's transaction.
 */
export async function recountQuotas(manager: EntityManager): Promise<void> {
  await manager.query('DELETE FROM sampling_quotas');
  await manager.query(
    `INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected)
     SELECT officeId, kind, quarter, COUNT(*), SUM(CASE WHEN sampling = 'selected' THEN 1 ELSE 0 END)
       FROM work_orders WHERE sampling IS NOT NULL AND quarter IS NOT NULL GROUP BY officeId, kind, quarter`,
  );
}

/** Whether the unit had a visit judged unqualified (and recorded) since `since`. */
export async function unqualifiedOnUnitSince(manager: EntityManager, officeId: string, unitId: string, since: Date): Promise<boolean> {
  return (await manager.count(Visit, { where: { officeId, unitId, verdict: 'unqualified', recordedAt: MoreThanOrEqual(since) } })) > 0;
}

/** Repairs of the same matter on the unit completed in [from, to), this work order excepted. */
export async function repairsOfMatterCompleted(manager: EntityManager, order: Pick<WorkOrder, 'id' | 'officeId' | 'kind' | 'unitId' | 'matterKey'>, from: Date, to: Date): Promise<number> {
  if (!order.unitId || !order.matterKey) return 0;
  return manager.count(WorkOrder, {
    where: {
      officeId: order.officeId,
      kind: order.kind,
      unitId: order.unitId,
      matterKey: order.matterKey,
      id: Not(order.id),
      // Between is inclusive; an instant exactly at `to` belongs to the next quarter.
      completedAt: Between(from, new Date(to.getTime() - 1)),
      completions: MoreThanOrEqual(1),
    },
  });
}
