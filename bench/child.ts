import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';

/**
 * The side of a server under test: each one runs in its own process (bench/run.ts forks it),
 * so the load generator does not share its event loop and its RSS is its own. The parent and
 * the child talk over the fork IPC channel.
 */

export interface ServerStats {
  /** Statements sent to the database since the last reset, by kind and table. */
  byKind: Record<string, number>;
  /** Wall time (ms) from sending each statement to its answer, summed by kind. */
  msByKind: Record<string, number>;
  total: number;
  /** Waits for a pooled connection (MySQL only): how many, and their summed ms. */
  poolAcquires: number;
  poolWaitMs: number;
  /** Length of the window (ms) these figures cover. */
  windowMs: number;
  /** Event-loop utilisation 0–1 of the server's main thread, and its CPU time (ms). */
  eventLoopUtilization: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** V8 heap at the end of the window (MB): what the RSS is made of, beside code and buffers. */
  heapUsedMb: number;
  heapTotalMb: number;
}

export type ToChild = { type: 'stop' } | { type: 'reset-stats' } | { type: 'get-stats' };
export type FromChild =
  | { type: 'ready'; port: number }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'failed'; message: string };

export interface ServerUnderTest {
  port: number;
  close(): Promise<void>;
  counter: QueryCounter;
}

function send(message: FromChild): void {
  process.send?.(message);
}

/** Starts the server and serves the parent's requests until it says stop (or goes away). */
export function serveUnderTest(start: () => Promise<ServerUnderTest>): void {
  if (!process.send) {
    process.stderr.write('this file is started by bench/run.ts (npm run bench), not directly\n');
    process.exit(2);
  }
  const profileFile = process.env.BENCH_PROFILE_FILE;
  const profiler = profileFile ? windowProfiler(profileFile) : null;
  // The parent died or closed the channel: never linger as an orphan holding a port.
  process.on('disconnect', () => process.exit(0));
  start().then(
    (server) => {
      process.on('message', (message: ToChild) => {
        if (message.type === 'reset-stats') {
          server.counter.reset();
          profiler?.start();
        } else if (message.type === 'get-stats') {
          const stats = server.counter.snapshot();
          void (profiler ? profiler.stop() : Promise.resolve()).then(() => send({ type: 'stats', stats }));
        }
        else if (message.type === 'stop') {
          // Close the server and the pool, then exit normally.
          const force = setTimeout(() => process.exit(0), 5_000);
          force.unref();
          server.close().finally(() => process.exit(0));
        }
      });
      send({ type: 'ready', port: server.port });
    },
    (err: unknown) => {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      send({ type: 'failed', message });
      setTimeout(() => process.exit(1), 100);
    },
  );
}

/**
 * A CPU profile of the measured window only (not start-up or warm-up): started on
 * `reset-stats`, stopped and written to `file` (a .cpuprofile) on `get-stats`.
 */
function windowProfiler(file: string): { start(): void; stop(): Promise<void> } {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  let running: Promise<unknown> | null = null;
  return {
    start() {
      running = post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 500 }))
        .then(() => post('Profiler.start'));
    },
    async stop() {
      if (!running) return;
      await running;
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      running = null;
    },
  };
}

/** Classifies a SQL statement as e.g. `SELECT sampling_quotas FOR UPDATE` or `INSERT visits`. */
export function statementKind(sql: string): string {
  const known = kinds.get(sql);
  if (known !== undefined) return known;
  const kind = classify(sql);
  if (kinds.size < 10_000) kinds.set(sql, kind);
  return kind;
}

/** TypeORM sends the same text for the same statement (values are parameters): cache. */
const kinds = new Map<string, string>();

function classify(sql: string): string {
  const text = sql.trim();
  const verb = /^(START TRANSACTION|BEGIN(?: TRANSACTION)?|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SELECT|INSERT|UPDATE|DELETE)\b/i.exec(text)?.[1]?.toUpperCase();
  if (!verb) return text.split(/\s+/, 1)[0]?.toUpperCase() ?? '?';
  const ident = '[`"]?(\\w+)[`"]?';
  let table: string | undefined;
  if (verb === 'SELECT') table = new RegExp(`\\bFROM\\s+${ident}`, 'i').exec(text)?.[1];
  else if (verb === 'INSERT') table = new RegExp(`\\bINTO\\s+${ident}`, 'i').exec(text)?.[1];
  else if (verb === 'UPDATE') table = new RegExp(`^UPDATE\\s+${ident}`, 'i').exec(text)?.[1];
  else if (verb === 'DELETE') table = new RegExp(`\\bFROM\\s+${ident}`, 'i').exec(text)?.[1];
  const lock = /\bFOR UPDATE\b/i.test(text) ? ' FOR UPDATE' : '';
  const upsert = /\bON (DUPLICATE KEY UPDATE|CONFLICT)\b/i.test(text) ? ' (upsert)' : '';
  const count = verb === 'SELECT' && /^SELECT\s+COUNT\(/i.test(text) ? ' COUNT' : '';
  return `${verb}${count} ${table ?? ''}${lock}${upsert}`.replace(/\s+$/, '');
}

/** Counts statements, their time, pool waits, event-loop use and CPU since the last reset. */
export class QueryCounter {
  private byKind = new Map<string, number>();
  private msByKind = new Map<string, number>();
  private total = 0;
  private poolAcquires = 0;
  private poolWaitMs = 0;
  private elu = performance.eventLoopUtilization();
  private cpu = process.cpuUsage();
  private since = Date.now();

  record(sql: string): void {
    const kind = statementKind(sql);
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    this.total += 1;
  }

  recordTime(sql: string, ms: number): void {
    const kind = statementKind(sql);
    this.msByKind.set(kind, (this.msByKind.get(kind) ?? 0) + ms);
  }

  recordPoolWait(ms: number): void {
    this.poolAcquires += 1;
    this.poolWaitMs += ms;
  }

  reset(): void {
    this.byKind.clear();
    this.msByKind.clear();
    this.total = 0;
    this.poolAcquires = 0;
    this.poolWaitMs = 0;
    this.elu = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.since = Date.now();
  }

  snapshot(): ServerStats {
    const cpu = process.cpuUsage(this.cpu);
    return {
      byKind: Object.fromEntries(this.byKind),
      msByKind: Object.fromEntries(this.msByKind),
      total: this.total,
      windowMs: Date.now() - this.since,
      poolAcquires: this.poolAcquires,
      poolWaitMs: this.poolWaitMs,
      eventLoopUtilization: performance.eventLoopUtilization(this.elu).utilization,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      heapUsedMb: process.memoryUsage().heapUsed / 1048576,
      heapTotalMb: process.memoryUsage().heapTotal / 1048576,
    };
  }
}
