import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { Connection } from 'mysql2/promise';
import { SATISFACTION_KEYS } from '../cards/resident-satisfaction.card';
import { FakeDelivery, FakeWecom, startFakeWecom } from '../src/sandbox/fake-wecom.server';
import { BENCH_ADMIN_TOKEN, BENCH_OFFICE, BENCH_WEBHOOK_SECRET, signedWebhookCall, WEBHOOK_PATH } from './events';
import { ServerChild } from './server-child';

/**
 * The taps scenario of `npm run bench` (alone: `npm run bench -- taps`): residents answering
 * the staged survey (ratings → shortcomings → 确认) in WeCom as fast as the cards arrive.
 *
 * Two app instances (child processes, schedules on, as in production) share one MariaDB
 * database; the fake WeCom runs here, answering every call in 20–80 ms. Household repairs of
 * BENCH_TAPS_RESIDENTS residents (500) are completed through the signed webhook, the
 * reminders job asks them, and the dispatch schedule sends the first cards at its own pace.
 * Each resident taps each card the moment it arrives, through an encrypted callback to one of
 * the two instances (by resident). Measured here, on one clock: tap → next card and tap →
 * card update (the moment the fake acts on the send), and the callback's own answer time.
 * Checked: every resident got each card and each update exactly once, and every visit is
 * recorded with the resident's confirmation.
 *
 * Environment: BENCH_TAPS_RESIDENTS (500), BENCH_TAPS_LATENCY_MS (20-80), BENCH_TAPS_TIMEOUT_S
 * (600: the longest the run waits; first cards queued at :00 or :30 leave 1–4 minutes later),
 * BENCH_TAPS_DEBUG=1 (print the servers' last log lines).
 */

export const TAPS_TARGETS = { nextCardP95Ms: 1_000, nextCardP99Ms: 2_000, callbackP99Ms: 200 };

export interface TapsBenchSettings {
  mysqlUrl: string;
  residents: number;
  latency: { min: number; max: number };
  timeoutSeconds: number;
}

export function readTapsBenchSettings(env: NodeJS.ProcessEnv, mysqlUrl: string): TapsBenchSettings {
  const residents = Number(env.BENCH_TAPS_RESIDENTS ?? 500);
  if (!Number.isInteger(residents) || residents < 1) throw new Error(`BENCH_TAPS_RESIDENTS: "${env.BENCH_TAPS_RESIDENTS}" must be a whole number ≥ 1`);
  const [min, max] = (env.BENCH_TAPS_LATENCY_MS ?? '20-80').split('-').map(Number);
  if (!(min >= 0 && max >= min)) throw new Error(`BENCH_TAPS_LATENCY_MS: "${env.BENCH_TAPS_LATENCY_MS}" must be like 20-80`);
  const timeoutSeconds = Number(env.BENCH_TAPS_TIMEOUT_S ?? 600);
  return { mysqlUrl, residents, latency: { min, max }, timeoutSeconds };
}

type Step = 'ratings' | 'shortcomings' | 'confirm';

/** What each step's card carries (its submit key) and what the resident answers on it. */
const STEPS: { step: Step; key: string; selections: Record<string, string[]> }[] = [
  { step: 'ratings', key: SATISFACTION_KEYS.ratingsSubmit, selections: { [SATISFACTION_KEYS.quality]: ['5'], [SATISFACTION_KEYS.effect]: ['5'], [SATISFACTION_KEYS.satisfaction]: ['5'] } },
  { step: 'shortcomings', key: SATISFACTION_KEYS.shortcomingsSubmit, selections: { [SATISFACTION_KEYS.shortcomings]: ['none'] } },
  { step: 'confirm', key: SATISFACTION_KEYS.confirm, selections: { [SATISFACTION_KEYS.solved]: ['yes'] } },
];

interface Tap {
  step: number;
  taskId: string;
  at: number;
  answeredMs?: number;
  status?: number;
  nextCardMs?: number;
  updateMs?: number;
}

interface ResidentRun {
  index: number;
  userId: string;
  cards: string[];
  updates: string[];
  taps: Tap[];
}

export interface TapsBenchResult {
  nextCard: number[];
  cardUpdate: number[];
  callback: number[];
  lost: number;
  duplicated: number;
  problems: string[];
  wallSeconds: number;
  pass: boolean;
}

const RESIDENT_PREFIX = 'bench-r-';

/** Runs the scenario once and prints its figures; `cleanup` gathers what an interrupt must undo. */
export async function runTapsBench(settings: TapsBenchSettings, admin: Connection, tag: string, cleanup: Array<() => Promise<unknown>>): Promise<TapsBenchResult> {
  const database = `hf_bench_${tag}_taps`;
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  cleanup.push(() => admin.query(`DROP DATABASE IF EXISTS \`${database}\``));
  const fake = await startFakeWecom({ openDirectory: true, latencyMs: settings.latency });
  cleanup.push(() => fake.close());
  const env = {
    BENCH_DB_URL: `${settings.mysqlUrl}/${database}`,
    BENCH_SECRET: BENCH_WEBHOOK_SECRET,
    BENCH_ADMIN_TOKEN,
    WECOM_CORP_ID: fake.corpId,
    WECOM_CORP_SECRET: fake.corpSecret,
    WECOM_AGENT_ID: String(fake.agentId),
    WECOM_TOKEN: fake.token,
    WECOM_ENCODING_AES_KEY: fake.encodingAesKey,
    WECOM_API_BASE: fake.baseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  // The first instance migrates the database; the second starts on it.
  const a = await ServerChild.start('app-server', env);
  cleanup.push(() => a.kill());
  const b = await ServerChild.start('app-server', env);
  cleanup.push(() => b.kill());
  const instances = [a, b];
  try {
    await setUp(a, settings.residents, tag);
    const residents = Array.from({ length: settings.residents }, (_, index): ResidentRun => ({ index, userId: `${RESIDENT_PREFIX}${index}`, cards: [], updates: [], taps: [] }));
    const byUser = new Map(residents.map((r) => [r.userId.toLowerCase(), r]));
    for (const instance of instances) instance.send({ type: 'reset-stats' });
    const loadBefore = loadavg()[0];
    const started = performance.now();
    const finished = watchResidents(fake, byUser, instances, settings.timeoutSeconds * 1000);
    const asked = await adminCall(a, 'POST', '/api/jobs/reminders/run');
    if (asked.result?.residentsAsked !== settings.residents) throw new Error(`the reminders job asked ${asked.result?.residentsAsked} residents, not ${settings.residents}`);
    const timedOut = !(await finished);
    const wallSeconds = (performance.now() - started) / 1000;
    const stats = await Promise.all(instances.map((i) => i.stats()));
    process.stdout.write(
      `\n  app instances: ${stats.map((st) => `${((st.cpuUserMs + st.cpuSystemMs) / 1000).toFixed(1)} s CPU (event loop ${(st.eventLoopUtilization * 100).toFixed(0)} % busy), ${st.total} SQL statements`).join('; ')}\n` +
        `  machine load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end, on ${cpus().length} cores\n`,
    );
    return report(settings, residents, fake, await visitsConfirmed(admin, database), timedOut, wallSeconds, instances);
  } finally {
    if (process.env.BENCH_TAPS_DEBUG) for (const i of instances) process.stdout.write(i.logTail() + '\n');
    await Promise.all(instances.map((i) => i.stop()));
    await fake.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  }
}

/** The office (every household repair visited) and one completed household repair per resident. */
async function setUp(a: ServerChild, residents: number, tag: string): Promise<void> {
  const office = await adminCall(a, 'PUT', '/api/offices/office-1', {
    ...BENCH_OFFICE,
    rateTargets: { ...BENCH_OFFICE.rateTargets, repair: 1 },
    policy: { quietHours: quietHoursAwayFrom(new Date(), BENCH_OFFICE.timeZone) },
  });
  if (office.status !== 201 && office.status !== 200) throw new Error(`PUT office answered ${office.status}`);
  const completedAt = new Date(Date.now() - 60_000).toISOString();
  let next = 0;
  const worker = async () => {
    while (next < residents) {
      const i = next++;
      const call = signedWebhookCall(BENCH_WEBHOOK_SECRET, {
        eventId: `evt-taps-${tag}-${i}`,
        type: 'work_order.completed',
        occurredAt: completedAt,
        workOrder: {
          id: `WO-TAPS-${tag}-${String(i).padStart(6, '0')}`,
          officeId: 'office-1',
          kind: 'repair',
          severity: null,
          department: null,
          matterKey: 'kitchen-tap',
          title: '厨房水龙头漏水',
          unitId: `B${1 + (i % 20)}-${String(100 + Math.floor(i / 20)).padStart(4, '0')}`,
          resident: { id: `R-T${i}`, name: '业主', phone: `139${String(10_000_000 + i).slice(-8)}`, wecomUserId: `${RESIDENT_PREFIX}${i}`, wecomExternalUserId: null, dingtalkUserId: null },
          completedAt,
          contract: null,
        },
      });
      const res = await fetch(`${a.url}${WEBHOOK_PATH}`, { method: 'POST', body: call.body, headers: call.headers });
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

/**
 * Quiet hours of one hour, twelve hours away from `now` in the office's zone: cards are held
 * through quiet hours (21:00–08:00 by default), and the scenario measures taps, so it must run
 * the same at any time of day (at 00:40 in Shanghai every card waited for the morning).
 */
function quietHoursAwayFrom(now: Date, zone: string): { from: string; to: string } {
  const from = DateTime.fromJSDate(now, { zone }).plus({ hours: 12 }).startOf('hour');
  return { from: from.toFormat('HH:mm'), to: from.plus({ hours: 1 }).toFormat('HH:mm') };
}

/**
 * Plays every resident: a card arrives → it is tapped at once (the callback to the resident's
 * instance). Resolves true when each resident has tapped all three cards and seen each tap's
 * follow-ups, false when `timeoutMs` passes first.
 */
function watchResidents(fake: FakeWecom, byUser: Map<string, ResidentRun>, instances: ServerChild[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = new Set<number>();
    let stop = () => {};
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      stop();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const check = (r: ResidentRun) => {
      const complete = r.taps.length === STEPS.length && r.taps.every((t) => t.updateMs !== undefined && t.answeredMs !== undefined && (t.step === STEPS.length - 1 || t.nextCardMs !== undefined));
      if (complete) done.add(r.index);
      if (done.size === byUser.size) finish(true);
    };
    const tap = async (r: ResidentRun, step: number, taskId: string) => {
      const callback = fake.cardTap({ userId: r.userId, taskId, eventKey: STEPS[step].key, selections: STEPS[step].selections });
      const t: Tap = { step, taskId, at: performance.now() };
      r.taps.push(t);
      try {
        const res = await fake.postCallback(`${instances[r.index % instances.length].url}/callbacks/wecom`, callback);
        await res.arrayBuffer();
        t.status = res.status;
      } catch {
        t.status = 0;
      }
      t.answeredMs = performance.now() - t.at;
      check(r);
    };
    stop = fake.watch((d: FakeDelivery) => {
      const now = performance.now();
      const user = (d.kind === 'message' ? d.message.userId : d.update.userId).toLowerCase();
      const r = byUser.get(user);
      if (!r) return;
      if (d.kind === 'update') {
        r.updates.push(d.update.taskId);
        const t = r.taps.find((x) => x.taskId === d.update.taskId);
        if (t && t.updateMs === undefined) t.updateMs = now - t.at;
        check(r);
        return;
      }
      const taskId = d.message.taskId;
      if (!taskId) return;
      r.cards.push(taskId);
      const text = JSON.stringify(d.message.content);
      const step = STEPS.findIndex((s) => text.includes(`"${s.key}"`));
      if (step < 0) return;
      const previous = r.taps.find((x) => x.step === step - 1);
      if (previous && previous.nextCardMs === undefined) previous.nextCardMs = now - previous.at;
      // As fast as the card arrives: the resident taps it now (once per step).
      if (!r.taps.some((x) => x.step === step)) setImmediate(() => void tap(r, step, taskId));
    });
  });
}

async function adminCall(server: ServerChild, method: string, path: string, body?: unknown): Promise<{ status: number; result?: Record<string, number> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as { result?: Record<string, number> }) : {};
  return { status: res.status, result: parsed.result };
}

async function visitsConfirmed(admin: Connection, database: string): Promise<number> {
  const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${database}\`.visits WHERE recordedAt IS NOT NULL AND residentConfirmedAt IS NOT NULL`);
  return Number((rows as Array<{ n: number | string }>)[0].n);
}

/** The p-th percentile (nearest rank) of `values`, in ms. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function report(
  settings: TapsBenchSettings,
  residents: ResidentRun[],
  fake: FakeWecom,
  confirmed: number,
  timedOut: boolean,
  wallSeconds: number,
  instances: ServerChild[],
): TapsBenchResult {
  const taps = residents.flatMap((r) => r.taps);
  const nextCard = taps.filter((t) => t.nextCardMs !== undefined).map((t) => t.nextCardMs!);
  const cardUpdate = taps.filter((t) => t.updateMs !== undefined).map((t) => t.updateMs!);
  const callback = taps.filter((t) => t.answeredMs !== undefined).map((t) => t.answeredMs!);
  const problems: string[] = [];
  const lost = residents.filter((r) => new Set(r.cards).size < STEPS.length || new Set(r.updates).size < STEPS.length).length;
  const duplicated = residents.filter((r) => r.cards.length !== new Set(r.cards).size || r.updates.length !== new Set(r.updates).size || r.cards.length > STEPS.length).length;
  if (timedOut) problems.push(`timed out after ${settings.timeoutSeconds} s with ${residents.length - lost} of ${residents.length} residents done`);
  if (confirmed !== residents.length) problems.push(`${confirmed} of ${residents.length} visits recorded and confirmed`);
  const refused = taps.filter((t) => t.status !== 200).length;
  if (refused > 0) problems.push(`${refused} callbacks not answered 200`);
  if (fake.deduplicated() > 0) problems.push(`${fake.deduplicated()} sends repeated (caught by WeCom's duplicate check)`);
  if (fake.dropped() > 0) problems.push(`${fake.dropped()} messages dropped by WeCom's per-member limit`);
  if (fake.unexpected.length > 0) problems.push(`${fake.unexpected.length} unexpected calls to WeCom, e.g. ${fake.unexpected[0].why}`);
  for (const instance of instances) for (const line of instance.errorLines()) problems.push(`server error: ${line.slice(0, 300)}`);

  const ms = (v: number) => (Number.isNaN(v) ? '—' : `${Math.round(v)} ms`);
  const row = (label: string, values: number[], target: string) =>
    `  ${label.padEnd(20)} p50 ${ms(percentile(values, 0.5)).padStart(8)}   p95 ${ms(percentile(values, 0.95)).padStart(8)}   p99 ${ms(percentile(values, 0.99)).padStart(8)}   max ${ms(percentile(values, 1)).padStart(8)}   n=${values.length}${target}`;
  const pass =
    problems.length === 0 &&
    lost === 0 &&
    duplicated === 0 &&
    percentile(nextCard, 0.95) < TAPS_TARGETS.nextCardP95Ms &&
    percentile(nextCard, 0.99) < TAPS_TARGETS.nextCardP99Ms &&
    percentile(callback, 0.99) < TAPS_TARGETS.callbackP99Ms;
  process.stdout.write(
    `\n● Taps — ${residents.length} residents on MariaDB, two app instances, fake WeCom answering in ${settings.latency.min}–${settings.latency.max} ms (${wallSeconds.toFixed(1)} s)\n` +
      `${row('tap → next card', nextCard, `   target p95 < ${TAPS_TARGETS.nextCardP95Ms} ms, p99 < ${TAPS_TARGETS.nextCardP99Ms} ms`)}\n` +
      `${row('tap → card update', cardUpdate, '')}\n` +
      `${row('callback answered', callback, `   target p99 < ${TAPS_TARGETS.callbackP99Ms} ms`)}\n` +
      `  lost ${lost}, duplicated ${duplicated}; visits recorded and confirmed ${confirmed}/${residents.length}\n` +
      (problems.length ? `  problems:\n${problems.map((p) => `    - ${p}`).join('\n')}\n` : '') +
      `  ${pass ? 'PASS' : 'FAIL'}\n`,
  );
  return { nextCard, cardUpdate, callback, lost, duplicated, problems, wallSeconds, pass };
}
