import { DataSource, EntityManager, In, IsNull, LessThan, LessThanOrEqual, MoreThan } from 'typeorm';
import { Visit, VisitStatus } from '../../entities';
import { inTransaction, writeLock } from '../db/transaction';
import { Job, JobContext, JobName } from '../jobs/job';
import { Logger } from '../log';
import { reminderInstants } from '../rules/reminder-instants';
import { residentAskInstant } from '../rules/resident-ask';
import { DEFAULT_RESIDENT_QUIET, DEFAULT_STAFF_QUIET } from '../rules/quiet-hours';
import { recordHistory } from './visit-history';
import { VisitMessages } from './visit-messages';

/** The survey stage a resident stopped at: ratings, then shortcomings, then the 确认. */
export function pendingStage(visit: Visit): 'ratings' | 'shortcomings' | 'confirm' {
  if (visit.quality === null || visit.effect === null || visit.satisfaction === null) return 'ratings';
  return visit.shortcomings === null ? 'shortcomings' : 'confirm';
}

/** Visits a sweep handles per page; each visit in its own transaction. */
const PAGE = 200;

/** Statuses in which reminders go out: the window is open and nothing is recorded yet. */
const REMINDABLE = [VisitStatus.Due, VisitStatus.InProgress];

/** Routes on which the product itself asks the resident (a card, or a customer-contact link). */
const ASKED_ROUTES = ['card', 'external'];

/** How long a resident has to answer before the one re-ask (domain.md §3, default 24 h). */
const DEFAULT_REASK_HOURS = 24;

type SweepOutcome = Record<string, number>;

/**
 * The visit loop's sweeps. Each selects what is due up to `now` and acts idempotently: every
 * message has a unique outbox key (visit, slot, person), so a rerun, a second instance or a
 * catch-up after downtime queues nothing twice.
 */
export class VisitSweeps {
  constructor(private readonly deps: { dataSource: DataSource; messages: VisitMessages }) {}

  jobs(): Job[] {
    return [
      { name: JobName.Reminders, run: (c) => this.reminders(c) },
      { name: JobName.ResidentReask, run: (c) => this.residentReask(c) },
      { name: JobName.Overdue, run: (c) => this.overdue(c) },
    ];
  }

  /**
   * Opens windows (planned → due), asks residents who can be reached by card, and sends the
   * staff reminder of the latest slot that has come (window open, halfway, 09:00 last day).
   */
  async reminders({ now, log }: JobContext): Promise<SweepOutcome> {
    const outcome = { opened: 0, residentsAsked: 0, reminders: 0 };
    await this.eachVisit(
      { status: VisitStatus.Planned, opensAt: LessThanOrEqual(now) },
      log,
      async (manager, visit) => {
        visit.status = VisitStatus.Due;
        visit.updatedAt = now;
        await manager.save(Visit, visit);
        await recordHistory(manager, [{ visitId: visit.id, at: now, actor: 'system', actorKind: 'system', action: 'window_opened', details: null }]);
        outcome.opened++;
      },
    );
    await this.eachVisit(
      { status: In(REMINDABLE), opensAt: LessThanOrEqual(now), closesAt: MoreThan(now), recordedAt: IsNull() },
      log,
      async (manager, visit) => {
        const ctx = await this.deps.messages.context(manager, visit);
        if ((visit.residentRoute === 'card' || visit.residentRoute === 'external') && visit.residentAskedAt === null) {
          const at = residentAskInstant(visit.opensAt > now ? visit.opensAt : now, ctx.zone, ctx.office.policy?.residentQuietHours ?? DEFAULT_RESIDENT_QUIET);
          const askedAt = await this.deps.messages.askResident(manager, ctx, 'ratings', 1, at, now);
          if (askedAt) {
            visit.residentAskedAt = askedAt;
            visit.updatedAt = now;
            await manager.save(Visit, visit);
            await recordHistory(manager, [{ visitId: visit.id, at: now, actor: 'system', actorKind: 'system', action: 'resident_asked', details: { at: askedAt.toISOString() } }]);
            outcome.residentsAsked++;
          }
        }
        const slots = reminderInstants({ opensAt: visit.opensAt, closesAt: visit.closesAt }, ctx.zone, {
          quiet: ctx.office.policy?.staffQuietHours ?? DEFAULT_STAFF_QUIET,
        }).filter((r) => r.at <= now);
        // Only the latest slot that has come: after downtime, one reminder, not a burst.
        const latest = slots[slots.length - 1];
        if (latest) outcome.reminders += await this.deps.messages.remindStaff(manager, ctx, latest.slot, latest.at, now);
      },
    );
    return outcome;
  }

  /**
   * One re-ask after 24 h without an answer; 24 h after that the visit goes back to its
   * visitors with a "resident did not answer" card.
   */
  async residentReask({ now, log }: JobContext): Promise<SweepOutcome> {
    const outcome = { reasked: 0, handedBack: 0 };
    const hours = DEFAULT_REASK_HOURS * 3_600_000;
    await this.eachVisit(
      { status: In(REMINDABLE), recordedAt: IsNull(), residentRoute: In(ASKED_ROUTES), residentAskedAt: LessThanOrEqual(new Date(now.getTime() - hours)), residentReaskedAt: IsNull() },
      log,
      async (manager, visit) => {
        const ctx = await this.deps.messages.context(manager, visit);
        const wait = (ctx.office.policy?.residentReaskAfterHours ?? DEFAULT_REASK_HOURS) * 3_600_000;
        if (visit.residentAskedAt!.getTime() + wait > now.getTime()) return;
        const at = await this.deps.messages.askResident(manager, ctx, pendingStage(visit), 2, now, now);
        visit.residentReaskedAt = at ?? now;
        visit.updatedAt = now;
        await manager.save(Visit, visit);
        await recordHistory(manager, [{ visitId: visit.id, at: now, actor: 'system', actorKind: 'system', action: 'resident_reasked', details: null }]);
        outcome.reasked++;
      },
    );
    await this.eachVisit(
      { status: In(REMINDABLE), recordedAt: IsNull(), residentRoute: In(ASKED_ROUTES), residentReaskedAt: LessThanOrEqual(new Date(now.getTime() - hours)) },
      log,
      async (manager, visit) => {
        const ctx = await this.deps.messages.context(manager, visit);
        const queued = await this.deps.messages.remindStaff(manager, ctx, 'no_answer', now, now);
        if (queued > 0) {
          await recordHistory(manager, [{ visitId: visit.id, at: now, actor: 'system', actorKind: 'system', action: 'resident_silent', details: { handedBackTo: ctx.assignees.map((s) => s.id) } }]);
          outcome.handedBack++;
        }
      },
    );
    return outcome;
  }

  /** A window that closed unrecorded: the visit becomes overdue and the supervisor hears once. */
  async overdue({ now, log }: JobContext): Promise<SweepOutcome> {
    const outcome = { overdue: 0 };
    await this.eachVisit(
      { status: In([VisitStatus.Planned, VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Unassigned]), closesAt: LessThan(now), recordedAt: IsNull() },
      log,
      async (manager, visit) => {
        visit.status = VisitStatus.Overdue;
        visit.updatedAt = now;
        await manager.save(Visit, visit);
        await recordHistory(manager, [{ visitId: visit.id, at: now, actor: 'system', actorKind: 'system', action: 'overdue', details: { closedAt: visit.closesAt.toISOString() } }]);
        await this.deps.messages.tellOverdue(manager, await this.deps.messages.context(manager, visit), now);
        outcome.overdue++;
      },
    );
    return outcome;
  }

  /**
   * Visits matching `where`, page by page in id order, each handled in its own transaction
   * after re-reading it under a lock (another instance may have changed it meanwhile). One
   * visit's failure is logged and the sweep goes on.
   */
  private async eachVisit(
    where: Record<string, unknown>,
    log: Logger,
    handle: (manager: EntityManager, visit: Visit) => Promise<void>,
  ): Promise<void> {
    let afterId = 0;
    for (;;) {
      const page = await this.deps.dataSource.getRepository(Visit).find({
        select: { id: true },
        where: { ...where, id: MoreThan(afterId) },
        order: { id: 'ASC' },
        take: PAGE,
      });
      if (page.length === 0) return;
      for (const { id } of page) {
        try {
          await inTransaction(this.deps.dataSource, async (manager) => {
            const visit = await manager.findOne(Visit, { where: { ...where, id }, ...writeLock(manager) });
            if (visit) await handle(manager, visit);
          });
        } catch (err) {
          log.error({ visitId: id, err: (err as Error).message }, 'sweep failed for one visit');
        }
      }
      afterId = page[page.length - 1].id;
    }
  }
}

