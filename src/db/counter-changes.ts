/**
 * Changes to kept counters (open visits, visit tallies, sampling decisions) merged per row and
 * put in key order: one row per key in a single upsert, and two transactions lock the same
 * rows in the same order. Rows whose changes cancel out are left out.
 */
export function mergeInKeyOrder<T>(changes: readonly T[], keyOf: (change: T) => string, add: (a: T, b: T) => T, isNone: (change: T) => boolean): T[] {
  const merged = new Map<string, T>();
  for (const change of changes) {
    const key = keyOf(change);
    const before = merged.get(key);
    merged.set(key, before === undefined ? change : add(before, change));
  }
  return [...merged.entries()]
    .filter(([, change]) => !isNone(change))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, change]) => change);
}
