import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { Office, Project, StaffMember, WarrantyRepair } from '../../entities';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { Clock } from '../clock';
import { inTransaction, writeLock } from '../db/transaction';
import { NotFoundError } from '../errors';
import { cardOverdue, cardReminderSlot } from '../rules/warranty-card';
import { Notifier } from '../visits/notifier';
import { ProjectService } from './project.service';
import { warrantyCardPage } from './warranty-card.page';
import { cardDueBy } from './warranty-terms';

/**
 * The warranty card (保修证书, docs/rules.md §7): due within a month of acceptance, the warranty
 * lead reminded until it is issued, printed from the project and its repairs.
 */
export class WarrantyCards {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; notifier: Notifier; projects: ProjectService }) {}

  /** The printable page. */
  async page(projectId: string): Promise<string> {
    const manager = this.deps.dataSource.manager;
    const setting = await this.deps.projects.setting(manager, projectId);
    if (!setting) throw new NotFoundError(`project ${projectId}`);
    const repairs = await manager.find(WarrantyRepair, { where: { projectId }, order: { reportedAt: 'ASC', id: 'ASC' } });
    return warrantyCardPage({ project: setting.project, repairs, zone: setting.zone });
  }

  /** Records the card as issued now; issuing again keeps the first date. */
  async issue(projectId: string): Promise<Project> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const project = await manager.findOne(Project, { where: { id: projectId }, ...writeLock(manager) });
      if (!project) throw new NotFoundError(`project ${projectId}`);
      if (!project.cardIssuedAt) {
        project.cardIssuedAt = now;
        project.updatedAt = now;
        await manager.update(Project, { id: projectId }, { cardIssuedAt: now, updatedAt: now });
      }
      return project;
    });
  }

  /**
   * Reminds the warranty lead of one project's card, in its own transaction: the latest
   * reminder slot that has come, queued in the outbox under a key of (project, slot), so a
   * rerun or a second instance queues nothing more. Once the month has passed without the card
   * the supervisors are told, once (the project's `cardEscalatedAt`, set under the row lock, and
   * a history entry; the outbox key again guards a second instance).
   */
  async remind(projectId: string): Promise<{ reminded: boolean; escalated: boolean }> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      // Locked: an issue committed meanwhile is seen, and no reminder follows it.
      const locked = await manager.findOne(Project, { where: { id: projectId }, ...writeLock(manager) });
      const none = { reminded: false, escalated: false };
      if (!locked || locked.cardIssuedAt) return none;
      const setting = await this.deps.projects.setting(manager, projectId);
      if (!setting) return none;
      const dueBy = cardDueBy(locked);
      const today = DateTime.fromJSDate(now, { zone: setting.zone }).toISODate()!;
      const slot = cardReminderSlot(locked.acceptedOn, dueBy, today);
      const lead = setting.lead?.active ? setting.lead : null;
      const reminded = slot !== null && lead !== null ? await this.tell(manager, setting.office, setting.project, lead, slot.slot, dueBy, now) : false;
      const escalated = cardOverdue(dueBy, today) && !locked.cardEscalatedAt ? await this.escalate(manager, setting.office, locked, setting.lead, dueBy, now) : false;
      return { reminded, escalated };
    });
  }

  /** Tells the supervisors that the card's month passed without it, and notes it on the project. */
  private async escalate(manager: EntityManager, office: Office, project: Project, lead: StaffMember | null, dueBy: string, now: Date): Promise<boolean> {
    const history = [...(project.history ?? []), { at: now.toISOString(), action: 'card_overdue_escalated', by: 'system', details: { dueBy } }];
    await manager.update(Project, { id: project.id }, { cardEscalatedAt: now, history, updatedAt: now } as never);
    const queued = await this.deps.notifier.tellSupervisors(manager, office, {
      key: `warranty-card:${project.id}:escalated`,
      title: '保修证书逾期未签发',
      lines: [
        `工程「${project.name}」于 ${project.acceptedOn} 竣工验收，保修证书应于 ${dueBy} 前签发，至今未签发。`,
        `保修负责人：${lead?.name ?? project.warrantyLeadId}。请督促签发，并在系统中登记签发日期。`,
      ],
      now,
    });
    return queued.length > 0;
  }

  private async tell(manager: EntityManager, office: Office, project: Project, lead: StaffMember, slot: string, dueBy: string, now: Date): Promise<boolean> {
    const late = slot.startsWith('overdue') || slot === 'due';
    const queued = await this.deps.notifier.tellStaff(manager, office, lead, {
      key: `warranty-card:${project.id}:${slot}`,
      purpose: 'warranty_card_reminder',
      payload: renderPlainNotice({
        title: late ? '保修证书逾期未签发' : '保修证书待签发',
        lines: [
          `工程「${project.name}」已于 ${project.acceptedOn} 竣工验收。`,
          `保修证书应于 ${dueBy} 前签发给建设单位（${project.owner.name}）${late ? '，现已到期' : ''}。`,
          '签发后请在系统中登记签发日期。',
        ],
        uniqueTag: `warranty-card:${project.id}:${slot}`,
      }),
      now,
    });
    return queued !== null;
  }
}
