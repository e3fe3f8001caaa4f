import { DataSource, EntityManager, In, MoreThanOrEqual, Not } from 'typeorm';
import { InboundEvent, Office, OPEN_VISIT_STATUSES, Resident, SamplingQuota, Visit, VisitStatus, WorkOrder, WorkOrderState } from '../../entities';
import { Clock } from '../clock';
import { isMysqlSource } from '../db/data-source';
import { inTransaction, isUniqueViolation, writeLock } from '../db/transaction';
import { DomainError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { alwaysSelectReason } from '../rules/always-select';
import { WorkOrderKind } from '../rules/kinds';
import { quarterOf } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { sampleWorkOrder } from '../rules/sample-work-order';
import { visitWindows } from '../rules/visit-window';
import { recordHistory } from '../visits/visit-history';
import { cancelOpenVisits, PlannedVisit, VisitPlanner } from '../visits/visit-planner';
import { WorkOrderEvent } from './work-order-event.schema';

/** How far back an unqualified visit on the same unit forces selection (domain.md §2). */
const RECENT_UNQUALIFIED_DAYS = 90;

export interface VisitView {
  id: number;
  kind: string;
  purpose: string;
  status: string;
  dueFrom: string;
  dueBy: string;
  assignees: string[];
}

export type IngestResult =
  | { status: 'accepted'; visits: VisitView[]; reason?: string }
  | { status: 'duplicate' }
  | { status: 'stale'; visits: []; reason: string };

/**
 * Applies work-order events: stores each once, keeps the latest state of each work order,
 * and plans, replans or cancels visits by the rules. All of it commits together with the
 * event's row in the idempotency log, so a repeat or a crash in the middle leaves no trace.
 */
export class WorkOrderIngest {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      planner: VisitPlanner;
      defaultTimeZone: string;
      channelOf: (office: Office) => 'wecom' | 'dingtalk';
      /** Throws `409 quarter_archived` for a visit of a locked quarter (the archive). */
      assertWritable?: (manager: EntityManager, visit: Visit) => Promise<void>;
    },
  ) {}

  async ingest(event: WorkOrderEvent, payload: unknown): Promise<IngestResult> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const office = await manager.findOneBy(Office, { id: event.workOrder.officeId });
      if (!office) {
        throw new DomainError('unknown_office', `workOrder.officeId "${event.workOrder.officeId}" is not a known office`, 422);
      }
      if (!(await this.claimEvent(manager, event, payload, now))) return { status: 'duplicate' };

      const existing = await manager.findOne(WorkOrder, { where: { id: event.workOrder.id }, ...writeLock(manager) });
      if (existing && event.occurredAt < existing.lastEventAt) {
        await manager.update(InboundEvent, { source: 'work_orders', eventId: event.eventId }, { outcome: 'stale' });
        return { status: 'stale', visits: [], reason: 'an event with a later occurredAt was already applied' };
      }

      const resident = await this.upsertResident(manager, event, existing, now);
      const previousState = existing?.state ?? null;
      const order = this.merged(manager, existing, event, now);
      const outcome = await this.apply(manager, office, order, previousState, resident, event, now);
      // One write of the work order, after the rules changed it (sampling, completions).
      if (existing) await manager.update(WorkOrder, { id: order.id }, order);
      else await manager.insert(WorkOrder, order);
      return outcome;
    });
  }

  /**
   * A reopen or cancel must not change visits of an archived quarter: the whole event is
   * refused with 409 (and not stored), so the work-order system sees it.
   */
  private async assertOpenVisitsWritable(manager: EntityManager, workOrderId: string): Promise<void> {
    if (!this.deps.assertWritable) return;
    const open = await manager.find(Visit, { where: { workOrderId, status: In([...OPEN_VISIT_STATUSES]) } });
    for (const visit of open) await this.deps.assertWritable(manager, visit);
  }

  /** Inserts the idempotency row; false when this eventId was seen before. */
  private async claimEvent(manager: EntityManager, event: WorkOrderEvent, payload: unknown, now: Date): Promise<boolean> {
    try {
      await manager
        .createQueryBuilder()
        .insert()
        .into(InboundEvent)
        .values({
          source: 'work_orders',
          eventId: event.eventId,
          type: event.type,
          subjectId: event.workOrder.id,
          // Written as applied: if the work fails, the transaction rolls this row back too.
          outcome: 'applied',
          payload: payload as object,
          receivedAt: now,
          processedAt: now,
        })
        .execute();
      return true;
    } catch (err) {
      // Why: the unique (source, eventId) key is the idempotency guarantee. Concurrent copies
      // wait on the first insert's lock and fail here once it commits.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  private async upsertResident(manager: EntityManager, event: WorkOrderEvent, existing: WorkOrder | null, now: Date): Promise<Resident | null> {
    const given = event.workOrder.resident;
    if (!given) {
      return existing?.residentId ? manager.findOneBy(Resident, { officeId: event.workOrder.officeId, id: existing.residentId }) : null;
    }
    const resident = manager.create(Resident, {
      officeId: event.workOrder.officeId,
      id: given.id,
      name: given.name ?? null,
      phone: given.phone ?? null,
      wecomUserId: given.wecomUserId ?? null,
      wecomExternalUserId: given.wecomExternalUserId ?? null,
      wecomContactOwner: given.wecomContactOwner ?? null,
      dingtalkUserId: given.dingtalkUserId ?? null,
      anonymisedAt: null,
      updatedAt: now,
    });
    await manager.upsert(Resident, resident, ['officeId', 'id']);
    return resident;
  }

  /** The work order as this event leaves it (written once, after the rules ran). */
  private merged(manager: EntityManager, existing: WorkOrder | null, event: WorkOrderEvent, now: Date): WorkOrder {
    const w = event.workOrder;
    const state = event.type.slice('work_order.'.length) as WorkOrderState;
    const order = existing ?? manager.create(WorkOrder, {
      id: w.id,
      createdAt: now,
      completions: 0,
      quarter: null,
      sampling: null,
      samplingReason: null,
      samplingEligible: null,
      samplingSelected: null,
      samplingTarget: null,
    });
    Object.assign(order, {
      officeId: w.officeId,
      kind: w.kind,
      severity: w.severity ?? null,
      department: w.department ?? null,
      matterKey: w.matterKey ?? order.matterKey ?? null,
      title: w.title ?? order.title ?? null,
      unitId: w.unitId ?? order.unitId ?? null,
      residentId: w.resident?.id ?? order.residentId ?? null,
      // "updated" and "created" keep the lifecycle state a completion or reopen set.
      state: state === 'updated' && existing ? existing.state : state,
      completedAt: w.completedAt ?? (state === 'reopened' ? null : order.completedAt ?? null),
      contractStartAt: w.contract?.startAt ?? order.contractStartAt ?? null,
      contractEndAt: w.contract?.endAt ?? order.contractEndAt ?? null,
      lastEventAt: event.occurredAt,
      lastEventId: event.eventId,
      updatedAt: now,
    });
    return order;
  }

  private async apply(
    manager: EntityManager,
    office: Office,
    order: WorkOrder,
    previousState: WorkOrderState | null,
    resident: Resident | null,
    event: WorkOrderEvent,
    now: Date,
  ): Promise<IngestResult> {
    const cause = { eventId: event.eventId, eventType: event.type };
    switch (event.type) {
      case 'work_order.reopened': {
        await this.assertOpenVisitsWritable(manager, order.id);
        const cancelled = await cancelOpenVisits(manager, order.id, 'reopened', now);
        return { status: 'accepted', visits: [], reason: `reopened: ${cancelled.length} open visit(s) cancelled` };
      }
      case 'work_order.cancelled': {
        await this.assertOpenVisitsWritable(manager, order.id);
        const cancelled = await cancelOpenVisits(manager, order.id, 'work_order_cancelled', now);
        return { status: 'accepted', visits: [], reason: `cancelled: ${cancelled.length} open visit(s) cancelled` };
      }
      case 'work_order.created':
      case 'work_order.updated':
        if (order.kind === 'special_service' && order.contractStartAt && order.contractEndAt) {
          return this.planSpecialService(manager, office, order, resident, now, cause);
        }
        return { status: 'accepted', visits: [], reason: 'no visit is due until the work order is completed' };
      case 'work_order.completed':
        if (order.kind === 'special_service') {
          if (!order.contractStartAt || !order.contractEndAt) {
            return { status: 'accepted', visits: [], reason: 'a special service needs its contract (startAt, endAt) to plan visits' };
          }
          return this.planSpecialService(manager, office, order, resident, now, cause);
        }
        if (previousState === 'completed') {
          return { status: 'accepted', visits: [], reason: 'already completed: its visits are planned' };
        }
        return this.planCompletion(manager, office, order, resident, now, cause);
    }
  }

  /** A completion (first, or again after a reopen): sample, then plan the window. */
  private async planCompletion(
    manager: EntityManager,
    office: Office,
    order: WorkOrder,
    resident: Resident | null,
    now: Date,
    cause: Record<string, unknown>,
  ): Promise<IngestResult> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    order.completions += 1;
    order.quarter = order.quarter ?? quarterOf(order.completedAt!, zone).label;
    const left = await this.sampleOrLeaveOut(manager, office, order, now);
    if (left) return left;
    const windows = visitWindows({ kind: order.kind as WorkOrderKind, severity: order.severity as 'major' | 'general' | null, completedAt: order.completedAt }, zone);
    const planned = await this.deps.planner.plan(manager, {
      office,
      workOrder: order,
      windows,
      resident,
      channel: this.deps.channelOf(office),
      quarter: order.quarter,
      now,
      cause: { ...cause, sampling: order.samplingReason, generation: order.completions },
    });
    return { status: 'accepted', visits: planned.map(viewOf) };
  }

  /**
   * A special service's two visits are planned as soon as its contract is known; a later
   * change of contract dates, or a completion before the contract's end, replans them.
   */
  private async planSpecialService(
    manager: EntityManager,
    office: Office,
    order: WorkOrder,
    resident: Resident | null,
    now: Date,
    cause: Record<string, unknown>,
  ): Promise<IngestResult> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const contract = { startAt: order.contractStartAt!, endAt: order.contractEndAt! };
    const endedEarly = order.completedAt !== null && order.completedAt < contract.endAt ? order.completedAt : null;
    const windows = visitWindows({ kind: 'special_service', contract, completedAt: endedEarly }, zone);

    const open = await manager.find(Visit, { where: { workOrderId: order.id, status: In([...OPEN_VISIT_STATUSES]) } });
    const done = await manager.find(Visit, { where: { workOrderId: order.id, status: Not(In([...OPEN_VISIT_STATUSES, VisitStatus.Cancelled])) } });
    const toPlan = windows.filter((w) => !done.some((d) => d.purpose === w.purpose));
    const unchanged =
      open.length === toPlan.length &&
      toPlan.every((w) => open.some((v) => v.purpose === w.purpose && v.opensAt.getTime() === w.opensAt.getTime() && v.closesAt.getTime() === w.closesAt.getTime()));
    if (unchanged && open.length > 0) {
      return { status: 'accepted', visits: await Promise.all(open.map((v) => viewOfStored(manager, v))), reason: 'visits already planned' };
    }
    if (open.length > 0) {
      await this.assertOpenVisitsWritable(manager, order.id);
      await cancelOpenVisits(manager, order.id, 'contract_changed', now);
    }

    order.quarter = order.quarter ?? quarterOf(endedEarly ?? contract.endAt, zone).label;
    if (order.completions === 0) order.completions = 1;
    const left = await this.sampleOrLeaveOut(manager, office, order, now);
    if (left) return left;
    const planned = await this.deps.planner.plan(manager, {
      office,
      workOrder: order,
      windows: toPlan,
      resident,
      channel: this.deps.channelOf(office),
      quarter: order.quarter,
      now,
      cause: { ...cause, sampling: order.samplingReason },
    });
    return { status: 'accepted', visits: planned.map(viewOf) };
  }

  /** Samples a work order not yet decided; the answer when it is left out, else null. */
  private async sampleOrLeaveOut(manager: EntityManager, office: Office, order: WorkOrder, now: Date): Promise<IngestResult | null> {
    if (order.sampling === null) await this.sample(manager, office, order, now);
    return order.sampling === 'not_sampled'
      ? { status: 'accepted', visits: [], reason: 'not_sampled: the rate target is met without this work order' }
      : null;
  }

  /**
   * The quota sampler of domain.md §2, per office, kind and quarter. A 100 % kind needs no
   * decision and touches no quota row, so completions of one kind do not queue behind each
   * other. Below 100 % the quota row is locked for the rest of the transaction, so two
   * completions cannot both take the last place; the always-select questions are asked
   * before, to hold the lock briefly.
   */
  private async sample(manager: EntityManager, office: Office, order: WorkOrder, now: Date): Promise<void> {
    const kind = order.kind as WorkOrderKind;
    const key = { officeId: office.id, kind, quarter: order.quarter! };
    const target = rateTargetFor(kind, (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>);
    if (target >= 1) {
      Object.assign(order, { sampling: 'selected', samplingReason: 'full_rate', samplingTarget: target });
      return;
    }
    const always = alwaysSelectReason({
      kind,
      unqualifiedVisitOnUnitWithin90Days: await this.recentUnqualifiedOnUnit(manager, office.id, order, now),
      earlierRepairsOfSameMatterOnUnitThisQuarter: await this.earlierRepairsOfMatter(manager, office.id, order),
    });
    await this.ensureQuotaRow(manager, key);
    const quota = await manager.findOneOrFail(SamplingQuota, { where: key, ...writeLock(manager) });
    const decision = sampleWorkOrder({ target, eligibleBefore: quota.eligible, selectedBefore: quota.selected, alwaysSelect: always });
    await manager.update(SamplingQuota, key, { eligible: decision.eligible, selected: decision.selectedAfter });
    Object.assign(order, {
      sampling: decision.selected ? 'selected' : 'not_sampled',
      samplingReason: decision.reason,
      samplingEligible: decision.eligible,
      samplingSelected: decision.selectedAfter,
      samplingTarget: target,
    });
  }

  /**
   * Creates the quota row, or write-locks the existing one, in one statement. A new row starts
   * from the quarter's work orders already decided (there are some when the kind was at 100 %
   * until its target was lowered). Why one statement: an insert that fails on the existing row
   * would leave a shared lock that deadlocks against the next transaction's FOR UPDATE.
   */
  private async ensureQuotaRow(manager: EntityManager, key: { officeId: string; kind: string; quarter: string }): Promise<void> {
    const seed =
      'SELECT ?, ?, ?, COUNT(*), COALESCE(SUM(CASE WHEN sampling = \'selected\' THEN 1 ELSE 0 END), 0) FROM work_orders ' +
      'WHERE officeId = ? AND kind = ? AND quarter = ? AND sampling IS NOT NULL';
    await manager.query(
      isMysqlSource(manager.connection)
        ? `INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) ${seed} ON DUPLICATE KEY UPDATE eligible = eligible`
        : `INSERT INTO sampling_quotas (officeId, kind, quarter, eligible, selected) ${seed} ON CONFLICT DO NOTHING`,
      [key.officeId, key.kind, key.quarter, key.officeId, key.kind, key.quarter],
    );
  }

  private async recentUnqualifiedOnUnit(manager: EntityManager, officeId: string, order: WorkOrder, now: Date): Promise<boolean> {
    if (!order.unitId) return false;
    const since = new Date((order.completedAt ?? now).getTime() - RECENT_UNQUALIFIED_DAYS * 86_400_000);
    const count = await manager.count(Visit, {
      where: { officeId, unitId: order.unitId, verdict: 'unqualified', recordedAt: MoreThanOrEqual(since) },
    });
    return count > 0;
  }

  private async earlierRepairsOfMatter(manager: EntityManager, officeId: string, order: WorkOrder): Promise<number> {
    if (order.kind !== 'repair' || !order.unitId || !order.matterKey) return 0;
    return manager.count(WorkOrder, {
      where: {
        officeId,
        kind: 'repair',
        unitId: order.unitId,
        matterKey: order.matterKey,
        quarter: order.quarter!,
        id: Not(order.id),
        completions: MoreThanOrEqual(1),
      },
    });
  }
}

function viewOf(planned: PlannedVisit): VisitView {
  return {
    id: planned.visit.id,
    kind: planned.visit.kind,
    purpose: planned.visit.purpose,
    status: planned.visit.status,
    dueFrom: planned.visit.opensAt.toISOString(),
    dueBy: planned.visit.closesAt.toISOString(),
    assignees: planned.assignees.map((a) => a.staffId),
  };
}

async function viewOfStored(manager: EntityManager, visit: Visit): Promise<VisitView> {
  const rows = await manager.query(`SELECT staffId FROM visit_assignees WHERE visitId = ? ORDER BY staffId`, [visit.id]);
  return {
    id: visit.id,
    kind: visit.kind,
    purpose: visit.purpose,
    status: visit.status,
    dueFrom: visit.opensAt.toISOString(),
    dueBy: visit.closesAt.toISOString(),
    assignees: rows.map((r: { staffId: string }) => r.staffId),
  };
}
