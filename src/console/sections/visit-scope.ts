import { DataSource, SelectQueryBuilder } from 'typeorm';
import { Office, Visit, VisitAssignee } from '../../../entities';
import { ConsoleUser, isAdmin, oversees, overseenOffices } from '../console-user';

/**
 * Which visits of one office a person may see in the console: all of them when they oversee
 * it (supervisor, manager, admin), else only those they carry out (`ownStaffId`).
 */
export interface VisitScope {
  office: Office;
  /** Set when the person sees only their own visits in this office. */
  ownStaffId: string | null;
  /** Every office the person may pick (for the office switcher). */
  offices: Office[];
}

/** The scope for `?office=` (default: the person's first office); null = not theirs (404). */
export async function visitScope(dataSource: DataSource, user: ConsoleUser, officeParam: string | null): Promise<VisitScope | null> {
  const overseen = await overseenOffices(dataSource, user);
  // (An empty where-list would match every office: guarded.)
  const memberOffices = isAdmin(user) || user.memberships.length === 0 ? [] : await dataSource.getRepository(Office).findBy(user.memberships.map((m) => ({ id: m.officeId })));
  const offices = [...overseen, ...memberOffices.filter((o) => !overseen.some((s) => s.id === o.id))];
  const office = officeParam === null ? offices[0] : offices.find((o) => o.id === officeParam);
  if (!office) return null;
  const ownStaffId = oversees(user, office.id) ? null : (user.memberships.find((m) => m.officeId === office.id)?.staffId ?? null);
  return { office, ownStaffId, offices };
}

/** Narrows a query over visits `v` to what the scope allows. */
export function inScope(qb: SelectQueryBuilder<Visit>, scope: VisitScope): SelectQueryBuilder<Visit> {
  qb.andWhere('v.officeId = :scopeOffice', { scopeOffice: scope.office.id });
  if (scope.ownStaffId !== null) {
    qb.innerJoin(VisitAssignee, 'own', 'own.visitId = v.id AND own.staffId = :ownStaff', { ownStaff: scope.ownStaffId });
  }
  return qb;
}

/** Whether `user` may see visit `visit` at all: its office overseen, or theirs to carry out. */
export async function maySeeVisit(dataSource: DataSource, user: ConsoleUser, visit: Visit): Promise<boolean> {
  if (oversees(user, visit.officeId)) return true;
  const staffId = user.memberships.find((m) => m.officeId === visit.officeId)?.staffId;
  if (!staffId) return false;
  return (await dataSource.getRepository(VisitAssignee).countBy({ visitId: visit.id, staffId })) > 0;
}
