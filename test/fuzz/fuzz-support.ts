import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ENTITIES } from '../../entities';
import { ADMIN_TOKEN, OFFICE_1, startTestApp, TestApp, WEBHOOK_SECRET } from '../support/app';
import { ServerOverrides } from '../../src/server';

/*
 * The fuzz suite's common ground: a real server on loopback over the test database, its log
 * captured, fast-check with a fixed seed. `npm test` runs a bounded number of cases per
 * property; FUZZ_RUNS=5000 (and FUZZ_SEED=…) runs more, or others.
 */

/** The seed of the default run: the same cases every time, so a failure reproduces. */
const DEFAULT_SEED = 20_261_203;

/** fast-check's parameters for one property: `runs` cases by default, FUZZ_RUNS when set. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    seed: Number.isSafeInteger(seed) ? seed : DEFAULT_SEED,
    numRuns: Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : runs,
    // A failing case is shrunk only a little: each try is an HTTP round trip.
    endOnFailure: process.env.FUZZ_SHRINK !== '1',
  };
}

/** How long a fuzz test may take: the default run stays well under a minute in all. */
export const FUZZ_TIMEOUT_MS = Number(process.env.FUZZ_RUNS) > 0 ? 3_600_000 : 60_000;


export interface FuzzApp {
  app: TestApp;
  /** Every line the server logged since the last `clearLog()`. */
  logLines: string[];
  /** Secrets and tokens that must never appear in an answer or a log line. */
  secrets: string[];
  url(path: string): string;
}

/**
 * One app per test file, office-1 set up, its log captured (at debug level: everything the
 * server could write). `overrides` add callback keys and the like.
 */
export function useFuzzApp(options: { now?: string; overrides?: ServerOverrides; secrets?: string[] } = {}): FuzzApp {
  const logLines: string[] = [];
  const fuzz = { logLines, secrets: [ADMIN_TOKEN, WEBHOOK_SECRET, ...(options.secrets ?? [])], url: (path: string) => `${fuzz.app.server.url}${path}` } as FuzzApp;
  beforeAll(async () => {
    const log = pino({ level: 'debug', base: undefined }, { write: (line: string) => void logLines.push(line) });
    fuzz.app = await startTestApp({ now: options.now, overrides: { log, ...options.overrides } });
    expect((await fuzz.app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  });
  // Each property reads only what was logged while it ran.
  beforeEach(() => void (logLines.length = 0));
  afterAll(async () => fuzz.app?.close());
  return fuzz;
}

/** How many rows each table holds, once the server's background work is done. */
export async function rowCounts(app: TestApp): Promise<Record<string, number>> {
  await app.server.settled();
  const counts: Record<string, number> = {};
  for (const entity of ENTITIES) {
    const table = app.db.getMetadata(entity).tableName;
    counts[table] = Number((await app.db.query(`SELECT COUNT(*) AS n FROM ${app.db.driver.escape(table)}`))[0].n);
  }
  return counts;
}

/** A raw answer: status and text (the fuzz cases read bodies as text, JSON or not). */
export interface RawAnswer {
  status: number;
  text: string;
  headers: Headers;
}

export async function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> {
  const res = await fetch(url, { method: init.method, headers: init.headers, body: init.method === 'GET' || init.method === 'HEAD' ? undefined : init.body, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** A stack frame as Node prints it, or a source path: what an answer or a log must never show. */
const STACK_TRACE = /\n\s+at .+[(:]\d+|\bat .+\.(ts|js|mjs|cjs):\d+:\d+|node_modules[\\/]|\/src\/[\w/-]+\.ts/;

/**
 * What holds for every answer: no 5xx, no stack trace, no secret or token in it; the log has
 * neither a stack trace nor a secret nor a token (`logTokens`: those of the answer and more,
 * as a page may show its own link). `context` names the case in the failure message.
 */
export function expectSafeAnswer(fuzz: FuzzApp, answer: RawAnswer, context: string, tokens: string[] = [], logTokens: string[] = tokens): void {
  expect(answer.status, `${context} → ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expect(answer.text, context).not.toMatch(STACK_TRACE);
  for (const secret of [...fuzz.secrets, ...tokens]) expect(answer.text.includes(secret), `${context}: a secret or token in the answer`).toBe(false);
  for (const line of fuzz.logLines) {
    expect(line, `${context}: a stack trace in the log`).not.toMatch(STACK_TRACE);
    for (const secret of [...fuzz.secrets, ...logTokens]) expect(line.includes(secret), `${context}: a secret or token in the log: ${line.slice(0, 300)}`).toBe(false);
  }
}

/** A refused request (4xx) stored nothing: every table has the rows it had before. */
export async function expectNothingStoredIfRefused(app: TestApp, answer: RawAnswer, before: Record<string, number>, context: string): Promise<void> {
  if (answer.status < 400) return;
  expect(await rowCounts(app), `${context} → ${answer.status}: refused, yet rows changed`).toEqual(before);
}

/**
 * One case of a property: counts the rows, sends, checks what holds for every answer
 * (expectSafeAnswer, with its `tokens` and `logTokens`) and that a refused one stored nothing;
 * the answer, for the case's own checks.
 */
export async function probe(
  fuzz: FuzzApp,
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  context: string,
  tokens: string[] = [],
  logTokens: string[] = tokens,
): Promise<RawAnswer> {
  const before = await rowCounts(fuzz.app);
  const answer = await send(fuzz.url(path), init);
  expectSafeAnswer(fuzz, answer, context, tokens, logTokens);
  await expectNothingStoredIfRefused(fuzz.app, answer, before, context);
  return answer;
}

/** Text as attackers send it: any unicode (lone surrogates aside: fetch sends them as U+FFFD), control characters, long runs. */
export const hostileText = (maxLength = 200) =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%00', '${jndi:ldap://x}', '<script>alert(1)</script>', "' OR 1=1 --", '=HYPERLINK("http://x")', '\uFEFF', '𠀀'.repeat(40)),
    fc.string({ minLength: 60, maxLength: 300, unit: fc.constantFrom('a', '9', '-', '_', '%', '/', '.') }),
  );

/** Header values fetch can send: visible ASCII and spaces (anything else fetch refuses itself). */
export const headerValue = fc.string({ maxLength: 120, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });

/** Content types, right and wrong. */
export const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', ''),
  headerValue,
);

/** Instants as callers get them wrong: year 0 to 9999, month 0–13, day 0–32, hour 24, odd zones. */
export const isoLikeInstant = fc.oneof(
  fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-31T00:00:00Z', '2026-11-26T07:00:00Z', '+275760-09-13T00:00:00Z'),
  fc
    .tuple(
      fc.oneof(fc.constantFrom(0, 1, 1999, 2000, 2026, 2027, 9999), fc.integer({ min: 0, max: 9999 })),
      fc.oneof(fc.constantFrom(0, 2, 12, 13), fc.integer({ min: 0, max: 13 })),
      fc.oneof(fc.constantFrom(0, 1, 29, 30, 31, 32), fc.integer({ min: 0, max: 32 })),
      fc.oneof(fc.constantFrom(0, 23, 24), fc.integer({ min: 0, max: 25 })),
      fc.constantFrom('Z', '+08:00', '-12:00', '+99:00', '', '+0800'),
    )
    .map(([y, m, d, h, zone]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${h === 23 ? '59:59' : '00:00'}${zone}`),
);

/** A JSON value of any shape, with hostile strings in it. */
export const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText(80),
    isoLikeInstant,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileText(20), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A body: JSON of any shape, text that is almost JSON, or bytes. */
export const anyBody = fc.oneof(
  anyJson.map((v) => JSON.stringify(v) ?? 'null'),
  hostileText(400),
  fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom('{', '[', '{"a":', 'null', '1e999', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}'),
);

/**
 * Replaces the value at a random path of `base` (a JSON object) with a generated one, or
 * drops it: a near-valid object, which reaches deeper than random JSON.
 */
export function mutated<T extends object>(base: T): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  return fc.array(fc.tuple(fc.constantFrom(...paths), fc.option(anyJson, { nil: undefined })), { minLength: 1, maxLength: 3 }).map((changes) => {
    const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    for (const [path, value] of changes) setAt(copy, path, value);
    return copy;
  });
}

function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))].filter((p) => p.length > 0);
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}
