import { VisitStatus } from '../../entities';
import { StaffRoleCode } from '../../entities/staff-member.entity';

/** What the staff form offers: one of the visit's next steps, or the record to read. */
export type StaffFormMode = 'record' | 'review' | 'handle' | 'view';

/**
 * Statuses in which a visit can still be recorded. The same set as VisitRecordService's,
 * which stays the authority: this only decides which form to offer.
 */
const RECORDABLE: ReadonlySet<VisitStatus> = new Set([VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/**
 * Which form a staff member's link shows (domain.md §4): the record form to an assignee (or a
 * supervisor or manager) while the visit waits for its record; the review form to a supervisor
 * once it is recorded; the handling form to a manager once it is escalated; otherwise the
 * record, read-only. Pure: the caller supplies the visit's state and the person's standing.
 */
export function staffFormMode(
  visit: { status: VisitStatus; recorded: boolean },
  staff: { roles: readonly StaffRoleCode[]; assigned: boolean },
): StaffFormMode {
  const has = (role: StaffRoleCode) => staff.roles.includes(role);
  if (!visit.recorded && RECORDABLE.has(visit.status) && (staff.assigned || has('supervisor') || has('manager'))) return 'record';
  if ((visit.status === VisitStatus.Recorded || visit.status === VisitStatus.Unqualified) && has('supervisor')) return 'review';
  if (visit.status === VisitStatus.Escalated && has('manager')) return 'handle';
  return 'view';
}
