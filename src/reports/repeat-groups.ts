import { EntityManager } from 'typeorm';
import { Office, WorkOrder } from '../../entities';
import type { RepeatGroup } from './quarterly-stats';
import { repeatComplaintRuns } from './repeat-complaints';
import { sqlInstant } from './sql-values';

/*
 * The repeat complaints and repeat repairs of an office's quarter (docs/rules.md §5), read from
 * the matter history index (`idx_work_orders_matter_history`) for the quarterly statistics.
 */

/** docs/rules.md §5: complaints within 90 days of each other are "in a row" (office policy overrides). */
export const DEFAULT_REPEAT_COMPLAINT_DAYS = 90;

/** docs/rules.md §5: three or more repairs of one matter on one unit in a quarter. */
const REPEAT_REPAIR_MIN = 3;

/** A quarter: its first instant and the next quarter's first. */
export interface Period {
  from: Date;
  to: Date;
}

/**
 * Complaints count from their receipt, cancelled ones excepted (docs/rules.md §5). Only units and
 * matters with two or more complaints received before the quarter's end, the latest in the
 * quarter, can make a run: they are found first in one pass over the complaint history index.
 */
export async function repeatComplaintsOf(db: EntityManager, office: Office, period: Period, zone: string): Promise<RepeatGroup[]> {
  const counted = `#.kind = 'complaint' AND #.state <> 'cancelled' AND #.receivedAt < :to`;
  const rows = await sameMatterOrders(db, { officeId: office.id, ...period }, counted, 'COUNT(*) >= 2 AND MAX(#.receivedAt) >= :from', '#.receivedAt AS at');
  const days = office.policy?.repeatComplaintDays ?? DEFAULT_REPEAT_COMPLAINT_DAYS;
  return repeatComplaintRuns(
    rows.map((r) => ({ id: r.id, unitId: r.unitId, matterKey: r.matterKey, receivedAt: sqlInstant(r.at)! })),
    period,
    days,
    zone,
  );
}

/** Repairs go by the quarter they were completed in (docs/rules.md §2), not their visit's. */
export async function repeatRepairsOf(db: EntityManager, officeId: string, period: Period): Promise<RepeatGroup[]> {
  const counted = `#.kind = 'repair' AND #.completedAt >= :from AND #.completedAt < :to`;
  const rows = await sameMatterOrders(db, { officeId, ...period }, counted, `COUNT(*) >= ${REPEAT_REPAIR_MIN}`, '#.completedAt AS at');
  const groups = new Map<string, { unitId: string; matterKey: string; orders: { id: string; at: number }[] }>();
  for (const r of rows) {
    const key = JSON.stringify([r.unitId, r.matterKey]);
    const group = groups.get(key) ?? { unitId: r.unitId, matterKey: r.matterKey, orders: [] };
    group.orders.push({ id: r.id, at: sqlInstant(r.at)?.getTime() ?? 0 });
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => compare(a.unitId, b.unitId) || compare(a.matterKey, b.matterKey))
    .map((g) => {
      const ids = g.orders.sort((a, b) => a.at - b.at || compare(a.id, b.id)).map((o) => o.id);
      return { unitId: g.unitId, matterKey: g.matterKey, count: ids.length, workOrderIds: ids };
    });
}

/**
 * The office's work orders of the units and matters whose orders passing `counted` pass
 * `having` together (`#` stands for the table). The groups come from one pass over the matter
 * history index in its own order; their orders are then read by unit from the same index — a
 * join of every order to the groups took longer than both.
 */
async function sameMatterOrders(
  db: EntityManager,
  params: { officeId: string; from: Date; to: Date },
  counted: string,
  having: string,
  at: string,
): Promise<Array<{ id: string; unitId: string; matterKey: string; at: unknown }>> {
  const orders = (alias: string) =>
    db
      .createQueryBuilder(WorkOrder, alias)
      .useIndex('idx_work_orders_matter_history')
      .where(`${alias}.officeId = :officeId AND ${counted.replace(/#/g, alias)} AND ${alias}.unitId IS NOT NULL AND ${alias}.matterKey IS NOT NULL`)
      .setParameters(params);
  const groups = await orders('g')
    .select(['g.unitId AS unitId', 'g.matterKey AS matterKey'])
    .groupBy('g.unitId')
    .addGroupBy('g.matterKey')
    .having(having.replace(/#/g, 'g'))
    .getRawMany<{ unitId: string; matterKey: string }>();
  const wanted = new Set(groups.map((g) => JSON.stringify([g.unitId, g.matterKey])));
  const units = [...new Set(groups.map((g) => g.unitId))];
  const slices = Array.from({ length: Math.ceil(units.length / UNITS_PER_QUERY) }, (_, i) => units.slice(i * UNITS_PER_QUERY, (i + 1) * UNITS_PER_QUERY));
  const rows = await Promise.all(
    slices.map((some) =>
      orders('w')
        .select(['w.id AS id', 'w.unitId AS unitId', 'w.matterKey AS matterKey', at.replace(/#/g, 'w')])
        .andWhere('w.unitId IN (:...some)', { some })
        .getRawMany<{ id: string; unitId: string; matterKey: string; at: unknown }>(),
    ),
  );
  return rows.flat().filter((r) => wanted.has(JSON.stringify([r.unitId, r.matterKey])));
}

/** Units named in one statement when reading the orders of repeat groups. */
const UNITS_PER_QUERY = 1_000;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
