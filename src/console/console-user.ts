import { DataSource } from 'typeorm';
import { Office, StaffMember, StaffRoleCode } from '../../entities';
import { Session } from './session';

/** Roles that oversee a whole office in the console (docs/rules.md §1). */
const OVERSEERS: readonly StaffRoleCode[] = ['supervisor', 'manager'];

/** One office a staff member belongs to, with their roles there. */
export interface Membership {
  officeId: string;
  staffId: string;
  roles: StaffRoleCode[];
}

/**
 * The person signed in to the console: the admin (every office), or a staff member with their
 * memberships — a supervisor or manager oversees their own offices, anyone else (a specialist,
 * a department head) sees only the visits they carry out.
 */
export interface ConsoleUser {
  kind: 'admin' | 'staff';
  name: string;
  memberships: Membership[];
}

export const isAdmin = (user: ConsoleUser): boolean => user.kind === 'admin';

/** Whether `user` oversees `officeId` (admin: every office). */
export function oversees(user: ConsoleUser, officeId: string): boolean {
  return isAdmin(user) || user.memberships.some((m) => m.officeId === officeId && m.roles.some((r) => OVERSEERS.includes(r)));
}

/** Whether `user` oversees any office at all. */
export const overseesAny = (user: ConsoleUser): boolean => isAdmin(user) || user.memberships.some((m) => m.roles.some((r) => OVERSEERS.includes(r)));

/** The person's own staff id in `officeId`, if they are on its staff. */
export const staffIdIn = (user: ConsoleUser, officeId: string): string | null => user.memberships.find((m) => m.officeId === officeId)?.staffId ?? null;

/** Whether `user` has `role` in `officeId`. */
export const hasRole = (user: ConsoleUser, officeId: string, role: StaffRoleCode): boolean =>
  user.memberships.some((m) => m.officeId === officeId && m.roles.includes(role));

/**
 * The console user of a session, read from the staff list now: an identity no active staff
 * record carries any more gets null (signed out), whatever the cookie says.
 */
export async function consoleUserOf(dataSource: DataSource, session: Session): Promise<ConsoleUser | null> {
  if (session.sub === 'admin') return { kind: 'admin', name: '管理员', memberships: [] };
  const [platform, userId] = [session.sub.slice(0, session.sub.indexOf(':')), session.sub.slice(session.sub.indexOf(':') + 1)];
  const column = platform === 'wecom' ? 'wecomUserId' : 'dingtalkUserId';
  const rows = await dataSource.getRepository(StaffMember).find({ where: { [column]: userId, active: true }, order: { officeId: 'ASC' } });
  if (rows.length === 0) return null;
  return { kind: 'staff', name: rows[0].name, memberships: rows.map((r) => ({ officeId: r.officeId, staffId: r.id, roles: r.roles })) };
}

/** The offices `user` may look at as a whole, in id order. */
export async function overseenOffices(dataSource: DataSource, user: ConsoleUser): Promise<Office[]> {
  const offices = await dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
  return offices.filter((o) => oversees(user, o.id));
}
