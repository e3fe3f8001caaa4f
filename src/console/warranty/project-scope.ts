import { DataSource } from 'typeorm';
import { Office, Project, StaffMember } from '../../../entities';
import { officeZone } from '../../offices/office-zone';
import { ConsoleUser, oversees, staffIdIn } from '../console-user';
import { visitScope, VisitScope } from '../sections/visit-scope';

/**
 * Which construction projects a person sees in the console: every project of the offices they
 * oversee (supervisor, manager, admin), else those they are the warranty lead of. Anything
 * else — another office's project, one that does not exist — is not found.
 */
export interface ProjectList {
  scope: VisitScope;
  projects: Project[];
  leads: Map<string, string>;
}

/** The projects of `?office=` (default: the person's first office); null: not theirs. */
export async function projectList(dataSource: DataSource, user: ConsoleUser, officeParam: string | null): Promise<ProjectList | null> {
  const scope = await visitScope(dataSource, user, officeParam);
  if (!scope) return null;
  const where = scope.ownStaffId === null ? { officeId: scope.office.id } : { officeId: scope.office.id, warrantyLeadId: scope.ownStaffId };
  const projects = await dataSource.getRepository(Project).find({ where, order: { name: 'ASC', id: 'ASC' } });
  return { scope, projects, leads: await staffNames(dataSource, scope.office.id) };
}

/** One project the person may see, with its office, zone and the office's staff names. */
export async function visibleProject(dataSource: DataSource, user: ConsoleUser, projectId: string, defaultTimeZone: string) {
  const project = projectId.length > 64 ? null : await dataSource.getRepository(Project).findOneBy({ id: projectId });
  if (!project) return null;
  if (!oversees(user, project.officeId) && staffIdIn(user, project.officeId) !== project.warrantyLeadId) return null;
  const office = await dataSource.getRepository(Office).findOneByOrFail({ id: project.officeId });
  return { project, office, zone: officeZone(office, defaultTimeZone), names: await staffNames(dataSource, office.id) };
}

async function staffNames(dataSource: DataSource, officeId: string): Promise<Map<string, string>> {
  const staff = await dataSource.getRepository(StaffMember).find({ where: { officeId } });
  return new Map(staff.map((s) => [s.id, s.name]));
}
