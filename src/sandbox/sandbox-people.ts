import { DataSource, Not, IsNull } from 'typeorm';
import { Office, Resident, StaffMember, WorkOrder } from '../../entities';
import { officeZone } from '../offices/office-zone';
import { resolvePolicy } from '../rules/office-policy';

/** A person of the sandbox's WeCom: a staff member or a resident with a WeCom userid. */
export interface SandboxPerson {
  userId: string;
  name: string;
  kind: 'staff' | 'resident';
  officeId: string;
  /** Staff: role codes (`supervisor`, …). */
  roles?: string[];
  /** Staff: stored id (`sup1`); residents: resident id (`R-88`). */
  id: string;
  /** Residents: the unit of their latest work order. */
  unitId?: string | null;
}

export interface SandboxOffice {
  id: string;
  name: string;
  timeZone: string;
  /** The residents' quiet hours ("21:00–08:00"), or null when the office switched them off (the demo does). */
  residentQuietHours: string | null;
}

/** The most people of each kind the page lists (the sandbox is a demo, not a directory). */
const MAX_PEOPLE = 300;

/**
 * Everyone the product can message in WeCom, read from the database: active staff with a
 * WeCom userid, then residents with one (reached by interactive cards), each with the unit of
 * their latest work order.
 */
export async function sandboxPeople(
  dataSource: DataSource,
  defaultTimeZone: string,
): Promise<{ offices: SandboxOffice[]; people: SandboxPerson[] }> {
  const offices = await dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
  const staff = await dataSource.getRepository(StaffMember).find({
    where: { active: true, wecomUserId: Not(IsNull()) },
    order: { officeId: 'ASC', id: 'ASC' },
    take: MAX_PEOPLE,
  });
  const residents = await dataSource.getRepository(Resident).find({
    where: { wecomUserId: Not(IsNull()) },
    order: { officeId: 'ASC', id: 'ASC' },
    take: MAX_PEOPLE,
  });
  const orders = await dataSource.getRepository(WorkOrder).find({
    select: { id: true, officeId: true, residentId: true, unitId: true, lastEventAt: true },
    where: { residentId: Not(IsNull()) },
    order: { lastEventAt: 'DESC' },
    take: 5000,
  });
  const unitOf = new Map<string, string | null>();
  for (const order of orders) {
    const key = `${order.officeId}/${order.residentId}`;
    if (!unitOf.has(key)) unitOf.set(key, order.unitId);
  }
  const roleRank = (roles: string[]) => Math.min(...roles.map((r) => ROLE_ORDER.indexOf(r)).filter((i) => i >= 0), ROLE_ORDER.length);
  return {
    offices: offices.map((o) => {
      const quiet = resolvePolicy(o.policy).residentQuietHours;
      return { id: o.id, name: o.name, timeZone: officeZone(o, defaultTimeZone), residentQuietHours: quiet.start === quiet.end ? null : `${quiet.start}–${quiet.end}` };
    }),
    people: [
      ...staff
        .sort((a, b) => a.officeId.localeCompare(b.officeId) || roleRank(a.roles) - roleRank(b.roles) || a.id.localeCompare(b.id))
        .map((s) => ({ userId: s.wecomUserId!, name: s.name, kind: 'staff' as const, officeId: s.officeId, roles: s.roles, id: s.id })),
      ...residents
        .map((r) => ({
          userId: r.wecomUserId!,
          name: r.name ?? r.id,
          kind: 'resident' as const,
          officeId: r.officeId,
          id: r.id,
          unitId: unitOf.get(`${r.officeId}/${r.id}`) ?? null,
        }))
        .sort((a, b) => a.officeId.localeCompare(b.officeId) || (a.unitId ?? '').localeCompare(b.unitId ?? '') || a.id.localeCompare(b.id)),
    ],
  };
}

/** Staff are listed by role, the way an office is organised: supervisor first. */
const ROLE_ORDER = ['supervisor', 'manager', 'dept_head', 'specialist'];
