import { EntityManager } from 'typeorm';
import { isMysqlSource } from './data-source';

/** One SQL statement with its `?` parameters, built before it is sent. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Runs statements in order on the manager's connection and answers each one's result.
 *
 * On MySQL/MariaDB they go in one round trip, as one multi-statement query (the pool's
 * connections allow it: `multipleStatements` in src/db/data-source.ts); the server runs them in
 * order and stops at the first that fails, whose error is thrown as if it had run alone. Inside
 * a transaction that is all or nothing, as the statements one by one would be. Every part is
 * built by our own code with `?` parameters, never from a caller's text.
 *
 * Why: a webhook batch writes to nine tables, and on loopback each round trip cost more than the
 * statement (a socket write and a wake-up on both sides, and the event loop's turn in between);
 * sent together they cost one (docs/benchmarks.md, "Statements sent together").
 *
 * On SQLite (in-process, no round trips) they run one by one.
 */
export async function runTogether(manager: EntityManager, statements: ReadonlyArray<Statement | null>): Promise<unknown[]> {
  const present = statements.filter((s): s is Statement => s !== null);
  if (present.length === 0) return statements.map(() => null);
  for (const s of present) assertSingle(s.sql);
  let results: unknown[];
  if (present.length > 1 && isMysqlSource(manager.connection)) {
    results = (await manager.query(present.map((s) => s.sql).join(';\n'), present.flatMap((s) => s.params))) as unknown[];
  } else {
    results = [];
    for (const s of present) results.push(await manager.query(s.sql, s.params));
  }
  let next = 0;
  return statements.map((s) => (s === null ? null : results[next++]));
}

/** A part must be one statement: a `;` of its own would shift every later part's result. */
function assertSingle(sql: string): void {
  if (sql.includes(';')) throw new Error('a statement sent together with others must not contain ";"');
}
