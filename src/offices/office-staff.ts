import { EntityManager } from 'typeorm';
import { StaffMember } from '../../entities';
import { StaffRole } from '../rules/kinds';

/**
 * The office's active staff holding `role`, by id: the one way the product finds whom to tell
 * (supervisors of a notice or summary, managers of an escalation). Someone deactivated keeps
 * their past records but is told nothing more.
 */
export async function activeStaffWithRole(manager: EntityManager, officeId: string, role: StaffRole): Promise<StaffMember[]> {
  return withRole(await manager.find(StaffMember, { where: { officeId, active: true }, order: { id: 'ASC' } }), role);
}

/** The active members of a staff list who hold `role`, in the list's order. */
export function withRole(staff: readonly StaffMember[], role: StaffRole): StaffMember[] {
  return staff.filter((s) => s.active && s.roles.includes(role));
}
