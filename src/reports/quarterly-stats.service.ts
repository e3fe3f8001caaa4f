import { DataSource, EntityManager, In } from 'typeorm';
import { Office, StaffMember, Visit, VisitAssignee, VisitStatus, WorkOrder } from '../../entities';
import { followUpRate } from '../rules/follow-up-rate';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';
import { parseQuarter } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { KindFigures, QuarterlyFigures, RepeatGroup, StaffFigures, UnqualifiedVisit } from './quarterly-stats';
import { repeatComplaintRuns } from './repeat-complaints';
import { mean, sqlInstant, sqlNumber } from './sql-values';
import { officeZone } from '../offices/office-zone';

/** docs/rules.md §5: complaints within 90 days of each other are "in a row" (office policy overrides). */
export const DEFAULT_REPEAT_COMPLAINT_DAYS = 90;

/** docs/rules.md §5: three or more repairs of one matter on one unit in a quarter. */
const REPEAT_REPAIR_MIN = 3;

/**
 * Compiles the quarterly statistics of an office (走访回访统计表, SOP 4.7, docs/api.md) with
 * five aggregate queries run side by side, each reading one office-quarter from a covering
 * index (`idx_visits_stats`, `idx_work_orders_stats`, `idx_work_orders_matter_history`, see
 * migration 1764400000000): 200,000 visits in one office-quarter take under 2 s on MariaDB
 * among 2,000,000 (bench/quarterly-stats.bench.ts).
 *
 * How things are counted:
 * - a quarter is the office's local quarter; work orders and their visits belong to the
 *   quarter of the work order's completion (`quarter` columns);
 * - eligible = work orders with a sampling decision (selected or not_sampled) — exactly what
 *   the sampling quota counted, so every rate can be audited against it;
 * - done / onTime count eligible *work orders* whose follow-up visit is recorded (on time):
 *   the mid-contract visit of a special service is an extra visit and does not count, and a
 *   work order visited in two generations (reopened) counts once — so done ≤ eligible;
 * - records made after `asOf` do not count, so an archive's figures are reproducible;
 * - satisfaction and staff figures count every recorded visit, mid-contract ones included.
 */
export class QuarterlyStatsService {
  constructor(private readonly deps: { dataSource: DataSource; defaultTimeZone: string }) {}

  /** The figures of `office` in `quarterLabel` as of `asOf`; inside `manager`'s transaction when given. */
  async compute(office: Office, quarterLabel: string, asOf: Date, manager?: EntityManager): Promise<QuarterlyFigures> {
    const db = manager ?? this.deps.dataSource.manager;
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const quarter = parseQuarter(quarterLabel, zone);
    const scope = { officeId: office.id, quarter: quarter.label, asOf, cancelled: VisitStatus.Cancelled };
    const [kinds, unqualified, repeatComplaints, repeatRepairs, staff] = await Promise.all([
      this.kinds(db, office, scope),
      this.unqualified(db, scope),
      this.repeatComplaints(db, office, { from: quarter.from, to: quarter.to }, zone),
      this.repeatRepairs(db, scope),
      this.staff(db, scope),
    ]);
    return {
      officeId: office.id,
      quarter: quarter.label,
      timeZone: zone,
      from: quarter.from.toISOString(),
      to: quarter.to.toISOString(),
      asOf: asOf.toISOString(),
      kinds,
      unqualified,
      repeatComplaints,
      repeatRepairs,
      staff,
    };
  }

  private async kinds(db: EntityManager, office: Office, scope: Scope): Promise<KindFigures[]> {
    // Index hints (MySQL/MariaDB only; SQLite picks its own): the planner otherwise takes a
    // narrower, non-covering index when one office holds most of its rows in one quarter.
    const orders = await db
      .createQueryBuilder(WorkOrder, 'w')
      .useIndex('idx_work_orders_stats')
      .select('w.kind', 'kind')
      .addSelect('COUNT(*)', 'eligible')
      .addSelect(`SUM(CASE WHEN w.sampling = 'selected' THEN 1 ELSE 0 END)`, 'selected')
      .where('w.officeId = :officeId AND w.quarter = :quarter AND w.sampling IS NOT NULL', scope)
      .groupBy('w.kind')
      .getRawMany<{ kind: string; eligible: unknown; selected: unknown }>();
    const visits = await db
      .createQueryBuilder(Visit, 'v')
      .useIndex('idx_visits_stats')
      .select('v.kind', 'kind')
      // Distinct work orders: a reopened order's two records count once; mid-contract visits
      // are extra visits of a special service, not its follow-up.
      .addSelect(`COUNT(DISTINCT CASE WHEN v.purpose <> 'mid_contract' AND v.recordedAt <= :asOf THEN v.workOrderId END)`, 'done')
      .addSelect(
        `COUNT(DISTINCT CASE WHEN v.purpose <> 'mid_contract' AND v.recordedAt <= :asOf AND v.late = 0 THEN v.workOrderId END)`,
        'onTime',
      )
      .addSelect('SUM(CASE WHEN v.recordedAt <= :asOf THEN v.satisfaction END)', 'satisfactionSum')
      .addSelect('COUNT(CASE WHEN v.recordedAt <= :asOf THEN v.satisfaction END)', 'satisfactionCount')
      .where('v.officeId = :officeId AND v.quarter = :quarter AND v.status <> :cancelled', scope)
      .groupBy('v.kind')
      .getRawMany<{ kind: string; done: unknown; onTime: unknown; satisfactionSum: unknown; satisfactionCount: unknown }>();

    const targets = (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>;
    return WORK_ORDER_KINDS.map((kind) => {
      const o = orders.find((r) => r.kind === kind);
      const v = visits.find((r) => r.kind === kind);
      const eligible = sqlNumber(o?.eligible);
      const done = sqlNumber(v?.done);
      const onTime = sqlNumber(v?.onTime);
      return {
        kind,
        target: rateTargetFor(kind, targets),
        eligible,
        selected: sqlNumber(o?.selected),
        done,
        onTime,
        ...rates(eligible, done, onTime),
        satisfactionAvg: mean(sqlNumber(v?.satisfactionSum), sqlNumber(v?.satisfactionCount)),
      };
    });
  }

  private async unqualified(db: EntityManager, scope: Scope): Promise<UnqualifiedVisit[]> {
    const rows = await db
      .createQueryBuilder(Visit, 'v')
      .useIndex('idx_visits_stats')
      .select(['v.id AS id', 'v.workOrderId AS workOrderId', 'v.unitId AS unitId', 'v.kind AS kind', 'v.status AS status'])
      .addSelect(['v.recordedAt AS recordedAt', 'v.satisfaction AS satisfaction'])
      .where('v.officeId = :officeId AND v.quarter = :quarter AND v.status <> :cancelled', scope)
      .andWhere(`v.verdict = 'unqualified' AND v.recordedAt <= :asOf`, scope)
      .getRawMany<Record<string, unknown>>();
    // Sorted here: a database sort of wide rows spills to disk on a big quarter (5× slower).
    const list = rows.map((v) => ({
      visitId: Number(v.id),
      workOrderId: String(v.workOrderId),
      unitId: (v.unitId as string | null) ?? null,
      kind: String(v.kind),
      status: String(v.status),
      recordedAt: sqlInstant(v.recordedAt)!.toISOString(),
      satisfaction: v.satisfaction === null ? null : Number(v.satisfaction),
    }));
    return list.sort((a, b) => compare(a.recordedAt, b.recordedAt) || a.visitId - b.visitId);
  }

  private async repeatComplaints(db: EntityManager, office: Office, period: { from: Date; to: Date }, zone: string): Promise<RepeatGroup[]> {
    // Only units and matters with two or more complaints up to the quarter's end, the latest
    // in the quarter, can make a run: a window function narrows the candidates in one pass
    // over the complaint history index.
    const history = db
      .createQueryBuilder(WorkOrder, 'w')
      .useIndex('idx_work_orders_matter_history')
      .select(['w.id AS id', 'w.unitId AS unitId', 'w.matterKey AS matterKey', 'w.completedAt AS completedAt'])
      .addSelect('COUNT(*) OVER (PARTITION BY w.unitId, w.matterKey)', 'complaints')
      .addSelect('MAX(w.completedAt) OVER (PARTITION BY w.unitId, w.matterKey)', 'latest')
      .where(`w.officeId = :officeId AND w.kind = 'complaint'`)
      .andWhere('w.unitId IS NOT NULL AND w.matterKey IS NOT NULL AND w.completedAt IS NOT NULL AND w.completedAt < :to');
    const rows = await db
      .createQueryBuilder()
      .select(['h.id AS id', 'h.unitId AS unitId', 'h.matterKey AS matterKey', 'h.completedAt AS completedAt'])
      .from(`(${history.getQuery()})`, 'h')
      .where('h.complaints >= 2 AND h.latest >= :from')
      .setParameters({ officeId: office.id, from: period.from, to: period.to })
      .getRawMany<{ id: string; unitId: string; matterKey: string; completedAt: unknown }>();
    const days = office.policy?.repeatComplaintDays ?? DEFAULT_REPEAT_COMPLAINT_DAYS;
    return repeatComplaintRuns(
      rows.map((r) => ({ id: r.id, unitId: r.unitId, matterKey: r.matterKey, completedAt: sqlInstant(r.completedAt)! })),
      period,
      days,
      zone,
    );
  }

  private async repeatRepairs(db: EntityManager, scope: Scope): Promise<RepeatGroup[]> {
    const repairs = db
      .createQueryBuilder(WorkOrder, 'w')
      .useIndex('idx_work_orders_stats')
      .select(['w.id AS id', 'w.unitId AS unitId', 'w.matterKey AS matterKey', 'w.completedAt AS completedAt'])
      .addSelect('COUNT(*) OVER (PARTITION BY w.unitId, w.matterKey)', 'repairs')
      .where(`w.officeId = :officeId AND w.quarter = :quarter AND w.kind = 'repair'`)
      .andWhere('w.unitId IS NOT NULL AND w.matterKey IS NOT NULL');
    const rows = await db
      .createQueryBuilder()
      .select(['r.id AS id', 'r.unitId AS unitId', 'r.matterKey AS matterKey', 'r.completedAt AS completedAt'])
      .from(`(${repairs.getQuery()})`, 'r')
      .where(`r.repairs >= ${REPEAT_REPAIR_MIN}`)
      .setParameters(scope)
      .getRawMany<{ id: string; unitId: string; matterKey: string; completedAt: unknown }>();
    const groups = new Map<string, { unitId: string; matterKey: string; orders: { id: string; at: number }[] }>();
    for (const r of rows) {
      const key = JSON.stringify([r.unitId, r.matterKey]);
      const group = groups.get(key) ?? { unitId: r.unitId, matterKey: r.matterKey, orders: [] };
      group.orders.push({ id: r.id, at: sqlInstant(r.completedAt)?.getTime() ?? 0 });
      groups.set(key, group);
    }
    return [...groups.values()]
      .sort((a, b) => compare(a.unitId, b.unitId) || compare(a.matterKey, b.matterKey))
      .map((g) => {
        const ids = g.orders.sort((a, b) => a.at - b.at || compare(a.id, b.id)).map((o) => o.id);
        return { unitId: g.unitId, matterKey: g.matterKey, count: ids.length, workOrderIds: ids };
      });
  }

  private async staff(db: EntityManager, scope: Scope): Promise<StaffFigures[]> {
    const rows = await db
      .createQueryBuilder(Visit, 'v')
      .useIndex('idx_visits_stats')
      .innerJoin(VisitAssignee, 'a', 'a.visitId = v.id')
      .select('a.staffId', 'staffId')
      .addSelect('COUNT(*)', 'assigned')
      .addSelect('SUM(CASE WHEN v.recordedAt <= :asOf THEN 1 ELSE 0 END)', 'done')
      .addSelect('SUM(CASE WHEN v.recordedAt <= :asOf AND v.late = 0 THEN 1 ELSE 0 END)', 'onTime')
      // Missed the window: recorded late, or not recorded (by asOf) although the window closed.
      .addSelect(
        'SUM(CASE WHEN v.closesAt < :asOf AND (v.recordedAt IS NULL OR v.recordedAt > :asOf OR v.late = 1) THEN 1 ELSE 0 END)',
        'overdue',
      )
      .addSelect('SUM(CASE WHEN v.recordedAt <= :asOf THEN v.satisfaction END)', 'satisfactionSum')
      .addSelect('COUNT(CASE WHEN v.recordedAt <= :asOf THEN v.satisfaction END)', 'satisfactionCount')
      .where('v.officeId = :officeId AND v.quarter = :quarter AND v.status <> :cancelled', scope)
      .groupBy('a.staffId')
      .orderBy('a.staffId', 'ASC')
      .getRawMany<Record<string, unknown>>();
    // Names afterwards, for the few people counted, rather than a join on every visit.
    const ids = rows.map((r) => String(r.staffId));
    const people = ids.length ? await db.find(StaffMember, { where: { officeId: scope.officeId, id: In(ids) }, select: { id: true, name: true } }) : [];
    return rows.map((r) => ({
      staffId: String(r.staffId),
      name: people.find((p) => p.id === String(r.staffId))?.name ?? null,
      assigned: sqlNumber(r.assigned),
      done: sqlNumber(r.done),
      onTime: sqlNumber(r.onTime),
      overdue: sqlNumber(r.overdue),
      satisfactionAvg: mean(sqlNumber(r.satisfactionSum), sqlNumber(r.satisfactionCount)),
    }));
  }
}

interface Scope {
  officeId: string;
  quarter: string;
  asOf: Date;
  cancelled: VisitStatus;
}

/** rate and doneRate rounded to 4 decimals, through the domain rule where the counts allow. */
function rates(eligible: number, done: number, onTime: number): { rate: number | null; doneRate: number | null } {
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
  if (done <= eligible) {
    const r = followUpRate({ eligible, onTime, late: done - onTime });
    return { rate: round(r.onTime), doneRate: round(r.done) };
  }
  // Visits without a counted work order (data written outside the ingest): report the plain
  // ratios rather than fail the whole report.
  return { rate: round(onTime / eligible), doneRate: round(done / eligible) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
