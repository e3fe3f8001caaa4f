import { CannotExecuteNotConnectedError, ConnectionIsNotSetError } from 'typeorm';

/** Driver codes that mean "the database cannot be reached or has no schema", not "this query is wrong". */
const UNAVAILABLE_CODES = new Set([
  // The network and the server (mysql2).
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  // The database or its tables are gone (dropped, never migrated).
  'ER_BAD_DB_ERROR',
  'ER_NO_SUCH_TABLE',
  // The SQLite file cannot be opened or read.
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/**
 * Messages of errors that carry no code: the pool closed under TypeORM's MySQL driver, a
 * closed better-sqlite3 handle, and SQLite's missing table (its code is the generic SQLITE_ERROR).
 */
const UNAVAILABLE_MESSAGES = [/^Connection is not established with /, /^The database connection is not open$/, /^no such table: /];

/**
 * True when an error says the database is down or its schema gone, rather than that a request
 * was wrong: callers are answered 503 and retry later, instead of a 500 they would give up on.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let current = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof ConnectionIsNotSetError || current instanceof CannotExecuteNotConnectedError) return true;
    if (typeof current.code === 'string' && UNAVAILABLE_CODES.has(current.code)) return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(current!.message as string))) return true;
    current = (current.driverError ?? current.cause) as typeof current;
  }
  return false;
}
