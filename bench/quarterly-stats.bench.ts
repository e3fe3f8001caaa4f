/**
 * `npx tsx bench/quarterly-stats.bench.ts`: the quarterly statistics (GET /api/stats/quarterly's
 * figures, src/reports/quarterly-stats.service.ts) over 2,000,000 generated visits on MariaDB.
 *
 * A fresh database (BENCH_STATS_DATABASE, default `huifang_bench_stats`, dropped and migrated) is filled with multi-row
 * INSERTs: work orders, one visit each (plus 10 % not sampled, without a visit), and their
 * visitors, spread over offices and the eight quarters 2025-Q1 … 2026-Q4. Two office-quarters
 * are measured: a typical one (the visits spread evenly) and a hot one holding
 * BENCH_STATS_HOT_SHARE of all visits (default 10 %: 200,000 visits in one office's quarter).
 * Each is computed cold once, then BENCH_STATS_RUNS times; the median must stay under the
 * target (300 ms). The figures are checked against counts taken straight from the tables.
 *
 * Environment: BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306, loopback only), BENCH_STATS_VISITS
 * (2000000), BENCH_STATS_OFFICES (20), BENCH_STATS_HOT_SHARE (0.1), BENCH_STATS_RUNS (5),
 * BENCH_STATS_KEEP=1 (reuse the filled database when it holds the same number of visits; pending
 * migrations run on it), BENCH_STATS_DATABASE (huifang_bench_stats).
 * Exit code 1 when a median misses the target or a check fails.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createConnection, Connection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { Office } from '../entities';
import { openDatabase } from '../src/db/data-source';
import { teamKeyOf } from '../src/db/team-key';
import { recountTallies } from '../src/db/visit-tallies';
import { recountQuotas } from '../src/db/sampling-quotas';
import { parseDbUrl } from '../src/db/db-url';
import { QuarterlyStatsService } from '../src/reports/quarterly-stats.service';

const TARGET_MS = 300;
const QUARTERS = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
const QUARTER_START_UTC = QUARTERS.map((q) => Date.UTC(Number(q.slice(0, 4)), (Number(q.slice(6)) - 1) * 3, 1) - 8 * 3_600_000);
const KINDS: [string, number][] = [
  ['repair', 0.45],
  ['complaint', 0.15],
  ['help', 0.15],
  ['activity', 0.1],
  ['special_service', 0.05],
  ['emergency', 0.05],
  ['other', 0.05],
];
const BATCH = 4_000;

export interface QuarterlyStatsBenchSettings {
  mysqlUrl: string;
  visits: number;
  offices: number;
  hotShare: number;
  runs: number;
  keep: boolean;
  database: string;
}

export interface QuarterlyStatsBenchResult {
  label: string;
  visits: number;
  coldMs: number;
  medianMs: number;
  maxMs: number;
  ok: boolean;
}

export function readQuarterlyStatsBenchSettings(env: NodeJS.ProcessEnv): QuarterlyStatsBenchSettings {
  const number = (name: string, fallback: number, ok: (n: number) => boolean): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!ok(n)) throw new Error(`${name}: "${raw}" is out of range`);
    return n;
  };
  const mysqlUrl = (env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
  const host = new URL(mysqlUrl.replace(/^mariadb:/, 'mysql:')).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`BENCH_MYSQL_URL: the benchmark runs on loopback only (got host ${host})`);
  }
  return {
    mysqlUrl,
    visits: number('BENCH_STATS_VISITS', 2_000_000, (n) => Number.isInteger(n) && n >= 10_000),
    offices: number('BENCH_STATS_OFFICES', 20, (n) => Number.isInteger(n) && n >= 2),
    hotShare: number('BENCH_STATS_HOT_SHARE', 0.1, (n) => n >= 0 && n < 1),
    runs: number('BENCH_STATS_RUNS', 5, (n) => Number.isInteger(n) && n >= 1),
    keep: env.BENCH_STATS_KEEP === '1',
    database: databaseName(env.BENCH_STATS_DATABASE),
  };
}

function databaseName(raw: string | undefined): string {
  const name = raw?.trim() || 'huifang_bench_stats';
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error(`BENCH_STATS_DATABASE: "${raw}" is not a plain database name`);
  return name;
}

/** A small deterministic generator, so every run builds the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Satisfaction as offices see it: mostly 4–5, one in ten at 2 or below (unqualified). */
function satisfactionOf(r: number): number {
  return r < 0.45 ? 5 : r < 0.75 ? 4 : r < 0.9 ? 3 : r < 0.96 ? 2 : 1;
}

const officeId = (i: number) => `bench-${String(i).padStart(2, '0')}`;
const sql = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

/** One generated work order with its visit (or none, when not sampled). */
interface Generated {
  office: number;
  quarter: number;
  kind: string;
  completed: number;
}

/**
 * Fills the database the way production fills it: in time order (ids grow with the
 * completion time, every office interleaved), so an office-quarter's rows are spread over
 * that quarter's stretch of each table, not over the whole of it.
 *
 * Loading: the secondary indexes the migrations made on the three big tables are dropped
 * first and rebuilt after the load with exactly the same columns (a sorted index build, as
 * for any bulk load), then the tables are analysed.
 */
async function fill(connection: Connection, settings: QuarterlyStatsBenchSettings, log: (line: string) => void): Promise<void> {
  const rand = random(20261126);
  const hotVisits = Math.floor(settings.visits * settings.hotShare);
  const perQuarter = Math.floor((settings.visits - hotVisits) / QUARTERS.length);
  const started = performance.now();
  const now = sql(new Date('2027-01-05T02:00:00Z'));

  const offices = Array.from({ length: settings.offices }, (_, i) => [officeId(i), `基准测试管理处 ${i}`, 'Asia/Shanghai', 'wecom', null, null, now, now]);
  await connection.query('INSERT INTO offices (id, name, timeZone, channel, rateTargets, policy, createdAt, updatedAt) VALUES ?', [offices]);
  const staff = [];
  for (let o = 0; o < settings.offices; o++) {
    for (let s = 0; s < 12; s++) {
      const role = s === 0 ? 'supervisor' : s === 1 ? 'manager' : s === 2 ? 'dept_head' : 'specialist';
      staff.push([officeId(o), `s${s}`, `员工${s}`, JSON.stringify([role]), 'engineering', `u${o}_${s}`, null, 1, now]);
    }
  }
  await connection.query('INSERT INTO staff (officeId, id, name, roles, department, wecomUserId, dingtalkUserId, active, updatedAt) VALUES ?', [staff]);

  const rebuild = await dropSecondaryIndexes(connection, ['visits', 'work_orders', 'visit_assignees']);
  let visitId = 0;
  let n = 0;
  for (let q = 0; q < QUARTERS.length; q++) {
    // The hot office-quarter (office 0, the last quarter) gets its share on top of its quarter.
    const count = perQuarter + (q === QUARTERS.length - 1 ? settings.visits - perQuarter * QUARTERS.length : 0);
    const hotHere = q === QUARTERS.length - 1 ? hotVisits : 0;
    const rows: Generated[] = [];
    for (let i = 0; i < count; i++) {
      let pick = rand();
      let kind = KINDS[KINDS.length - 1][0];
      for (const [k, share] of KINDS) {
        if (pick < share) {
          kind = k;
          break;
        }
        pick -= share;
      }
      const office = i < hotHere ? 0 : 1 + Math.floor(rand() * (settings.offices - 1));
      rows.push({ office, quarter: q, kind, completed: QUARTER_START_UTC[q] + Math.floor(rand() * 89 * 86_400_000) });
    }
    rows.sort((a, b) => a.completed - b.completed);

    for (let from = 0; from < rows.length; from += BATCH) {
      const orders: unknown[][] = [];
      const visits: unknown[][] = [];
      const assignees: unknown[][] = [];
      for (const row of rows.slice(from, from + BATCH)) {
        const office = officeId(row.office);
        const completed = new Date(row.completed);
        // Units grow with the office: the hot office is a big estate, not 3,000 flats visited 60 times a quarter.
        const unitId = `U-${Math.floor(rand() * (row.office === 0 ? 40_000 : 3_000))}`;
        const matterKey = `m-${Math.floor(rand() * 12)}`;
        const id = `W-${n}`;
        const severity = row.kind === 'complaint' ? (rand() < 0.1 ? 'major' : 'general') : null;
        const received = sql(new Date(row.completed - 86_400_000));
        const order = (orderId: string, sampling: string) => [
          orderId, office, row.kind, severity, severity ? 'engineering' : null, matterKey, '基准工单', unitId, null, 'completed', received,
          sql(completed), QUARTERS[row.quarter], 1, sampling, sampling === 'selected' ? 'quota' : 'quota_met', sql(completed), `e-${orderId}`, sql(completed), sql(completed),
        ];
        orders.push(order(id, 'selected'));
        if (rand() < 0.1) orders.push(order(`${id}-ns`, 'not_sampled'));

        visitId += 1;
        const closes = new Date(row.completed + 7 * 86_400_000);
        const fate = rand();
        const recorded = fate < 0.8;
        const cancelled = fate >= 0.95;
        const late = recorded && rand() < 0.1;
        const recordedAt = recorded ? new Date(late ? closes.getTime() + 86_400_000 : row.completed + 86_400_000) : null;
        const satisfaction = recorded ? satisfactionOf(rand()) : null;
        const verdict = recorded ? (satisfaction! <= 2 ? 'unqualified' : 'ok') : null;
        const status = cancelled ? 'cancelled' : recorded ? (verdict === 'unqualified' ? 'unqualified' : 'recorded') : 'overdue';
        const specialist = `s${3 + Math.floor(rand() * 9)}`;
        const team = row.kind === 'complaint' && severity === 'general' ? [specialist, 's2'] : [specialist];
        visits.push([
          visitId, office, id, 1, row.kind, 'main', 1, teamKeyOf(team), status, QUARTERS[row.quarter], sql(completed), sql(closes), unitId, 'card', recorded ? 'phone' : null,
          satisfaction, satisfaction, satisfaction, recordedAt ? sql(recordedAt) : null, recorded ? specialist : null, late ? 1 : 0, verdict, sql(completed), sql(completed),
        ]);
        for (const staffId of team) assignees.push([visitId, staffId, office, staffId === 's2' ? 'dept_head' : 'specialist']);
        n += 1;
        if (n % 250_000 === 0) log(`  … ${n.toLocaleString('en')} visits (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
      await connection.query(
        'INSERT INTO work_orders (id, officeId, kind, severity, department, matterKey, title, unitId, residentId, state, receivedAt, completedAt, quarter, completions, sampling, samplingReason, lastEventAt, lastEventId, createdAt, updatedAt) VALUES ?',
        [orders],
      );
      await connection.query(
        'INSERT INTO visits (id, officeId, workOrderId, generation, kind, purpose, countsForRate, teamKey, status, quarter, opensAt, closesAt, unitId, residentRoute, method, quality, effect, satisfaction, recordedAt, recordedBy, late, verdict, createdAt, updatedAt) VALUES ?',
        [visits],
      );
      await connection.query('INSERT INTO visit_assignees (visitId, staffId, officeId, role) VALUES ?', [assignees]);
    }
  }
  log(`  rows in ${((performance.now() - started) / 1000).toFixed(1)} s; rebuilding the indexes …`);
  await rebuild();
  await connection.query('ANALYZE TABLE visits, work_orders, visit_assignees');
  log(`  filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Drops the tables' secondary indexes; the returned function recreates them exactly. */
async function dropSecondaryIndexes(connection: Connection, tables: string[]): Promise<() => Promise<void>> {
  const definitions: { table: string; name: string; unique: boolean; columns: string[] }[] = [];
  for (const table of tables) {
    const [rows] = await connection.query(`SHOW INDEX FROM \`${table}\``);
    for (const row of rows as { Key_name: string; Non_unique: number; Seq_in_index: number; Column_name: string }[]) {
      if (row.Key_name === 'PRIMARY') continue;
      let index = definitions.find((d) => d.table === table && d.name === row.Key_name);
      if (!index) definitions.push((index = { table, name: row.Key_name, unique: Number(row.Non_unique) === 0, columns: [] }));
      index.columns[row.Seq_in_index - 1] = row.Column_name;
    }
  }
  for (const table of tables) {
    const mine = definitions.filter((d) => d.table === table);
    if (mine.length) await connection.query(`ALTER TABLE \`${table}\` ${mine.map((d) => `DROP INDEX \`${d.name}\``).join(', ')}`);
  }
  return async () => {
    for (const table of tables) {
      const mine = definitions.filter((d) => d.table === table);
      if (mine.length === 0) continue;
      const adds = mine.map((d) => `ADD ${d.unique ? 'UNIQUE ' : ''}INDEX \`${d.name}\` (${d.columns.map((c) => `\`${c}\``).join(', ')})`);
      await connection.query(`ALTER TABLE \`${table}\` ${adds.join(', ')}`);
    }
  };
}

/** Counts taken straight from the tables, to check the service's figures. */
async function check(
  connection: Connection,
  office: string,
  quarter: string,
  asOf: Date,
  figures: Awaited<ReturnType<QuarterlyStatsService['compute']>>,
): Promise<string[]> {
  const [[visits]] = (await connection.query(
    `SELECT COUNT(*) AS assigned, SUM(recordedAt <= ?) AS done, SUM(verdict = 'unqualified' AND recordedAt <= ?) AS unqualified
       FROM visits WHERE officeId = ? AND quarter = ? AND status <> 'cancelled'`,
    [sql(asOf), sql(asOf), office, quarter],
  )) as unknown as [[{ assigned: number; done: string; unqualified: string }]];
  const [[orders]] = (await connection.query(`SELECT COUNT(*) AS eligible FROM work_orders WHERE officeId = ? AND quarter = ?`, [office, quarter])) as unknown as [
    [{ eligible: number }],
  ];
  const problems: string[] = [];
  const sum = (key: 'eligible' | 'done') => figures.kinds.reduce((total, k) => total + k[key], 0);
  if (sum('eligible') !== Number(orders.eligible)) problems.push(`eligible ${sum('eligible')} ≠ ${orders.eligible}`);
  if (sum('done') !== Number(visits.done)) problems.push(`done ${sum('done')} ≠ ${visits.done}`);
  if (figures.unqualified.length !== Number(visits.unqualified)) problems.push(`unqualified ${figures.unqualified.length} ≠ ${visits.unqualified}`);
  const specialists = figures.staff.filter((s) => s.staffId !== 's2').reduce((total, s) => total + s.assigned, 0);
  if (specialists !== Number(visits.assigned)) problems.push(`visits assigned to specialists ${specialists} ≠ ${visits.assigned}`);
  return problems;
}

export async function runQuarterlyStatsBench(
  settings: QuarterlyStatsBenchSettings,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<{ results: QuarterlyStatsBenchResult[]; problems: string[] }> {
  const database = settings.database;
  const admin = await createConnection({ uri: settings.mysqlUrl, connectTimeout: 5_000 });
  let reuse = false;
  if (settings.keep) {
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'visits'`, [database]);
    if (Number((rows as { n: number }[])[0].n) === 1) {
      const [count] = await admin.query(`SELECT COUNT(*) AS n FROM \`${database}\`.visits`);
      reuse = Number((count as { n: number }[])[0].n) === settings.visits;
    }
  }
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  await admin.end();

  const url = `${settings.mysqlUrl}/${database}`;
  const dataSource: DataSource = await openDatabase(parseDbUrl(url)!, { poolSize: 6 });
  const connection = await createConnection({ uri: url, connectTimeout: 5_000 });
  try {
    if (!reuse) {
      log(`filling ${settings.visits.toLocaleString('en')} visits over ${settings.offices} offices and ${QUARTERS.length} quarters …`);
      await fill(connection, settings, log);
      // Rows written straight into the tables: their kept counts are counted once, as after an import.
      await dataSource.transaction(async (manager) => {
        await recountTallies(manager);
        await recountQuotas(manager);
      });
    } else {
      log('reusing the filled database (BENCH_STATS_KEEP=1)');
    }
    const stats = new QuarterlyStatsService({ dataSource, defaultTimeZone: 'Asia/Shanghai' });
    // The archive day (the 10th, docs/rules.md §6): every record of the quarter is in by then.
    const asOf = new Date('2027-01-10T02:00:00Z');
    const results: QuarterlyStatsBenchResult[] = [];
    const problems: string[] = [];
    const cases = [
      { label: 'typical office-quarter', office: officeId(1), quarter: '2026-Q4' },
      { label: 'hot office-quarter', office: officeId(0), quarter: '2026-Q4' },
    ];
    for (const c of cases) {
      const office = await dataSource.manager.findOneByOrFail(Office, { id: c.office });
      const [[size]] = (await connection.query(`SELECT COUNT(*) AS n FROM visits WHERE officeId = ? AND quarter = ?`, [c.office, c.quarter])) as unknown as [[{ n: number }]];
      const timed = async () => {
        const t = performance.now();
        const figures = await stats.compute(office, c.quarter, asOf);
        return { ms: performance.now() - t, figures };
      };
      const cold = await timed();
      const times: number[] = [];
      for (let i = 0; i < settings.runs; i++) times.push((await timed()).ms);
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      const result = { label: c.label, visits: Number(size.n), coldMs: cold.ms, medianMs: median, maxMs: times[times.length - 1], ok: median < TARGET_MS };
      results.push(result);
      problems.push(...(await check(connection, c.office, c.quarter, asOf, cold.figures)).map((p) => `${c.label}: ${p}`));
      log(
        `${c.label.padEnd(24)} ${String(result.visits.toLocaleString('en')).padStart(9)} visits   cold ${cold.ms.toFixed(0).padStart(5)} ms   ` +
          `median ${median.toFixed(0).padStart(5)} ms   max ${result.maxMs.toFixed(0).padStart(5)} ms   target < ${TARGET_MS} ms  ${result.ok ? 'ok' : 'MISSED'}`,
      );
    }
    return { results, problems };
  } finally {
    await connection.end();
    await dataSource.destroy();
  }
}

if (require.main === module) {
  runQuarterlyStatsBench(readQuarterlyStatsBenchSettings(process.env))
    .then(({ results, problems }) => {
      for (const p of problems) process.stdout.write(`check failed: ${p}\n`);
      process.exitCode = problems.length === 0 && results.every((r) => r.ok) ? 0 : 1;
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
