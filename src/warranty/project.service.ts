import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { Office, Project, Resident, StaffMember, Visit } from '../../entities';
import { Clock } from '../clock';
import { inTransaction, writeLock } from '../db/transaction';
import { insertPlannedVisits } from '../db/visit-store';
import { ConflictError, NotFoundError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { StaffRole } from '../rules/kinds';
import { resolvePolicy } from '../rules/office-policy';
import { warrantyVisitsDue, warrantyVisitWindow } from '../rules/warranty-visits';
import { routeOf } from '../visits/resident-route';
import { Assignee } from '../visits/visit-decision';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { planWarrantyVisits, WarrantyPlanInput, warrantyVisitDraft } from '../visits/warranty-visit-planning';
import { Notifier } from '../visits/notifier';
import { handOverWarrantyVisits } from './lead-handover';
import { ProjectInput } from './project-input';
import { fieldError, seasonsOf, termsOf, visitTermsOf } from './warranty-terms';

/** What a project's visits and repairs need to know about the office it belongs to. */
export interface ProjectSetting {
  project: Project;
  office: Office;
  zone: string;
  lead: StaffMember | null;
}

/**
 * Creates and replaces construction projects (PUT semantics) and keeps their warranty visits
 * planned: saving a project plans what its terms make due and cancels planned visits they no
 * longer do, in the same transaction, so a project is never saved without its visits. A new
 * warranty lead takes over the visits not yet recorded (src/warranty/lead-handover.ts).
 */
export class ProjectService {
  constructor(
    private readonly deps: { dataSource: DataSource; clock: Clock; lifecycle: VisitLifecycle; notifier: Notifier; channelOf: (office: Office) => 'wecom' | 'dingtalk'; defaultTimeZone: string },
  ) {}

  async put(id: string, input: ProjectInput): Promise<{ project: Project; created: boolean }> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const office = await manager.findOneBy(Office, { id: input.officeId });
      if (!office) throw fieldError('officeId', `no office ${input.officeId}`);
      const zone = officeZone(office, this.deps.defaultTimeZone);
      const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
      if (input.acceptedOn > today) throw fieldError('acceptedOn', `must not be after today (${today})`);
      const lead = await manager.findOneBy(StaffMember, { officeId: office.id, id: input.warrantyLead, active: true });
      if (!lead) throw fieldError('warrantyLead', `${input.warrantyLead} is not an active staff member of office ${office.id}`);

      const existing = await manager.findOne(Project, { where: { id }, ...writeLock(manager) });
      if (existing && existing.officeId !== office.id) throw new ConflictError('office_changed', `project ${id} belongs to office ${existing.officeId}`);
      const project = manager.create(Project, {
        ...(existing ?? { createdAt: now, cardIssuedAt: null, cardEscalatedAt: null, history: null }),
        id,
        officeId: office.id,
        name: input.name,
        acceptedOn: input.acceptedOn,
        countFromNextDay: input.countFromNextDay,
        designLifeYears: input.designLifeYears,
        otherYears: input.otherYears ?? null,
        seasons: seasonsOf(input.seasons),
        visitEveryMonths: input.visitEveryMonths ?? null,
        warrantyLeadId: lead.id,
        owner: input.owner,
        contractor: input.contractor,
        updatedAt: now,
      });
      await manager.save(Project, project);
      const owner = await this.saveOwner(manager, project, now);
      const setting = { project, office, zone, lead };
      await this.planVisits(manager, setting, owner, now);
      if (existing && existing.warrantyLeadId !== lead.id) {
        await handOverWarrantyVisits(manager, this.deps, setting, existing.warrantyLeadId, this.visitParties(setting, owner).lead, now);
      }
      return { project, created: existing === null };
    });
  }

  /**
   * A technical visit on demand (policy 3 二.1(2): new materials, processes or equipment),
   * opening on `opensOn` (default today, office zone) and run like any warranty visit.
   */
  async addTechnicalVisit(projectId: string, input: { topic: string; opensOn?: string }): Promise<Visit> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const setting = await this.setting(manager, projectId);
      if (!setting) throw new NotFoundError(`project ${projectId}`);
      if (!setting.lead?.active) throw new ConflictError('no_warranty_lead', `project ${projectId}'s warranty lead is no longer active staff`);
      const opensOn = input.opensOn ?? DateTime.fromJSDate(now, { zone: setting.zone }).toISODate()!;
      const window = warrantyVisitWindow({ kind: 'warranty_technical', opensOn }, setting.zone, 0);
      if (window.closesAt <= now) throw fieldError('opensOn', 'the visit\'s window would already be closed');
      const owner = await this.saveOwner(manager, setting.project, now);
      const draft = warrantyVisitDraft({ ...this.visitParties(setting, owner), now }, 'warranty_technical', 'main', window, { topic: input.topic });
      draft.visit.details = { topic: input.topic };
      const [id] = await insertPlannedVisits(manager, [draft], now);
      return manager.findOneByOrFail(Visit, { id });
    });
  }

  /** The project with its office, zone and warranty lead; null when there is no such project. */
  async setting(manager: EntityManager, id: string): Promise<ProjectSetting | null> {
    const project = await manager.findOneBy(Project, { id });
    if (!project) return null;
    const office = await manager.findOneByOrFail(Office, { id: project.officeId });
    const lead = await manager.findOneBy(StaffMember, { officeId: project.officeId, id: project.warrantyLeadId });
    return { project, office, zone: officeZone(office, this.deps.defaultTimeZone), lead };
  }

  /** The lead as a visitor, and the owner as the resident who confirms records. */
  visitParties(setting: ProjectSetting, owner: Resident): Pick<WarrantyPlanInput, 'lead' | 'owner' | 'project' | 'zone'> {
    const lead = setting.lead!;
    const role: StaffRole = lead.roles.includes('specialist') ? 'specialist' : (lead.roles[0] as StaffRole);
    return {
      project: setting.project,
      lead: { staffId: lead.id, role } satisfies Assignee,
      owner: { residentId: owner.id, route: routeOf(owner, this.deps.channelOf(setting.office)) },
      zone: setting.zone,
    };
  }

  /**
   * The owner is kept as a resident of the office (`project:<id>`), so visit records reach them
   * for confirmation the way they reach any resident, and retention anonymises them the same way.
   */
  async saveOwner(manager: EntityManager, project: Project, now: Date): Promise<Resident> {
    const owner: Resident = manager.create(Resident, {
      officeId: project.officeId,
      id: ownerResidentId(project.id),
      name: project.owner.name,
      phone: project.owner.phone ?? null,
      wecomUserId: project.owner.wecomUserId ?? null,
      wecomExternalUserId: project.owner.wecomExternalUserId ?? null,
      wecomContactOwner: null,
      dingtalkUserId: project.owner.dingtalkUserId ?? null,
      anonymisedAt: null,
      updatedAt: now,
    });
    await manager.upsert(Resident, owner, ['officeId', 'id']);
    return owner;
  }

  private async planVisits(manager: EntityManager, setting: ProjectSetting, owner: Resident, now: Date): Promise<void> {
    const policy = resolvePolicy(setting.office.policy);
    const visitTerms = visitTermsOf(setting.project, policy);
    const stored = await manager.find(Visit, { where: { projectId: setting.project.id }, select: { id: true, kind: true, purpose: true, status: true, opensAt: true } });
    const plan = planWarrantyVisits({
      ...this.visitParties(setting, owner),
      due: warrantyVisitsDue(termsOf(setting.project), visitTerms),
      stored,
      leadDays: visitTerms.leadDays,
      now,
    });
    await insertPlannedVisits(manager, plan.create, now);
    for (const id of plan.cancel) await this.deps.lifecycle.runIn(manager, id, { type: 'cancel', reason: 'warranty_terms_changed' }, { kind: 'system' });
  }
}

/** The resident id under which a project's owner is kept. */
export function ownerResidentId(projectId: string): string {
  return `project:${projectId}`;
}
