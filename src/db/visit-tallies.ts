import { EntityManager } from 'typeorm';
import { Visit, VisitStatus, VisitTally } from '../../entities';
import { isMysqlSource } from './data-source';
import { parameterList } from './select-entities';
import { mergeInKeyOrder } from './counter-changes';
import { runTogether, Statement } from './statements';

/** What a visit's tally depends on: a visit, and its visitors' staff ids. */
export type TalliedVisit = Pick<Visit, 'officeId' | 'quarter' | 'kind' | 'teamKey' | 'countsForRate' | 'status' | 'recordedAt' | 'late' | 'satisfaction'> & {
  staffIds: readonly string[];
};

/** One count to add to (or, negative, take from) a tally row. */
export interface TallyChange extends Omit<VisitTally, 'visits'> {
  delta: number;
}

/**
 * The tally row a visit counts in, or null for a cancelled visit (never counted). A visit not
 * recorded has no lateness and no satisfaction in its tally, as the statistics read them.
 */
export function tallyOf(visit: TalliedVisit): Omit<VisitTally, 'visits'> | null {
  if (visit.status === VisitStatus.Cancelled) return null;
  const recorded = visit.recordedAt !== null && visit.recordedAt !== undefined;
  return {
    officeId: visit.officeId,
    quarter: visit.quarter,
    kind: visit.kind,
    teamKey: visit.teamKey ?? '',
    countsForRate: visit.countsForRate ? 1 : 0,
    recorded: recorded ? 1 : 0,
    late: recorded && visit.late ? 1 : 0,
    satisfaction: recorded && visit.satisfaction ? visit.satisfaction : 0,
    team: visit.teamKey ? [...visit.staffIds].sort() : [],
  };
}

/** The changes to the tallies when a visit goes from `before` (null: new) to `after` (null: gone). */
export function tallyChanges(before: TalliedVisit | null, after: TalliedVisit | null): TallyChange[] {
  const was = before && tallyOf(before);
  const is = after && tallyOf(after);
  if (was && is && tallyKey(was) === tallyKey(is)) return [];
  return [...(was ? [{ ...was, delta: -1 }] : []), ...(is ? [{ ...is, delta: 1 }] : [])];
}

/**
 * Adds the changes to the tallies in one statement, creating rows counted for the first time.
 * Rows are written in key order, so two transactions lock them in the same order.
 */
export async function adjustTallies(manager: EntityManager, changes: readonly TallyChange[]): Promise<void> {
  await runTogether(manager, [tallyStatement(manager, changes)]);
}

/** The statement `adjustTallies` sends, to send with others; null when nothing changes. */
export function tallyStatement(manager: EntityManager, changes: readonly TallyChange[]): Statement | null {
  const rows = mergeInKeyOrder(changes, tallyKey, (a, b) => ({ ...a, delta: a.delta + b.delta }), (c) => c.delta === 0);
  if (rows.length === 0) return null;
  const add = isMysqlSource(manager.connection)
    ? 'ON DUPLICATE KEY UPDATE visits = visits + VALUES(visits)'
    : `ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET visits = visits + excluded.visits`;
  return {
    sql: `INSERT INTO visit_tallies (${KEY_COLUMNS.join(', ')}, team, visits) VALUES ${rows.map(() => parameterList([...KEY_COLUMNS, 'team', 'visits'])).join(', ')} ${add}`,
    params: rows.flatMap((c) => [...KEY_COLUMNS.map((k) => c[k]), JSON.stringify(c.team), c.delta]),
  };
}

/** The tallies of an office's quarter that count something. */
export async function talliesOf(manager: EntityManager, officeId: string, quarter: string): Promise<VisitTally[]> {
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT ${KEY_COLUMNS.join(', ')}, team, visits FROM visit_tallies WHERE officeId = ? AND quarter = ? AND visits <> 0`,
    [officeId, quarter],
  );
  return rows.map((r) => ({ ...tallyRow(r), team: JSON.parse(String(r.team)) as string[] }));
}

/**
 * Counts the tallies again from the visits (all of them, or one office's): for a migration, and
 * for data written straight into the tables (imports, test fixtures) rather than through the
 * lifecycle. Runs in the caller's transaction.
 */
export async function recountTallies(manager: EntityManager, officeId?: string): Promise<void> {
  const counted = await countTallies(manager, officeId);
  await manager.query(`DELETE FROM visit_tallies ${officeId === undefined ? '' : 'WHERE officeId = ?'}`, officeId === undefined ? [] : [officeId]);
  for (let i = 0; i < counted.length; i += RECOUNT_ROWS) {
    const rows = counted.slice(i, i + RECOUNT_ROWS);
    await manager.query(
      `INSERT INTO visit_tallies (${KEY_COLUMNS.join(', ')}, team, visits) VALUES ${rows.map(() => parameterList([...KEY_COLUMNS, 'team', 'visits'])).join(', ')}`,
      rows.flatMap((r) => [...KEY_COLUMNS.map((k) => r[k]), JSON.stringify(r.team), r.visits]),
    );
  }
}

/** What the tallies should hold, counted from the visits themselves (rows of visits ≠ 0), in key order. */
export async function countTallies(manager: EntityManager, officeId?: string): Promise<VisitTally[]> {
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT v.officeId AS officeId, v.quarter AS quarter, v.kind AS kind, COALESCE(v.teamKey, '') AS teamKey,
            CASE WHEN v.countsForRate = 1 THEN 1 ELSE 0 END AS countsForRate,
            CASE WHEN v.recordedAt IS NULL THEN 0 ELSE 1 END AS recorded,
            CASE WHEN v.recordedAt IS NOT NULL AND v.late = 1 THEN 1 ELSE 0 END AS late,
            CASE WHEN v.recordedAt IS NULL THEN 0 ELSE COALESCE(v.satisfaction, 0) END AS satisfaction,
            MIN(v.id) AS sample, COUNT(*) AS visits
       FROM visits v WHERE v.status <> ? ${officeId === undefined ? '' : 'AND v.officeId = ?'}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [VisitStatus.Cancelled, ...(officeId === undefined ? [] : [officeId])],
  );
  const teams = await teamsOf(manager, rows.filter((r) => r.teamKey !== '').map((r) => Number(r.sample)));
  return rows.map((r) => ({ ...tallyRow(r), team: teams.get(Number(r.sample)) ?? [] })).sort((a, b) => compare(tallyKey(a), tallyKey(b)));
}

/** Every tally that counts something, in key order. */
export async function allTallies(manager: EntityManager): Promise<VisitTally[]> {
  const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${KEY_COLUMNS.join(', ')}, team, visits FROM visit_tallies WHERE visits <> 0`);
  return rows.map((r) => ({ ...tallyRow(r), team: JSON.parse(String(r.team)) as string[] })).sort((a, b) => compare(tallyKey(a), tallyKey(b)));
}

function tallyRow(r: Record<string, unknown>): Omit<VisitTally, 'team'> {
  return {
    officeId: String(r.officeId),
    quarter: String(r.quarter),
    kind: String(r.kind),
    teamKey: String(r.teamKey),
    countsForRate: Number(r.countsForRate),
    recorded: Number(r.recorded),
    late: Number(r.late),
    satisfaction: Number(r.satisfaction),
    visits: Number(r.visits),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The visitors of some visits, by visit id, sorted. */
async function teamsOf(manager: EntityManager, visitIds: number[]): Promise<Map<number, string[]>> {
  const teams = new Map<number, string[]>();
  for (let i = 0; i < visitIds.length; i += RECOUNT_ROWS) {
    const some = visitIds.slice(i, i + RECOUNT_ROWS);
    const rows: Array<{ visitId: unknown; staffId: string }> = await manager.query(`SELECT visitId, staffId FROM visit_assignees WHERE visitId IN ${parameterList(some)}`, some);
    for (const r of rows) teams.set(Number(r.visitId), [...(teams.get(Number(r.visitId)) ?? []), r.staffId]);
  }
  for (const team of teams.values()) team.sort();
  return teams;
}

const KEY_COLUMNS = ['officeId', 'quarter', 'kind', 'teamKey', 'countsForRate', 'recorded', 'late', 'satisfaction'] as const;

/** Rows per statement when counting again. */
const RECOUNT_ROWS = 500;

function tallyKey(t: Omit<VisitTally, 'visits' | 'team'>): string {
  return KEY_COLUMNS.map((k) => t[k]).join('\u0000');
}
