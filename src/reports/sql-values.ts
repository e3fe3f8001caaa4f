/*
 * Reading raw aggregate rows the same way on both databases: MySQL returns SUMs as decimal
 * strings and instants as Date; SQLite returns numbers and 'YYYY-MM-DD HH:MM:SS.SSS' UTC text.
 */

/** A count or sum from a raw row (null and missing read as 0). */
export function sqlNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number from the database: ${String(value)}`);
  return n;
}

/** An instant from a raw row; both databases hold UTC. */
export function sqlInstant(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  // Why the 'Z': SQLite stores UTC text without a zone; read it as UTC, never as local time.
  const date = new Date(`${String(value).replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant from the database: ${String(value)}`);
  return date;
}

/** A mean rounded to 2 decimals (4.52), or null when nothing was counted. */
export function mean(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 100) / 100 : null;
}
