import { DataSource, EntityManager } from 'typeorm';
import { Office, SamplingQuota, StaffMember, Visit, VisitStatus } from '../../entities';
import { decisionsOf } from '../db/sampling-quotas';
import { followUpRate } from '../rules/follow-up-rate';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';
import { parseQuarter } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { KindFigures, QuarterlyFigures, StaffFigures, UnqualifiedVisit } from './quarterly-stats';
import { repeatComplaintsOf, repeatRepairsOf } from './repeat-groups';
import { mean, sqlInstant, sqlNumber } from './sql-values';
import { QuarterScope as Scope, TeamCounts, teamCountsOf } from './team-counts';
import { officeZone } from '../offices/office-zone';

/**
 * Compiles the quarterly statistics of an office (走访回访统计表, SOP 4.7, docs/api.md) with
 * queries run side by side: the visits from the counts kept with every visit change
 * (`visit_tallies`, src/db/visit-tallies.ts, read through src/reports/team-counts.ts) and the
 * work orders' sampling decisions from the quota rows (`sampling_quotas`), and the rest from
 * narrow indexes read in their own order — the unqualified visits (`idx_visits_quarter_verdict`),
 * the repeat groups (`idx_work_orders_matter_history`): 200,000 visits in one office-quarter
 * among 2,000,000 (bench/quarterly-stats.bench.ts, target 300 ms on MariaDB).
 *
 * How things are counted:
 * - a quarter is the office's local quarter; work orders and their visits belong to the
 *   quarter in which the counted visit's window closes (`quarter` columns);
 * - eligible = work orders with a sampling decision (selected or not_sampled), as the sampling
 *   quota rows count them (every kind's, 100 % kinds included), so every rate can be audited
 *   against them;
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
      decisionsOf(db, scope.officeId, scope.quarter),
      teamCountsOf(db, scope),
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

  private async unqualified(db: EntityManager, scope: Scope): Promise<UnqualifiedVisit[]> {
    const rows = await db
      .createQueryBuilder(Visit, 'v')
      .useIndex('idx_visits_quarter_verdict')
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
    if (!teams.some((t) => t.teamKey !== null)) return [];
    const people = await db.find(StaffMember, { where: { officeId }, select: { id: true, name: true } });
    const figures = new Map<string, { assigned: number; done: number; onTime: number; overdue: number; satisfactionSum: number; satisfactionCount: number }>();
    for (const team of teams) {
      if (team.teamKey === null) continue;
      for (const staffId of team.team) {
        const f = figures.get(staffId) ?? { assigned: 0, done: 0, onTime: 0, overdue: 0, satisfactionSum: 0, satisfactionCount: 0 };
        f.assigned += team.visits;
        f.done += team.recorded;
        f.onTime += team.late ? 0 : team.recorded;
        f.overdue += team.overdue;
        f.satisfactionSum += satisfactionSum(team);
        f.satisfactionCount += satisfactionCount(team);
        figures.set(staffId, f);
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
function kindFigures(office: Office, decisions: SamplingQuota[], teams: TeamCounts[]): KindFigures[] {
  const targets = (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>;
  return WORK_ORDER_KINDS.map((kind) => {
    const decided = decisions.find((r) => r.kind === kind);
    const visits = teams.filter((t) => t.kind === kind);
    const sum = (count: (t: TeamCounts) => number, of = visits) => of.reduce((total, t) => total + count(t), 0);
    const recorded = (t: TeamCounts) => t.recorded;
    const followUps = visits.filter((t) => t.countsForRate);
    const eligible = decided?.eligible ?? 0;
    const done = sum(recorded, followUps);
    const onTime = sum(recorded, followUps.filter((t) => !t.late));
    return {
      kind,
      target: rateTargetFor(kind, targets),
      eligible,
      selected: decided?.selected ?? 0,
      done,
      onTime,
      ...rates(eligible, done, onTime),
      satisfactionAvg: mean(sum(satisfactionSum), sum(satisfactionCount)),
    };
  });
}

/** The satisfaction recorded (by asOf) in a group: its one value, once per record. */
function satisfactionSum(team: TeamCounts): number {
  return team.satisfaction === null ? 0 : team.satisfaction * team.recorded;
}

function satisfactionCount(team: TeamCounts): number {
  return team.satisfaction === null ? 0 : team.recorded;
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
