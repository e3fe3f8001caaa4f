import { EntityManager } from 'typeorm';
import { Visit, VisitAssignee, VisitStatus } from '../../entities';
import { talliesOf } from '../db/visit-tallies';
import { sqlNumber } from './sql-values';

/** One office-quarter as the statistics read it: records after `asOf` do not count. */
export interface QuarterScope {
  officeId: string;
  quarter: string;
  asOf: Date;
  cancelled: VisitStatus;
}

/** A quarter's visits of one kind and team, alike in what the statistics tell apart. */
export interface TeamCounts {
  kind: string;
  /** The visitors' team key; null for visits without visitors. */
  teamKey: string | null;
  /** The team's staff ids. */
  team: string[];
  countsForRate: boolean;
  /** Recorded after the window closed. */
  late: boolean;
  satisfaction: number | null;
  visits: number;
  /** Of them, recorded by asOf. */
  recorded: number;
  /** Of them, whose window closed by asOf without a record in it: recorded late, or not yet. */
  overdue: number;
}

/**
 * The quarter's visits counted per kind, team, follow-up or not, late or not and satisfaction:
 * the kept tallies (src/db/visit-tallies.ts) and the visits not recorded whose window closed
 * by `asOf`. When some record of the quarter was made after `asOf` (figures of an earlier day),
 * the tallies would count it: the visits themselves are counted instead.
 */
export async function teamCountsOf(db: EntityManager, scope: QuarterScope): Promise<TeamCounts[]> {
  if (await recordedAfter(db, scope)) return teamCountsAsOf(db, scope);
  const [tallies, notRecorded] = await Promise.all([talliesOf(db, scope.officeId, scope.quarter), overdueNotRecorded(db, scope)]);
  const teams: TeamCounts[] = tallies.map((t) => ({
    kind: t.kind,
    teamKey: t.teamKey === '' ? null : t.teamKey,
    team: t.team,
    countsForRate: t.countsForRate === 1,
    late: t.late === 1,
    satisfaction: t.satisfaction === 0 ? null : t.satisfaction,
    visits: t.visits,
    recorded: t.recorded === 1 ? t.visits : 0,
    // Recorded late: the window closed before the record, so before asOf.
    overdue: t.late === 1 ? t.visits : 0,
  }));
  const teamOf = new Map(teams.map((t) => [t.teamKey, t.team]));
  for (const row of notRecorded) {
    const teamKey = row.teamKey ?? null;
    teams.push({ kind: row.kind, teamKey, team: teamOf.get(teamKey) ?? [], countsForRate: false, late: false, satisfaction: null, visits: 0, recorded: 0, overdue: sqlNumber(row.visits) });
  }
  return teams;
}

/** Whether a visit of the quarter was recorded after `asOf` (one probe of the records index). */
async function recordedAfter(db: EntityManager, scope: QuarterScope): Promise<boolean> {
  const found = await db
    .createQueryBuilder(Visit, 'v')
    .select('v.id', 'id')
    .where('v.officeId = :officeId AND v.quarter = :quarter AND v.recordedAt > :asOf', scope)
    .limit(1)
    .getRawOne();
  return found !== undefined;
}

/** The quarter's visits not recorded whose window closed by `asOf`, per kind and team. */
function overdueNotRecorded(db: EntityManager, scope: QuarterScope): Promise<Array<{ kind: string; teamKey: string | null; visits: unknown }>> {
  return db
    .createQueryBuilder(Visit, 'v')
    .select('v.kind', 'kind')
    .addSelect('v.teamKey', 'teamKey')
    .addSelect('COUNT(*)', 'visits')
    .where('v.officeId = :officeId AND v.quarter = :quarter AND v.recordedAt IS NULL AND v.closesAt < :asOf AND v.status <> :cancelled', scope)
    .groupBy('v.kind')
    .addGroupBy('v.teamKey')
    .getRawMany();
}

/** The counts read from the visits themselves, as of `asOf` (records made after it left out). */
async function teamCountsAsOf(db: EntityManager, scope: QuarterScope): Promise<TeamCounts[]> {
  const recorded = 'v.recordedAt <= :asOf';
  const rows = await db
    .createQueryBuilder(Visit, 'v')
    .select('v.kind', 'kind')
    .addSelect('v.teamKey', 'teamKey')
    .addSelect('v.countsForRate', 'countsForRate')
    .addSelect(`CASE WHEN ${recorded} THEN v.late ELSE 0 END`, 'late')
    .addSelect(`CASE WHEN ${recorded} THEN v.satisfaction ELSE NULL END`, 'satisfaction')
    .addSelect('MIN(v.id)', 'sample')
    .addSelect('COUNT(*)', 'visits')
    .addSelect(`SUM(CASE WHEN ${recorded} THEN 1 ELSE 0 END)`, 'recorded')
    .addSelect('SUM(CASE WHEN v.closesAt < :asOf AND (v.recordedAt IS NULL OR v.recordedAt > :asOf OR v.late = 1) THEN 1 ELSE 0 END)', 'overdue')
    .where('v.officeId = :officeId AND v.quarter = :quarter AND v.status <> :cancelled', scope)
    .groupBy('v.kind')
    .addGroupBy('v.teamKey')
    .addGroupBy('v.countsForRate')
    .addGroupBy(`CASE WHEN ${recorded} THEN v.late ELSE 0 END`)
    .addGroupBy(`CASE WHEN ${recorded} THEN v.satisfaction ELSE NULL END`)
    .getRawMany<Record<string, unknown>>();
  const samples = rows.filter((r) => r.teamKey !== null).map((r) => Number(r.sample));
  const members = samples.length === 0 ? [] : await db.createQueryBuilder(VisitAssignee, 'a').select(['a.visitId AS visitId', 'a.staffId AS staffId']).where('a.visitId IN (:...samples)', { samples }).getRawMany<{ visitId: unknown; staffId: string }>();
  return rows.map((r) => ({
    kind: String(r.kind),
    teamKey: (r.teamKey as string | null) ?? null,
    team: members.filter((m) => Number(m.visitId) === Number(r.sample)).map((m) => m.staffId).sort(),
    countsForRate: sqlNumber(r.countsForRate) === 1,
    late: sqlNumber(r.late) === 1,
    satisfaction: r.satisfaction === null ? null : sqlNumber(r.satisfaction),
    visits: sqlNumber(r.visits),
    recorded: sqlNumber(r.recorded),
    overdue: sqlNumber(r.overdue),
  }));
}
