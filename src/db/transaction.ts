import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { isMysqlSource } from './data-source';

/**
 * SQLite has one writer and TypeORM runs every SQLite transaction on one connection, so two
 * overlapping transactions in this process would collide ("cannot start a transaction within
 * a transaction"). They queue here instead; other processes wait on SQLite's busy_timeout.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/** Retries of a MySQL transaction that lost a deadlock or a lock wait: the loser is rolled
 * back by the server, so running it again is safe and is what MySQL's manual prescribes. */
const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 5;

/** Runs `work` in one transaction, serialised on SQLite and retried on MySQL deadlocks. */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (!isMysqlSource(dataSource)) {
    const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
    const run = previous.then(
      () => dataSource.transaction(work),
      () => dataSource.transaction(work),
    );
    sqliteQueues.set(
      dataSource,
      run.catch(() => undefined),
    );
    return run;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await readCommittedTransaction(dataSource, work);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !MYSQL_RETRYABLE.has(driverCode(err) ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

/** Pooled MySQL connections already switched to READ COMMITTED for their whole session. */
const readCommittedSessions = new WeakSet<object>();

/**
 * One MySQL transaction at READ COMMITTED. Why READ COMMITTED: under MySQL's default
 * REPEATABLE READ, a locking read of a row that does not exist yet (a new work order) takes a
 * gap lock, and two such transactions deadlock on each other's insert. Every invariant here
 * rests on unique keys and explicit row locks, which READ COMMITTED keeps. The level is set
 * once per pooled connection (for its session), not before every transaction: one round trip
 * less on the webhook's path.
 */
async function readCommittedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const connection = (await runner.connect()) as object;
    if (!readCommittedSessions.has(connection)) {
      await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      readCommittedSessions.add(connection);
    }
    await runner.startTransaction();
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await runner.release();
  }
}

export function driverCode(err: unknown): string | undefined {
  if (err instanceof QueryFailedError) return (err.driverError as { code?: string })?.code;
  return (err as { code?: string })?.code;
}

/** True when an insert failed on a unique key (MySQL ER_DUP_ENTRY, SQLite UNIQUE constraint). */
export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Find options that read a row `FOR UPDATE` where the database has row locks; SQLite's single
 * writer already serialises transactions (and TypeORM refuses the lock there).
 */
export function writeLock(manager: EntityManager): { lock?: { mode: 'pessimistic_write' } } {
  return isMysqlSource(manager.connection) ? { lock: { mode: 'pessimistic_write' } } : {};
}
