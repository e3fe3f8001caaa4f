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
  return createHash('sha1')
    .update(JSON.stringify([...staffIds].sort()))
    .digest('hex')
    .slice(0, TEAM_KEY_LENGTH);
}

export const TEAM_KEY_LENGTH = 16;
