import { SqliteFolderMissingError } from './db/data-source';

/** A one-line reason without secrets: the database URL may carry a password. */
export function describeStartError(err: unknown, db: string): string {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'EADDRINUSE') return `the port is already in use (set PORT)`;
  if (e?.code === 'ECONNREFUSED') return `cannot reach the ${db} database named by DB_URL (connection refused)`;
  if (e?.code === 'ER_ACCESS_DENIED_ERROR') return `the ${db} database refused the user or password in DB_URL`;
  if (e?.code === 'ER_BAD_DB_ERROR') return `the database named in DB_URL does not exist; create it first`;
  if (e?.code === 'ENOTFOUND') return `the database host in DB_URL cannot be resolved`;
  if (err instanceof SqliteFolderMissingError) return err.message;
  return `${e?.code ?? 'error'}: ${(e?.message ?? String(err)).replace(/mysql:\/\/[^@\s]*@/g, 'mysql://***@')}`;
}
