import { EntityManager } from 'typeorm';
import { Office, Project, Resident, StaffMember, Visit, WorkOrder } from '../../entities';
import { RecordedAnswers } from '../../cards/components/answer-fields';
import { withRole } from '../offices/office-staff';
import { officeZone } from '../offices/office-zone';
import { AnswerLevel } from '../rules/answer-levels';
import { StaffRole } from '../rules/kinds';
import { OfficePolicy, resolvePolicy } from '../rules/office-policy';
import { ShortcomingCode } from '../rules/shortcomings';
import { Notifier } from './notifier';
import { VisitSnapshot } from './visit-decision';

/** Everything a message about one visit names: its office and policy, work order, resident, visitors. */
export interface VisitContext {
  office: Office;
  policy: OfficePolicy;
  zone: string;
  visit: VisitSnapshot;
  order: WorkOrder | null;
  /** The work order's title (a warranty visit: its project's name), or its id when it has none. */
  title: string;
  /** What cards name the visit by: its work order, project or campaign id. */
  reference: string;
  resident: Resident | null;
  /** The visitors' staff records, by id. */
  assignees: StaffMember[];
  /** A staff member of the office (active or not), e.g. the author of a record. */
  staffMember(id: string): Promise<StaffMember | null>;
  /** The office's active staff holding a role, by id. */
  withRole(role: StaffRole): Promise<StaffMember[]>;
}

/**
 * Loads visit contexts. One loader serves one request or one sweep run: offices and their staff
 * lists are read once and reused for every visit of that run (a sweep over 200 visits of one
 * office reads the office and its staff once, not 200 times).
 */
export class VisitContexts {
  private readonly offices = new Map<string, Office>();
  private readonly staff = new Map<string, StaffMember[]>();

  constructor(private readonly defaultTimeZone: string) {}

  /** The office of an id, read once per loader. */
  async office(manager: EntityManager, id: string): Promise<Office> {
    let office = this.offices.get(id);
    if (!office) {
      office = await manager.findOneByOrFail(Office, { id });
      this.offices.set(id, office);
    }
    return office;
  }

  /** The office's staff, active or not, by id, read once per loader. */
  async staffOf(manager: EntityManager, officeId: string): Promise<StaffMember[]> {
    let staff = this.staff.get(officeId);
    if (!staff) {
      staff = await manager.find(StaffMember, { where: { officeId }, order: { id: 'ASC' } });
      this.staff.set(officeId, staff);
    }
    return staff;
  }

  async load(manager: EntityManager, visit: VisitSnapshot): Promise<VisitContext> {
    const office = await this.office(manager, visit.officeId);
    const staff = await this.staffOf(manager, visit.officeId);
    const [order, project, resident] = await Promise.all([
      visit.workOrderId ? manager.findOneBy(WorkOrder, { id: visit.workOrderId }) : null,
      visit.projectId ? manager.findOneBy(Project, { id: visit.projectId }) : null,
      visit.residentId ? manager.findOneBy(Resident, { officeId: visit.officeId, id: visit.residentId }) : null,
    ]);
    const ids = new Set(visit.assignees.map((a) => a.staffId));
    return {
      office,
      policy: resolvePolicy(office.policy),
      zone: officeZone(office, this.defaultTimeZone),
      visit,
      order,
      title: order?.title ?? project?.name ?? referenceOf(visit),
      reference: referenceOf(visit),
      resident,
      assignees: staff.filter((s) => ids.has(s.id)),
      staffMember: async (id) => staff.find((s) => s.id === id) ?? null,
      withRole: async (role) => withRole(staff, role),
    };
  }
}

/** What a visit is about, by id: its work order, else its project or campaign, else itself. */
export function referenceOf(visit: Pick<Visit, 'id' | 'workOrderId' | 'projectId' | 'campaignId'>): string {
  return visit.workOrderId ?? visit.projectId ?? visit.campaignId ?? `#${visit.id}`;
}

/** The resident's chat id in the office's channel, when the visit reaches them by card. */
export function residentAddress(ctx: VisitContext, notifier: Pick<Notifier, 'channelOf'>): string | null {
  if (ctx.visit.residentRoute !== 'card' || !ctx.resident) return null;
  return notifier.channelOf(ctx.office) === 'wecom' ? ctx.resident.wecomUserId : ctx.resident.dingtalkUserId;
}

/** The visit's answers as cards show them. */
export function answersOf(visit: Pick<Visit, 'quality' | 'effect' | 'satisfaction' | 'shortcomings' | 'shortcomingsText' | 'suggestions' | 'solved'>): RecordedAnswers {
  return {
    quality: visit.quality as AnswerLevel | null,
    effect: visit.effect as AnswerLevel | null,
    satisfaction: visit.satisfaction as AnswerLevel | null,
    shortcomings: (visit.shortcomings ?? null) as ShortcomingCode[] | null,
    shortcomingsText: visit.shortcomingsText,
    suggestions: visit.suggestions,
    solved: visit.solved,
  };
}
