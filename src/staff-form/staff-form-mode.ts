import type { StaffAction } from '../visits/visit-lifecycle';

/** What the staff form offers: one of the visit's next steps, or the record to read. */
export type StaffFormMode = 'record' | 'review' | 'handle' | 'view';

/**
 * Which form a staff member's link shows: the first of record, review and handle that the
 * visit lifecycle allows this person now (src/visits/visit-lifecycle.ts `allowedStaffActions`,
 * the same rules as the chat and the admin API); otherwise the record, read-only. Pure.
 */
export function staffFormMode(allowed: readonly StaffAction[]): StaffFormMode {
  if (allowed.includes('record')) return 'record';
  if (allowed.includes('review')) return 'review';
  if (allowed.includes('handle')) return 'handle';
  return 'view';
}
