import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, QueryFailedError, QueryRunner } from 'typeorm';
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

/** What is known of a pooled MySQL connection's session, learnt once when it is first used. */
interface SessionFacts {
  /**
   * The server numbers the rows of one multi-row INSERT consecutively: InnoDB's "traditional"
   * or "consecutive" auto-increment lock mode (0 or 1; MariaDB's default) with an increment of 1.
   * In "interleaved" mode (2: MySQL 8's default, Galera's requirement) or with a cluster's
   * stepped increment the rows' ids may not follow each other, and must be read back.
   */
  consecutiveIds: boolean;
}

/** Pooled MySQL connections already switched to READ COMMITTED, with what their session reported. */
const sessions = new WeakMap<object, SessionFacts>();

/**
 * True when a multi-row INSERT on this transaction's connection numbers its rows
 * consecutively from the first insert id. Always on SQLite (one writer; rowids follow the
 * largest); on MySQL/MariaDB as the session reported it; false when unknown.
 */
export function numbersRowsConsecutively(manager: EntityManager): boolean {
  if (!isMysqlSource(manager.connection)) return true;
  // The mysql2 connection TypeORM's MySQL runner holds while connected.
  const connection = (manager.queryRunner as { databaseConnection?: object } | undefined)?.databaseConnection;
  return (connection && sessions.get(connection)?.consecutiveIds) ?? false;
}

async function learnSession(runner: QueryRunner): Promise<SessionFacts> {
  await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  let consecutiveIds = false;
  try {
    const [row] = (await runner.query('SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step')) as Array<{
      lockMode: unknown;
      step: unknown;
    }>;
    consecutiveIds = (Number(row?.lockMode) === 0 || Number(row?.lockMode) === 1) && Number(row?.step) === 1;
  } catch {
    // A MySQL-compatible server without these variables: ids are read back after every insert.
  }
  return { consecutiveIds };
}

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
    if (!sessions.has(connection)) sessions.set(connection, await learnSession(runner));
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
 * True where the database has row locks (MySQL/MariaDB). SQLite's single writer already
 * serialises transactions, and it has no `FOR UPDATE` (TypeORM refuses the lock there).
 */
export function hasRowLocks(manager: EntityManager): boolean {
  return isMysqlSource(manager.connection);
}

/** Find options that read a row `FOR UPDATE` where the database has row locks (see hasRowLocks). */
export function writeLock(manager: EntityManager): { lock?: { mode: 'pessimistic_write' } } {
  return hasRowLocks(manager) ? { lock: { mode: 'pessimistic_write' } } : {};
}

/** `find` options for a share lock where rows can be locked (MySQL/MariaDB); nothing on SQLite. */
export function readLock(manager: EntityManager): { lock?: { mode: 'pessimistic_read' } } {
  return hasRowLocks(manager) ? { lock: { mode: 'pessimistic_read' } } : {};
}

/**
 * Waits for every row matching `where` that another transaction is writing, and keeps them
 * from being written until this transaction ends (SELECT … FOR UPDATE). SQLite has one writer,
 * so there is nothing to wait for.
 */
export async function lockRows<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, where: FindOptionsWhere<T>): Promise<void> {
  if (!hasRowLocks(manager)) return;
  await manager.find(entity, { where, select: { id: true } as never, lock: { mode: 'pessimistic_write' } });
}
