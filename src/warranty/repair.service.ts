import { DateTime } from 'luxon';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { RepairStatus, StaffMember, WarrantyRepair } from '../../entities';
import { Clock } from '../clock';
import { inTransaction, writeLock } from '../db/transaction';
import { ConflictError, NotFoundError } from '../errors';
import { JobContext } from '../jobs/job';
import { ProjectService } from './project.service';
import { decideRepair, isRepairRefusal, RepairCommand, repairDeadlines } from './repair-lifecycle';
import { RepairMessages } from './repair-messages';
import { categoryEnd, fieldError } from './warranty-terms';

/** A warranty report (保修意见) as the API takes it. */
export interface RepairReport {
  reportedAt: Date;
  category: string;
  location: string;
  description: string;
}

const OPEN = [RepairStatus.Reported, RepairStatus.OnSite, RepairStatus.Assessed];

/**
 * Warranty repairs: a report starts the 24 h / 15 d clock; each step is one command of the pure
 * repair lifecycle (src/warranty/repair-lifecycle.ts), applied under the repair's row lock with
 * its history and messages in one transaction.
 */
export class WarrantyRepairs {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; projects: ProjectService; messages: RepairMessages }) {}

  async report(projectId: string, input: RepairReport): Promise<WarrantyRepair> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const setting = await this.deps.projects.setting(manager, projectId);
      if (!setting) throw new NotFoundError(`project ${projectId}`);
      const endsOn = categoryEnd(setting.project, input.category);
      if (input.reportedAt > now) throw fieldError('reportedAt', 'must not be in the future');
      const reportedOn = DateTime.fromJSDate(input.reportedAt, { zone: setting.zone }).toISODate()!;
      if (reportedOn < setting.project.acceptedOn) throw fieldError('reportedAt', `must not be before acceptance (${setting.project.acceptedOn})`);
      // After the category's warranty ended, help is still given, for materials and labour.
      const afterExpiry = reportedOn > endsOn;
      const repair = manager.create(WarrantyRepair, {
        officeId: setting.project.officeId,
        projectId,
        category: input.category,
        location: input.location,
        description: input.description,
        status: RepairStatus.Reported,
        reportedAt: input.reportedAt,
        ...repairDeadlines(input.reportedAt),
        charged: afterExpiry,
        history: [{ at: now.toISOString(), action: 'reported', by: 'admin', details: { category: input.category, endsOn, afterExpiry } }],
        createdAt: now,
        updatedAt: now,
      });
      await manager.save(WarrantyRepair, repair);
      // A report entered late may already be near or past its deadlines.
      await this.applyIn(manager, repair.id, { type: 'remind' }, now);
      return manager.findOneByOrFail(WarrantyRepair, { id: repair.id });
    });
  }

  /** Runs one step; a step out of order is refused with 409 naming it, nothing written. */
  step(repairId: number, command: RepairCommand): Promise<WarrantyRepair> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, (manager) => this.applyIn(manager, repairId, command, now));
  }

  /** Runs one step inside the caller's transaction (a card tap's). */
  stepIn(manager: EntityManager, repairId: number, command: RepairCommand): Promise<WarrantyRepair> {
    return this.applyIn(manager, repairId, command, this.deps.clock.now());
  }

  /** The sweep: reminders before each deadline of every open repair, escalation once one passes. */
  async remindAll({ log }: JobContext): Promise<Record<string, number>> {
    const outcome = { repairReminders: 0, repairEscalations: 0 };
    const open = await this.deps.dataSource.getRepository(WarrantyRepair).find({
      select: { id: true },
      where: [
        { status: In(OPEN), solveEscalatedAt: IsNull() },
        { status: RepairStatus.Reported, onSiteEscalatedAt: IsNull() },
      ],
      order: { id: 'ASC' },
    });
    for (const { id } of open) {
      try {
        const before = await this.deps.dataSource.getRepository(WarrantyRepair).findOneByOrFail({ id });
        const after = await this.step(id, { type: 'remind' });
        outcome.repairReminders += Number(!before.onSiteRemindedAt && !!after.onSiteRemindedAt) + Number(!before.solveRemindedAt && !!after.solveRemindedAt);
        outcome.repairEscalations += Number(!before.onSiteEscalatedAt && !!after.onSiteEscalatedAt) + Number(!before.solveEscalatedAt && !!after.solveEscalatedAt);
      } catch (err) {
        log.error({ repairId: id, err: (err as Error).message }, 'warranty repair sweep failed for one repair');
      }
    }
    return outcome;
  }

  private async applyIn(manager: EntityManager, repairId: number, command: RepairCommand, now: Date): Promise<WarrantyRepair> {
    const repair = await manager.findOne(WarrantyRepair, { where: { id: repairId }, ...writeLock(manager) });
    if (!repair) throw new NotFoundError(`warranty repair ${repairId}`);
    // A step is taken by someone of the project's office: the history names who.
    if ('by' in command && !(await manager.findOneBy(StaffMember, { officeId: repair.officeId, id: command.by, active: true }))) {
      throw fieldError('by', `${command.by} is not an active staff member of office ${repair.officeId}`);
    }
    const outcome = decideRepair(repair, command, now);
    if (isRepairRefusal(outcome)) throw new ConflictError(outcome.refused.code, outcome.refused.message);
    if (Object.keys(outcome.changes).length === 0 && outcome.steps.length === 0) return repair;
    const after = Object.assign(repair, outcome.changes, { history: [...repair.history, ...outcome.steps], updatedAt: now });
    await manager.update(WarrantyRepair, { id: repairId }, { ...outcome.changes, history: after.history, updatedAt: now } as never);
    if (outcome.messages.length > 0) {
      const setting = await this.deps.projects.setting(manager, repair.projectId);
      if (setting) for (const message of outcome.messages) await this.deps.messages.queue(manager, { ...setting, repair: after }, message, now);
    }
    return after;
  }
}
