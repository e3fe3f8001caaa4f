import { Office, StaffMember } from '../../../entities';
import { ConsoleUser, hasRole, isAdmin, oversees, overseesAny } from '../console-user';
import { SectionDeps, SectionRequest } from '../section';

/**
 * Who may do what with an office's setup (its settings, rate targets, policy values, staff):
 * - the admin (ADMIN_TOKEN sign-in) sees and edits every office;
 * - a manager sees and edits their own offices;
 * - a supervisor sees their own offices read-only, except the rate target of "other" work,
 *   which SOP 4.1.2d gives to them (docs/rules.md §1);
 * - anyone else (specialist, department head) sees no setup page at all (403).
 * Another office's id is "not found", like an office that does not exist.
 */
export const maySeeSomeSetup = (user: ConsoleUser): boolean => overseesAny(user);

/** Whether `user` may edit every setting of `officeId`. */
export const mayEditSetup = (user: ConsoleUser, officeId: string): boolean => isAdmin(user) || hasRole(user, officeId, 'manager');

/** Whether `user` may set the rate target of "other" work of `officeId` (SOP 4.1.2d). */
export const maySetOtherTarget = (user: ConsoleUser, officeId: string): boolean => mayEditSetup(user, officeId) || hasRole(user, officeId, 'supervisor');

/** An office whose setup the person may see, with its staff; null: not found for them. */
export interface SetupOffice {
  office: Office;
  staff: StaffMember[];
  editable: boolean;
}

/** The office named by the path's `:officeId`, if the person may see its setup. */
export async function setupOffice(request: SectionRequest, deps: SectionDeps): Promise<SetupOffice | null> {
  const id = request.params.officeId ?? '';
  if (id.length === 0 || id.length > 64 || !oversees(request.user, id)) return null;
  const office = await deps.dataSource.getRepository(Office).findOneBy({ id });
  if (!office) return null;
  const staff = await deps.dataSource.getRepository(StaffMember).find({ where: { officeId: id }, order: { id: 'ASC' } });
  return { office, staff, editable: mayEditSetup(request.user, id) };
}

/** The path of an office's setup page (and its sub-pages). */
export const setupPath = (officeId: string, rest = ''): string => `/console/offices/${encodeURIComponent(officeId)}${rest}`;
