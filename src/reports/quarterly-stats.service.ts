import { DataSource, EntityManager, In } from 'typeorm';
import { Office, StaffMember, Visit, VisitAssignee, VisitStatus, WorkOrder } from '../../entities';
import { followUpRate } from '../rules/follow-up-rate';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';
import { parseQuarter } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { KindFigures, QuarterlyFigures, StaffFigures, UnqualifiedVisit } from './quarterly-stats';
import { repeatComplaintsOf, repeatRepairsOf } from './repeat-groups';
import { mean, sqlInstant, sqlNumber } from './sql-values';
import { officeZone } from '../offices/office-zone';

/**
 * Compiles the quarterly statistics of an office (走访回访统计表, SOP 4.7, docs/api.md) with
 * aggregate queries run side by side, each reading one office-quarter from a covering index
 * (`idx_visits_stats`, `idx_work_orders_stats`, `idx_work_orders_matter_history`, see
 * migration 1765800000000) in the index's own order, with plain grouped counts — no distinct
 * counts, no join of every visit to its visitors: 200,000 visits in one office-quarter among
 * 2,000,000 (bench/quarterly-stats.bench.ts, target 300 ms on MariaDB).
 *
 * How things are counted:
 * - a quarter is the office's local quarter; work orders and their visits belong to the
 *   quarter in which the counted visit's window closes (`quarter` columns);
 * - eligible = work orders with a sampling decision (selected or not_sampled) — exactly what
 *   the sampling quota counted, so every rate can be audited against it;
 * - done / onTime count the visits that are their work order's follow-up (`countsForRate`)
 *   recorded (on time): not the mid-contract visit of a special service, an extra visit, nor
 *   the visits of a generation a reopen ended — so a work order counts once and done ≤ eligible;
 * - records made after `asOf` do not count, so an archive's figures are reproducible;
 * - satisfaction and staff figures count every recorded visit, mid-contract ones included; a
 *   visit counts for each of its visitors, found through its team key (src/db/team-key.ts).
 */
export class QuarterlyStatsService {
  constructor(private readonly deps: { dataSource: DataSource; defaultTimeZone: string }) {}

  /** The figures of `office` in `quarterLabel` as of `asOf`; inside `manager`'s transaction when given. */
  async compute(office: Office, quarterLabel: string, asOf: Date, manager?: EntityManager): Promise<QuarterlyFigures> {
    const db = manager ?? this.deps.dataSource.manager;
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const quarter = parseQuarter(quarterLabel, zone);
    const scope = { officeId: office.id, quarter: quarter.label, asOf, cancelled: VisitStatus.Cancelled };
    const period = { from: quarter.from, to: quarter.to };
    const [orders, teams, unqualified, repeatComplaints, repeatRepairs] = await Promise.all([
      this.orders(db, scope),
      this.teams(db, scope),
      this.unqualified(db, scope),
      repeatComplaintsOf(db, office, period, zone),
      repeatRepairsOf(db, office.id, period),
    ]);
    return {
      officeId: office.id,
      quarter: quarter.label,
      timeZone: zone,
      from: quarter.from.toISOString(),
      to: quarter.to.toISOString(),
      asOf: asOf.toISOString(),
      kinds: kindFigures(office, orders, teams),
      unqualified,
      repeatComplaints,
      repeatRepairs,
      staff: await this.staff(db, office.id, teams),
    };
  }

  /** Work orders with a sampling decision per kind and decision (selected or not_sampled). */
  private orders(db: EntityManager, scope: Scope): Promise<OrderCounts[]> {
    // Index hints (MySQL/MariaDB only; SQLite picks its own): the planner otherwise takes a
    // narrower, non-covering index when one office holds most of its rows in one quarter.
    return db
      .createQueryBuilder(WorkOrder, 'w')
      .useIndex('idx_work_orders_stats')
      .select('w.kind', 'kind')
      .addSelect('w.sampling', 'sampling')
      .addSelect('COUNT(*)', 'orders')
      .where('w.officeId = :officeId AND w.quarter = :quarter AND w.sampling IS NOT NULL', scope)
      .groupBy('w.kind')
      .addGroupBy('w.sampling')
      .getRawMany<OrderCounts>();
  }

  /**
   * The quarter's visits counted per verdict, kind, team (the same visitors), follow-up or not,
   * late or not and satisfaction, in one pass over the index in its own order; `sample` is one
   * visit of the team, to name its members. The fewer sums per row, the faster: what the groups
   * tell is not summed. (The verdict leads the index so the unqualified visits are a range of it.)
   */
  private teams(db: EntityManager, scope: Scope): Promise<TeamCounts[]> {
    const recorded = 'v.recordedAt <= :asOf';
    return db
      .createQueryBuilder(Visit, 'v')
      .useIndex('idx_visits_stats')
      .select('v.kind', 'kind')
      .addSelect('v.teamKey', 'teamKey')
      .addSelect('v.countsForRate', 'countsForRate')
      .addSelect('v.late', 'late')
      .addSelect('v.satisfaction', 'satisfaction')
      .addSelect('MIN(v.id)', 'sample')
      .addSelect('COUNT(*)', 'visits')
      .addSelect(`SUM(CASE WHEN ${recorded} THEN 1 ELSE 0 END)`, 'recorded')
      // Missed the window: recorded late, or not recorded (by asOf) although the window closed.
      .addSelect('SUM(CASE WHEN v.closesAt < :asOf AND (v.recordedAt IS NULL OR v.recordedAt > :asOf OR v.late = 1) THEN 1 ELSE 0 END)', 'overdue')
      .where('v.officeId = :officeId AND v.quarter = :quarter AND v.status <> :cancelled', scope)
      .groupBy('v.verdict')
      .addGroupBy('v.kind')
      .addGroupBy('v.teamKey')
      .addGroupBy('v.countsForRate')
      .addGroupBy('v.late')
      .addGroupBy('v.satisfaction')
      .getRawMany<TeamCounts>();
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

  /** Each staff member's figures: the figures of every team they are in, added up. */
  private async staff(db: EntityManager, officeId: string, teams: TeamCounts[]): Promise<StaffFigures[]> {
    const samples = teams.filter((t) => t.teamKey !== null).map((t) => Number(t.sample));
    if (samples.length === 0) return [];
    const [members, people] = await Promise.all([
      db.find(VisitAssignee, { where: { visitId: In(samples) }, select: { visitId: true, staffId: true } }),
      db.find(StaffMember, { where: { officeId }, select: { id: true, name: true } }),
    ]);
    const figures = new Map<string, { assigned: number; done: number; onTime: number; overdue: number; satisfactionSum: number; satisfactionCount: number }>();
    for (const team of teams) {
      if (team.teamKey === null) continue;
      for (const m of members.filter((a) => a.visitId === Number(team.sample))) {
        const f = figures.get(m.staffId) ?? { assigned: 0, done: 0, onTime: 0, overdue: 0, satisfactionSum: 0, satisfactionCount: 0 };
        f.assigned += sqlNumber(team.visits);
        f.done += sqlNumber(team.recorded);
        f.onTime += recordedInTime(team) ? sqlNumber(team.recorded) : 0;
        f.overdue += sqlNumber(team.overdue);
        f.satisfactionSum += satisfactionSum(team);
        f.satisfactionCount += satisfactionCount(team);
        figures.set(m.staffId, f);
      }
    }
    return [...figures.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([staffId, f]) => ({
        staffId,
        name: people.find((p) => p.id === staffId)?.name ?? null,
        assigned: f.assigned,
        done: f.done,
        onTime: f.onTime,
        overdue: f.overdue,
        satisfactionAvg: mean(f.satisfactionSum, f.satisfactionCount),
      }));
  }
}

/** Each kind's figures from its work orders and its visits' teams. */
function kindFigures(office: Office, orders: OrderCounts[], teams: TeamCounts[]): KindFigures[] {
  const targets = (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>;
  return WORK_ORDER_KINDS.map((kind) => {
    const ofKind = orders.filter((r) => r.kind === kind);
    const visits = teams.filter((t) => t.kind === kind);
    const sum = (count: (t: TeamCounts) => number, of = visits) => of.reduce((total, t) => total + count(t), 0);
    const recorded = (t: TeamCounts) => sqlNumber(t.recorded);
    const followUps = visits.filter((t) => sqlNumber(t.countsForRate) === 1);
    const eligible = ofKind.reduce((total, r) => total + sqlNumber(r.orders), 0);
    const done = sum(recorded, followUps);
    const onTime = sum(recorded, followUps.filter(recordedInTime));
    return {
      kind,
      target: rateTargetFor(kind, targets),
      eligible,
      selected: sqlNumber(ofKind.find((r) => r.sampling === 'selected')?.orders),
      done,
      onTime,
      ...rates(eligible, done, onTime),
      satisfactionAvg: mean(sum(satisfactionSum), sum(satisfactionCount)),
    };
  });
}

interface OrderCounts {
  kind: string;
  sampling: string;
  orders: unknown;
}

/** A raw row of the visit counts per verdict, kind, team, follow-up or not, late or not and satisfaction. */
interface TeamCounts {
  kind: string;
  teamKey: string | null;
  countsForRate: unknown;
  late: unknown;
  sample: unknown;
  visits: unknown;
  recorded: unknown;
  overdue: unknown;
  satisfaction: unknown;
}

/** The satisfaction recorded (by asOf) in a group: its one value, once per record. */
function satisfactionSum(team: TeamCounts): number {
  return team.satisfaction === null ? 0 : sqlNumber(team.satisfaction) * sqlNumber(team.recorded);
}

function satisfactionCount(team: TeamCounts): number {
  return team.satisfaction === null ? 0 : sqlNumber(team.recorded);
}

/** Records of a group not made late: made within the window (an unrecorded visit is never late). */
function recordedInTime(team: TeamCounts): boolean {
  return sqlNumber(team.late) === 0;
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
