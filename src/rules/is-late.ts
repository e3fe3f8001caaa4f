/**
 * Whether a visit recorded at `recordedAt` is late for a window closing at `closesAt`.
 * Late visits count as done but not as on time (docs/rules.md §2).
 *
 * Invariant: recording exactly at `closesAt` (23:59:59.999 local on the last day) is on time;
 * one millisecond later is late.
 */
export function isLate(recordedAt: Date, closesAt: Date): boolean {
  return recordedAt.getTime() > closesAt.getTime();
}
