import { Office, StaffMember } from '../../../entities';
import { fieldProblems } from '../../http/validation';
import { OfficeInput, officeInputSchema, OfficeService } from '../../offices/office.service';
import { SectionDeps } from '../section';

/** Problems of a refused edit, by field path as the admin API names them (`policy.quietHours.from`). */
export type FieldProblems = Map<string, string>;

/** The office as the admin API's `PUT /api/offices/:id` body: what the console edits one part of. */
export function officeInputOf(office: Office, staff: readonly StaffMember[]): Record<string, unknown> {
  return {
    name: office.name,
    timeZone: office.timeZone,
    channel: office.channel,
    rateTargets: office.rateTargets,
    policy: office.policy,
    // Staff left out are deactivated (PUT semantics): the active ones stay as they are.
    staff: staff
      .filter((s) => s.active)
      .map((s) => ({ id: s.id, name: s.name, roles: s.roles, department: s.department, wecomUserId: s.wecomUserId, dingtalkUserId: s.dingtalkUserId })),
  };
}

/**
 * Saves an edited office through the admin API's own schema and service, so the console and
 * `PUT /api/offices/:id` cannot disagree on what is valid: the whole office is validated and
 * stored in one transaction, or nothing is. `version` is the office's `updatedAt` as the form
 * saw it: when someone saved the office meanwhile, nothing is stored (their change would be
 * overwritten) and the problem is `version`.
 */
export async function saveOffice(deps: SectionDeps, office: Office, version: string | null, edited: Record<string, unknown>): Promise<FieldProblems | null> {
  const parsed = officeInputSchema.safeParse(edited);
  if (!parsed.success) return new Map(fieldProblems(parsed.error).map((p) => [p.field, p.message]));
  const current = await deps.dataSource.getRepository(Office).findOneBy({ id: office.id });
  if (!current || version !== versionOf(current)) return new Map([['version', '这一页打开后，设置已被他人修改：请重新打开再改']]);
  await new OfficeService(deps).put(office.id, parsed.data as OfficeInput);
  return null;
}

/** The office's version for the forms' hidden `version` field. */
export const versionOf = (office: Office): string => String(office.updatedAt.getTime());
