import type { Severity, StaffRole, WorkOrderKind } from './kinds';

/** Who visits: the roles to assign, and whether they go together (one joint visit). */
export interface VisitorRoles {
  roles: StaffRole[];
  together: boolean;
}

/**
 * The roles that carry out the visit of a work order (docs/rules.md §2, SOP 4.1.3).
 *
 * - major complaint → the `manager`;
 * - general complaint → the `dept_head` of the complained department and a `specialist`,
 *   together (the caller resolves which department's head);
 * - every other kind → a `specialist`.
 *
 * Invariant: never empty; `together` is true only when there is more than one role. A
 * complaint without a severity is treated as `general`: only a complaint classified major
 * goes to the manager.
 */
export function visitorRoles(kind: WorkOrderKind, severity?: Severity | null): VisitorRoles {
  if (kind !== 'complaint') return { roles: ['specialist'], together: false };
  if (severity === 'major') return { roles: ['manager'], together: false };
  return { roles: ['dept_head', 'specialist'], together: true };
}
