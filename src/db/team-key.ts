import { createHash } from 'node:crypto';

/**
 * A visit's visitors (its visit_assignees rows) as a short key kept on the visit: visits with
 * the same visitors have the same key, a visit without visitors has none. The quarterly
 * statistics count per key over one index and then give each key's figures to its members,
 * instead of joining every visit of a quarter to its visitors (the slowest part, measured).
 *
 * Invariant: a digest of the ids in any order is the same; 64 bits, so two different teams of
 * one office never share a key in practice.
 */
export function teamKeyOf(staffIds: readonly string[]): string | null {
  if (staffIds.length === 0) return null;
  const team = JSON.stringify([...staffIds].sort());
  let key = recentKeys.get(team);
  if (key === undefined) {
    key = createHash('sha1').update(team).digest('hex').slice(0, TEAM_KEY_LENGTH);
    // An office has few teams; the webhook plans thousands of visits a second for them.
    if (recentKeys.size >= RECENT_KEYS_MAX) recentKeys.clear();
    recentKeys.set(team, key);
  }
  return key;
}

/** Keys of the teams seen lately (a digest per visit was a measurable part of the webhook's CPU). */
const recentKeys = new Map<string, string>();
const RECENT_KEYS_MAX = 10_000;

export const TEAM_KEY_LENGTH = 16;
