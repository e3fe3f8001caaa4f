import { DataSource, In, IsNull, LessThan, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { VisitStatus } from '../../entities';
import { visitIdsAfter } from '../db/visit-store';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { VisitContexts } from './visit-context';
import { VisitCommand } from './visit-decision';
import { Applied, VisitLifecycle } from './visit-lifecycle.service';

/** Visits a sweep handles per page; each visit in its own transaction. */
const PAGE = 200;

/** Statuses in which the window is open and nobody has recorded yet. */
const WAITING = [VisitStatus.Due, VisitStatus.InProgress];

/**
 * The shortest wait any office's policy can set (re-ask, hand-back, resolution): the sweeps
 * select with it and the lifecycle decides with each office's own value, so a policy of a few
 * hours is honoured and a fixed default never filters first.
 */
const SHORTEST_WAIT_MS = 3_600_000;

type Outcome = Record<string, unknown>;

/**
 * The visit lifecycle's schedule (docs/rules.md §3–§4). Each sweep selects the visits that may
 * have something due up to `now` and runs the lifecycle's commands on each: the lifecycle
 * decides whether anything is due, and every message has a unique key (visit, slot, person), so
 * a rerun, a second instance or a catch-up after downtime does nothing twice.
 */
export class VisitSweeps {
  constructor(private readonly deps: { dataSource: DataSource; lifecycle: VisitLifecycle }) {}

  jobs(): Job[] {
    return [
      { name: JobName.Reminders, run: (c) => this.reminders(c) },
      { name: JobName.ResidentReask, run: (c) => this.residentReask(c) },
      { name: JobName.Overdue, run: (c) => this.overdue(c) },
    ];
  }

  /**
   * Opens windows (planned → due), asks residents who answer themselves, reminds visitors of
   * the latest slot that has come (window open, halfway, 09:00 last day), and reminds managers
   * at half of their handling time.
   */
  async reminders({ now, log }: JobContext): Promise<Outcome> {
    const outcome = { opened: 0, residentsAsked: 0, reminders: 0, handlersReminded: 0 };
    const count = (applied: Applied) => {
      const actions = applied.decision.history.map((h) => h.action);
      if (actions.includes('window_opened')) outcome.opened++;
      if (actions.includes('resident_asked')) outcome.residentsAsked++;
      if (actions.includes('handler_reminded')) outcome.handlersReminded++;
      outcome.reminders += applied.queued.visitor_reminder ?? 0;
    };
    const contexts = this.deps.lifecycle.contexts();
    const failures = new ItemFailures(log);
    await this.each({ status: VisitStatus.Planned, opensAt: LessThanOrEqual(now) }, [{ type: 'open_window' }], { failures, contexts, count });
    await this.each(
      { status: In([...WAITING, VisitStatus.Unassigned]), opensAt: LessThanOrEqual(now), closesAt: MoreThan(now), recordedAt: IsNull() },
      [{ type: 'ask_resident' }, { type: 'remind_visitors' }],
      { failures, contexts, count },
    );
    await this.each({ status: VisitStatus.Escalated, escalationRemindedAt: IsNull() }, [{ type: 'remind_handler' }], { failures, contexts, count });
    return { ...outcome, ...failures.report() };
  }

  /**
   * One re-ask after the office's re-ask delay without an answer; after the same delay again
   * the visit goes back to its visitors with a "resident did not answer" card.
   */
  async residentReask({ now, log }: JobContext): Promise<Outcome> {
    const outcome = { reasked: 0, handedBack: 0 };
    const since = new Date(now.getTime() - SHORTEST_WAIT_MS);
    const contexts = this.deps.lifecycle.contexts();
    const failures = new ItemFailures(log);
    const count = (applied: Applied) => {
      const actions = applied.decision.history.map((h) => h.action);
      if (actions.includes('resident_reasked')) outcome.reasked++;
      if (actions.includes('resident_silent')) outcome.handedBack++;
    };
    const waiting = { status: In(WAITING), recordedAt: IsNull(), residentRoute: In(['card', 'external', 'official_account']), residentCompletes: true };
    await this.each({ ...waiting, residentAskedAt: LessThanOrEqual(since), residentReaskedAt: IsNull() }, [{ type: 'reask_resident' }], { failures, contexts, count });
    await this.each({ ...waiting, residentReaskedAt: LessThanOrEqual(since), handedBackAt: IsNull() }, [{ type: 'hand_back' }], { failures, contexts, count });
    return { ...outcome, ...failures.report() };
  }

  /**
   * Deadlines that pass: a window that closed unrecorded makes the visit overdue (the supervisor
   * hears once); a manager's handling time that passed is reported to the supervisor; a passed
   * review closes after its days; a handled visit whose resident stays silent closes as handled.
   */
  async overdue({ now, log }: JobContext): Promise<Outcome> {
    const outcome = { overdue: 0, handlingOverdue: 0, closed: 0 };
    const contexts = this.deps.lifecycle.contexts();
    const failures = new ItemFailures(log);
    const count = (applied: Applied) => {
      const actions = applied.decision.history.map((h) => h.action);
      if (actions.includes('overdue')) outcome.overdue++;
      if (actions.includes('handling_overdue')) outcome.handlingOverdue++;
      if (actions.includes('closed')) outcome.closed++;
    };
    await this.each(
      { status: In([VisitStatus.Planned, VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Unassigned]), closesAt: LessThan(now), recordedAt: IsNull() },
      [{ type: 'mark_overdue' }],
      { failures, contexts, count },
    );
    await this.each({ status: VisitStatus.Escalated, handleBy: LessThanOrEqual(now), escalationOverdueAt: IsNull() }, [{ type: 'report_handling_overdue' }], { failures, contexts, count });
    await this.each({ status: VisitStatus.Reviewed, reviewedAt: Not(IsNull()) }, [{ type: 'close_after_review' }], { failures, contexts, count });
    await this.each(
      { status: VisitStatus.Handled, resolutionAskedAt: LessThanOrEqual(new Date(now.getTime() - SHORTEST_WAIT_MS)) },
      [{ type: 'close_without_resolution' }],
      { failures, contexts, count },
    );
    return { ...outcome, ...failures.report() };
  }

  /**
   * Runs `commands` on every visit matching `where`, page by page in id order, each visit in its
   * own transaction (the lifecycle reads it again under a lock: another instance may have
   * changed it meanwhile). One visit's failure is logged, listed in the run's `failures`, and
   * the sweep goes on.
   */
  private async each(
    where: Record<string, unknown>,
    commands: VisitCommand[],
    run: { failures: ItemFailures; contexts: VisitContexts; count: (applied: Applied) => void },
  ): Promise<void> {
    for (let afterId = 0; ; ) {
      const ids = await visitIdsAfter(this.deps.dataSource.manager, where, afterId, PAGE);
      if (ids.length === 0) return;
      for (const id of ids) {
        const applied = await run.failures.attempt({ visitId: id }, () => this.deps.lifecycle.run(id, commands, { kind: 'system' }, { contexts: run.contexts }), null);
        if (applied) run.count(applied);
      }
      afterId = ids[ids.length - 1];
    }
  }
}
