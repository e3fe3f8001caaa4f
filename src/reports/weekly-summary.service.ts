import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { Office, Project, QuarterArchive, StaffMember, Visit, VisitAssignee, VisitStatus, WorkOrder } from '../../entities';
import { parseIsoWeek } from '../rules/iso-week';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';
import { quarterOf } from '../rules/quarter';
import { QuarterlyStatsService } from './quarterly-stats.service';
import { mean, sqlInstant, sqlNumber } from './sql-values';
import { SummaryVisitItem, WeeklyKindFigures, WeeklyStaffFigures, WeeklySummary, WeeklyTotals } from './weekly-summary';
import { officeZone } from '../offices/office-zone';
import { referenceOf } from '../visits/visit-context';
import { weeklyWarranty } from './weekly-warranty';

/**
 * The weekly summary of an office (docs/rules.md §5) for an ISO week on the office's clock. Over
 * the office's visits (cancelled ones left out), with `asOf` = the week's end (or now, for
 * the running week):
 * - due: the window closes in the week;
 * - done: recorded in the week (the week's records, machinery procedure 4.4(1)2); onTime: of
 *   those, within the window; unqualified: of those, judged unqualified;
 * - overdue: the window closed in the week and there was no record in it by `asOf` (still
 *   open, or recorded late) — each overdue visit is reported in the week it became overdue;
 * - awaiting confirmation: recorded by `asOf`, not confirmed by the resident by then, in a
 *   quarter not yet archived (after the lock nothing on the record changes any more);
 * - per kind also the quarter-to-date follow-up rate (of the quarter the week ends in)
 *   against the office's target, from the quarterly statistics;
 * - warranty: per project, categories ending within 90 days and repairs still open at `asOf`
 *   against their deadlines (src/reports/weekly-warranty.ts).
 * Figures depend only on what happened before `asOf`: a past week's summary never changes.
 */
export class WeeklySummaryService {
  constructor(private readonly deps: { dataSource: DataSource; stats: QuarterlyStatsService; defaultTimeZone: string }) {}

  async compute(office: Office, weekLabel: string, now: Date): Promise<WeeklySummary> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const week = parseIsoWeek(weekLabel, zone);
    const asOf = now < week.to ? now : week.to;
    const scope = { officeId: office.id, from: week.from, to: week.to, asOf, cancelled: VisitStatus.Cancelled };
    // The quarter of the week's last instant counted: a week across a quarter's end rates the new one only from Monday on.
    const quarter = quarterOf(new Date(Math.max(week.from.getTime(), asOf.getTime() - 1)), zone);

    const [byKind, staff, quarterly, unqualified, overdue, awaiting, warranty] = await Promise.all([
      this.countsByKind(scope),
      this.staff(scope),
      this.deps.stats.compute(office, quarter.label, asOf),
      this.items(scope, (qb) => qb.andWhere(`${DONE} AND v.verdict = 'unqualified'`)),
      this.items(scope, (qb) => qb.andWhere(OVERDUE)),
      this.items(scope, (qb) =>
        qb
          .andWhere('v.recordedAt < :asOf AND (v.residentConfirmedAt IS NULL OR v.residentConfirmedAt >= :asOf)')
          .andWhere((sub) => {
            const archived = sub
              .subQuery()
              .select('1')
              .from(QuarterArchive, 'qa')
              .where('qa.officeId = v.officeId AND qa.quarter = v.quarter')
              .getQuery();
            return `NOT EXISTS ${archived}`;
          }),
      ),
      weeklyWarranty(this.deps.dataSource, { officeId: office.id, zone, asOf }),
    ]);

    const kinds: WeeklyKindFigures[] = WORK_ORDER_KINDS.map((kind) => {
      const counts = byKind.get(kind) ?? zeroTotals();
      const q = quarterly.kinds.find((k) => k.kind === kind)!;
      return { kind, ...counts.totals, target: q.target, quarter: quarterly.quarter, eligible: q.eligible, quarterOnTime: q.onTime, rate: q.rate };
    });
    const totals = zeroTotals();
    for (const counts of byKind.values()) {
      for (const key of Object.keys(totals.totals) as (keyof WeeklyTotals)[]) totals.totals[key] += counts.totals[key];
      totals.satisfactionSum += counts.satisfactionSum;
      totals.satisfactionCount += counts.satisfactionCount;
    }
    return {
      officeId: office.id,
      officeName: office.name,
      week: week.label,
      timeZone: zone,
      from: week.from.toISOString(),
      to: week.to.toISOString(),
      asOf: asOf.toISOString(),
      totals: totals.totals,
      satisfactionAvg: mean(totals.satisfactionSum, totals.satisfactionCount),
      kinds,
      unqualified,
      overdue,
      staff,
      awaitingConfirmation: awaiting,
      warranty,
    };
  }

  private base(scope: WeekScope): SelectQueryBuilder<Visit> {
    return this.deps.dataSource
      .createQueryBuilder(Visit, 'v')
      .where('v.officeId = :officeId AND v.status <> :cancelled', scope)
      .setParameters(scope);
  }

  private async countsByKind(scope: WeekScope): Promise<Map<string, KindCounts>> {
    const rows = await withCounts(
      this.base(scope)
        .andWhere(new Brackets((qb) => qb.where(DUE).orWhere(DONE)))
        .select('v.kind', 'kind'),
    )
      .groupBy('v.kind')
      .getRawMany<Record<string, unknown>>();
    return new Map(rows.map((r) => [String(r.kind), readCounts(r)]));
  }

  private async staff(scope: WeekScope): Promise<WeeklyStaffFigures[]> {
    const rows = await withCounts(
      this.base(scope)
        .innerJoin(VisitAssignee, 'a', 'a.visitId = v.id')
        .leftJoin(StaffMember, 's', 's.officeId = v.officeId AND s.id = a.staffId')
        .andWhere(new Brackets((qb) => qb.where(DUE).orWhere(DONE)))
        .select('a.staffId', 'staffId')
        .addSelect('MAX(s.name)', 'name'),
    )
      .groupBy('a.staffId')
      .orderBy('a.staffId', 'ASC')
      .getRawMany<Record<string, unknown>>();
    return rows.map((r) => {
      const c = readCounts(r);
      return {
        staffId: String(r.staffId),
        name: (r.name as string | null) ?? null,
        assigned: c.totals.due,
        done: c.totals.done,
        onTime: c.totals.onTime,
        overdue: c.totals.overdue,
        satisfactionAvg: mean(c.satisfactionSum, c.satisfactionCount),
      };
    });
  }

  /** The visits a condition picks, with their work order's title (a warranty visit: its project's name) and their visitors. */
  private async items(scope: WeekScope, narrow: (qb: SelectQueryBuilder<Visit>) => SelectQueryBuilder<Visit>): Promise<SummaryVisitItem[]> {
    const rows = await narrow(this.base(scope).leftJoin(WorkOrder, 'w', 'w.id = v.workOrderId').leftJoin(Project, 'p', 'p.id = v.projectId'))
      .select(['v.id AS id', 'v.workOrderId AS workOrderId', 'v.projectId AS projectId', 'v.campaignId AS campaignId', 'COALESCE(w.title, p.name) AS title', 'v.unitId AS unitId', 'v.kind AS kind'])
      .addSelect(['v.purpose AS purpose', 'v.closesAt AS closesAt', 'v.recordedAt AS recordedAt'])
      .orderBy('v.closesAt', 'ASC')
      .addOrderBy('v.id', 'ASC')
      .getRawMany<Record<string, unknown>>();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    const people = await this.deps.dataSource
      .createQueryBuilder(VisitAssignee, 'a')
      .leftJoin(StaffMember, 's', 's.officeId = a.officeId AND s.id = a.staffId')
      .select(['a.visitId AS visitId', 'a.staffId AS staffId', 's.name AS name'])
      .where('a.visitId IN (:...ids)', { ids })
      .orderBy('a.staffId', 'ASC')
      .getRawMany<{ visitId: unknown; staffId: string; name: string | null }>();
    return rows.map((r) => {
      const recordedAt = sqlInstant(r.recordedAt);
      const visitId = Number(r.id);
      const workOrderId = (r.workOrderId as string | null) ?? null;
      return {
        visitId,
        workOrderId,
        reference: referenceOf({ id: visitId, workOrderId, projectId: (r.projectId as string | null) ?? null, campaignId: (r.campaignId as string | null) ?? null }),
        title: (r.title as string | null) ?? null,
        unitId: (r.unitId as string | null) ?? null,
        kind: r.kind as WorkOrderKind,
        purpose: String(r.purpose),
        closesAt: sqlInstant(r.closesAt)!.toISOString(),
        // As the week saw it: a record made after asOf is not shown, so a past week never changes.
        recordedAt: recordedAt && recordedAt < scope.asOf ? recordedAt.toISOString() : null,
        assignees: people.filter((p) => Number(p.visitId) === Number(r.id)).map((p) => ({ staffId: p.staffId, name: p.name ?? null })),
      };
    });
  }
}

interface WeekScope {
  officeId: string;
  from: Date;
  to: Date;
  asOf: Date;
  cancelled: VisitStatus;
}

/** The window closes in the week. */
const DUE = 'v.closesAt >= :from AND v.closesAt < :to';
/** Recorded in the week (by asOf). */
const DONE = 'v.recordedAt >= :from AND v.recordedAt < :asOf';
/** The window closed in the week (by asOf) without a record in it by asOf. */
const OVERDUE = 'v.closesAt >= :from AND v.closesAt < :asOf AND (v.recordedAt IS NULL OR v.recordedAt >= :asOf OR v.late = 1)';

/** Adds the week's counts to a query's SELECT. */
function withCounts(qb: SelectQueryBuilder<Visit>): SelectQueryBuilder<Visit> {
  const counts: [string, string][] = [
    [`SUM(CASE WHEN ${DUE} THEN 1 ELSE 0 END)`, 'due'],
    [`SUM(CASE WHEN ${DONE} THEN 1 ELSE 0 END)`, 'done'],
    [`SUM(CASE WHEN ${DONE} AND v.late = 0 THEN 1 ELSE 0 END)`, 'onTime'],
    [`SUM(CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END)`, 'overdue'],
    [`SUM(CASE WHEN ${DONE} AND v.verdict = 'unqualified' THEN 1 ELSE 0 END)`, 'unqualified'],
    [`SUM(CASE WHEN ${DONE} THEN v.satisfaction END)`, 'satisfactionSum'],
    [`COUNT(CASE WHEN ${DONE} THEN v.satisfaction END)`, 'satisfactionCount'],
  ];
  for (const [expression, alias] of counts) qb.addSelect(expression, alias);
  return qb;
}

interface KindCounts {
  totals: WeeklyTotals;
  satisfactionSum: number;
  satisfactionCount: number;
}

function zeroTotals(): KindCounts {
  return { totals: { due: 0, done: 0, onTime: 0, overdue: 0, unqualified: 0 }, satisfactionSum: 0, satisfactionCount: 0 };
}

function readCounts(r: Record<string, unknown>): KindCounts {
  return {
    totals: {
      due: sqlNumber(r.due),
      done: sqlNumber(r.done),
      onTime: sqlNumber(r.onTime),
      overdue: sqlNumber(r.overdue),
      unqualified: sqlNumber(r.unqualified),
    },
    satisfactionSum: sqlNumber(r.satisfactionSum),
    satisfactionCount: sqlNumber(r.satisfactionCount),
  };
}
