import { DataSource, EntityManager, In, MoreThanOrEqual, Not } from 'typeorm';
import { Office, OPEN_VISIT_STATUSES, Resident, SamplingQuota, Visit, VisitAssignee, VisitStatus, WorkOrder, WorkOrderState } from '../../entities';
import { BatchQueue, settle, Settled } from '../batch-queue';
import { Clock } from '../clock';
import { isMysqlSource } from '../db/data-source';
import { inTransaction, isUniqueViolation, writeLock } from '../db/transaction';
import { DomainError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { alwaysSelectReason } from '../rules/always-select';
import { StaffRole, WorkOrderKind } from '../rules/kinds';
import { quarterOf } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { sampleWorkOrder } from '../rules/sample-work-order';
import { visitWindows } from '../rules/visit-window';
import { cancelOpenVisits, PlannedVisit, VisitPlanner } from '../visits/visit-planner';
import { BatchOptions, EventAlreadyStored, IngestBatch, VisitsNotNumberedInSequence } from './ingest-batch';
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

/** How many events at most share one transaction. */
const MAX_BATCH = 64;
/** Batches one process runs at once on MySQL/MariaDB: one is prepared while another commits. */
const MYSQL_BATCHES_AT_ONCE = 1;
/** How often one event is applied again after another instance stored a row it also creates. */
const MAX_ATTEMPTS_ALONE = 3;

interface Submitted {
  event: WorkOrderEvent;
  payload: unknown;
}

/** An event's outcome before the batch is written: planned visits get their ids on writing. */
type Applied =
  | { status: 'accepted'; planned: PlannedVisit[]; reason?: string }
  | { status: 'duplicate' }
  | { status: 'stale'; reason: string };

/**
 * Applies work-order events: stores each once, keeps the latest state of each work order,
 * and plans, replans or cancels visits by the rules. All of it commits together with the
 * event's row in the idempotency log, so a repeat or a crash in the middle leaves no trace.
 *
 * Events that arrive together share one transaction (a batch, see BatchQueue and
 * IngestBatch): under load, one commit and a few bulk statements serve many events. If a
 * batch fails, its events are applied again one by one, so only the event at fault fails and
 * the others are answered as if they had come alone.
 */
export class WorkOrderIngest {
  private readonly queue: BatchQueue<Submitted, IngestResult>;

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      planner: VisitPlanner;
      defaultTimeZone: string;
      channelOf: (office: Office) => 'wecom' | 'dingtalk';
      /**
       * Throws `409 quarter_archived` for a visit of a locked quarter (the archive): a reopen or
       * cancel that would change one is refused whole (and not stored), so the work-order system sees it.
       */
      assertWritable?: (manager: EntityManager, visit: Visit) => Promise<void>;
    },
  ) {
    // SQLite has one writer: a second batch would only wait for the first.
    const runners = isMysqlSource(deps.dataSource) ? MYSQL_BATCHES_AT_ONCE : 1;
    this.queue = new BatchQueue((items) => this.applyBatch(items), { maxBatch: MAX_BATCH, runners });
  }

  ingest(event: WorkOrderEvent, payload: unknown): Promise<IngestResult> {
    return this.queue.submit({ event, payload });
  }

  private async applyBatch(items: Submitted[]): Promise<Array<Settled<IngestResult>>> {
    if (items.length > 1) {
      try {
        return await this.applyTogether(items);
      } catch {
        // Some event of the batch failed (or lost a race with another instance): apply each
        // alone, so the others are not held back by it.
      }
    }
    const settled: Array<Settled<IngestResult>> = [];
    for (const item of items) settled.push(await settle(() => this.applyAlone(item)));
    return settled;
  }

  private async applyAlone(item: Submitted): Promise<IngestResult> {
    let oneVisitPerInsert = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const [outcome] = await this.applyTogether([item], { oneVisitPerInsert });
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      } catch (err) {
        // Why: the unique (source, eventId) key is the idempotency guarantee. A concurrent copy
        // waits on the first insert's lock and fails here once it commits.
        if (err instanceof EventAlreadyStored) return { status: 'duplicate' };
        if (err instanceof VisitsNotNumberedInSequence && !oneVisitPerInsert) {
          oneVisitPerInsert = true;
          continue;
        }
        // Another instance created the work order this event creates: apply it again on top.
        if (isUniqueViolation(err) && attempt < MAX_ATTEMPTS_ALONE) continue;
        throw err;
      }
    }
  }

  /** Applies events in order in one transaction; an unknown office fails only its own event. */
  private async applyTogether(items: Submitted[], options: BatchOptions = { oneVisitPerInsert: false }): Promise<Array<Settled<IngestResult>>> {
    const now = this.deps.clock.now();
    const events = items.map((i) => i.event);
    // On MySQL the batch's reads run on other pooled connections while its own starts the
    // transaction; SQLite has one connection, where reads outside would only queue behind it.
    const loaded = isMysqlSource(this.deps.dataSource) ? IngestBatch.load(this.deps.dataSource.manager, events) : undefined;
    // Awaited in the transaction; if the transaction fails before that, the failure is its own.
    loaded?.catch(() => undefined);
    return inTransaction(this.deps.dataSource, async (manager) => {
      const batch = await IngestBatch.open(manager, events, now, { ...options, loaded });
      const applied: Array<Settled<Applied>> = [];
      for (const { event, payload } of items) {
        const office = batch.office(event.workOrder.officeId);
        // Refused before anything of it is kept: the other events go on. Any other failure
        // fails the whole batch (its events are then applied alone).
        if (!office) applied.push({ ok: false, error: unknownOffice(event) });
        else applied.push({ ok: true, value: await this.applyOne(batch, office, event, payload) });
      }
      await batch.finish();
      return applied.map((a) => (a.ok ? { ok: true, value: answer(a.value) } : a));
    });
  }

  private async applyOne(batch: IngestBatch, office: Office, event: WorkOrderEvent, payload: unknown): Promise<Applied> {
    if (batch.isClaimed(event.eventId)) return { status: 'duplicate' };

    const existing = batch.workOrder(event.workOrder.id);
    if (existing && event.occurredAt < existing.lastEventAt) {
      batch.claim(event, payload, 'stale');
      return { status: 'stale', reason: 'an event with a later occurredAt was already applied' };
    }
    batch.claim(event, payload, 'applied');
    const resident = await this.residentOf(batch, event, existing);
    const previousState = existing?.state ?? null;
    const order = merged(existing, event, batch.now);
    const outcome = await this.apply(batch, office, order, previousState, resident, event);
    // One write of the work order, after the rules changed it (sampling, completions).
    batch.putWorkOrder(order);
    return outcome;
  }

  /** The resident the event names (kept as given), else the one the work order already has. */
  private async residentOf(batch: IngestBatch, event: WorkOrderEvent, existing: WorkOrder | null): Promise<Resident | null> {
    const given = event.workOrder.resident;
    if (!given) return existing?.residentId ? batch.resident(event.workOrder.officeId, existing.residentId) : null;
    const resident = Object.assign(new Resident(), {
      officeId: event.workOrder.officeId,
      id: given.id,
      name: given.name ?? null,
      phone: given.phone ?? null,
      wecomUserId: given.wecomUserId ?? null,
      wecomExternalUserId: given.wecomExternalUserId ?? null,
      wecomContactOwner: given.wecomContactOwner ?? null,
      dingtalkUserId: given.dingtalkUserId ?? null,
      anonymisedAt: null,
      updatedAt: batch.now,
    });
    batch.putResident(resident);
    return resident;
  }

  private async apply(
    batch: IngestBatch,
    office: Office,
    order: WorkOrder,
    previousState: WorkOrderState | null,
    resident: Resident | null,
    event: WorkOrderEvent,
  ): Promise<Applied> {
    const { now } = batch;
    const cause = { eventId: event.eventId, eventType: event.type };
    switch (event.type) {
      case 'work_order.reopened':
      case 'work_order.cancelled': {
        const reason = event.type === 'work_order.reopened' ? 'reopened' : 'work_order_cancelled';
        const cancelled = await batch.direct((manager) => cancelOpenVisits(manager, order.id, reason, now, { assertWritable: this.deps.assertWritable }));
        const verb = event.type === 'work_order.reopened' ? 'reopened' : 'cancelled';
        return { status: 'accepted', planned: [], reason: `${verb}: ${cancelled.length} open visit(s) cancelled` };
      }
      case 'work_order.created':
      case 'work_order.updated':
        if (order.kind === 'special_service' && order.contractStartAt && order.contractEndAt) {
          return this.planSpecialService(batch, office, order, resident, cause);
        }
        return { status: 'accepted', planned: [], reason: 'no visit is due until the work order is completed' };
      case 'work_order.completed':
        if (order.kind === 'special_service') {
          if (!order.contractStartAt || !order.contractEndAt) {
            return { status: 'accepted', planned: [], reason: 'a special service needs its contract (startAt, endAt) to plan visits' };
          }
          return this.planSpecialService(batch, office, order, resident, cause);
        }
        if (previousState === 'completed') {
          return { status: 'accepted', planned: [], reason: 'already completed: its visits are planned' };
        }
        return this.planCompletion(batch, office, order, resident, cause);
    }
  }

  /** A completion (first, or again after a reopen): sample, then plan the window. */
  private async planCompletion(
    batch: IngestBatch,
    office: Office,
    order: WorkOrder,
    resident: Resident | null,
    cause: Record<string, unknown>,
  ): Promise<Applied> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    order.completions += 1;
    order.quarter = order.quarter ?? quarterOf(order.completedAt!, zone).label;
    const left = await this.sampleOrLeaveOut(batch, office, order);
    if (left) return left;
    const windows = visitWindows({ kind: order.kind as WorkOrderKind, severity: order.severity as 'major' | 'general' | null, completedAt: order.completedAt }, zone);
    const planned = await this.deps.planner.plan(batch, {
      office,
      workOrder: order,
      windows,
      resident,
      channel: this.deps.channelOf(office),
      quarter: order.quarter,
      now: batch.now,
      cause: { ...cause, sampling: order.samplingReason, generation: order.completions },
    });
    return { status: 'accepted', planned };
  }

  /**
   * A special service's two visits are planned as soon as its contract is known; a later
   * change of contract dates, or a completion before the contract's end, replans them.
   */
  private async planSpecialService(
    batch: IngestBatch,
    office: Office,
    order: WorkOrder,
    resident: Resident | null,
    cause: Record<string, unknown>,
  ): Promise<Applied> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const contract = { startAt: order.contractStartAt!, endAt: order.contractEndAt! };
    const endedEarly = order.completedAt !== null && order.completedAt < contract.endAt ? order.completedAt : null;
    const windows = visitWindows({ kind: 'special_service', contract, completedAt: endedEarly }, zone);

    const { open, done } = await batch.read(async (manager) => ({
      open: await manager.find(Visit, { where: { workOrderId: order.id, status: In([...OPEN_VISIT_STATUSES]) } }),
      done: await manager.find(Visit, { where: { workOrderId: order.id, status: Not(In([...OPEN_VISIT_STATUSES, VisitStatus.Cancelled])) } }),
    }));
    const toPlan = windows.filter((w) => !done.some((d) => d.purpose === w.purpose));
    const unchanged =
      open.length === toPlan.length &&
      toPlan.every((w) => open.some((v) => v.purpose === w.purpose && v.opensAt.getTime() === w.opensAt.getTime() && v.closesAt.getTime() === w.closesAt.getTime()));
    if (unchanged && open.length > 0) {
      return { status: 'accepted', planned: await batch.read((manager) => storedPlans(manager, open)), reason: 'visits already planned' };
    }
    if (open.length > 0) {
      await batch.direct((manager) => cancelOpenVisits(manager, order.id, 'contract_changed', batch.now, { assertWritable: this.deps.assertWritable }));
    }

    order.quarter = order.quarter ?? quarterOf(endedEarly ?? contract.endAt, zone).label;
    if (order.completions === 0) order.completions = 1;
    const left = await this.sampleOrLeaveOut(batch, office, order);
    if (left) return left;
    const planned = await this.deps.planner.plan(batch, {
      office,
      workOrder: order,
      windows: toPlan,
      resident,
      channel: this.deps.channelOf(office),
      quarter: order.quarter,
      now: batch.now,
      cause: { ...cause, sampling: order.samplingReason },
    });
    return { status: 'accepted', planned };
  }

  /** Samples a work order not yet decided; the answer when it is left out, else null. */
  private async sampleOrLeaveOut(batch: IngestBatch, office: Office, order: WorkOrder): Promise<Applied | null> {
    if (order.sampling === null) await this.sample(batch, office, order);
    return order.sampling === 'not_sampled'
      ? { status: 'accepted', planned: [], reason: 'not_sampled: the rate target is met without this work order' }
      : null;
  }

  /**
   * The quota sampler of domain.md §2, per office, kind and quarter. A 100 % kind needs no
   * decision and touches no quota row, so completions of one kind do not queue behind each
   * other. Below 100 % the quota row is locked for the rest of the transaction, so two
   * completions cannot both take the last place; the always-select questions are asked
   * before, to hold the lock briefly. The batch's earlier work orders are written first, so
   * the questions and the quota see them.
   */
  private async sample(batch: IngestBatch, office: Office, order: WorkOrder): Promise<void> {
    const kind = order.kind as WorkOrderKind;
    const target = rateTargetFor(kind, (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>);
    if (target >= 1) {
      Object.assign(order, { sampling: 'selected', samplingReason: 'full_rate', samplingTarget: target });
      return;
    }
    const key = { officeId: office.id, kind, quarter: order.quarter! };
    const decision = await batch.read(async (manager) => {
      const always = alwaysSelectReason({
        kind,
        unqualifiedVisitOnUnitWithin90Days: await recentUnqualifiedOnUnit(manager, office.id, order, batch.now),
        earlierRepairsOfSameMatterOnUnitThisQuarter: await earlierRepairsOfMatter(manager, office.id, order),
      });
      await ensureQuotaRow(manager, key);
      const quota = await manager.findOneOrFail(SamplingQuota, { where: key, ...writeLock(manager) });
      const decided = sampleWorkOrder({ target, eligibleBefore: quota.eligible, selectedBefore: quota.selected, alwaysSelect: always });
      await manager.update(SamplingQuota, key, { eligible: decided.eligible, selected: decided.selectedAfter });
      return decided;
    });
    Object.assign(order, {
      sampling: decision.selected ? 'selected' : 'not_sampled',
      samplingReason: decision.reason,
      samplingEligible: decision.eligible,
      samplingSelected: decision.selectedAfter,
      samplingTarget: target,
    });
  }
}

/** The work order as this event leaves it (written once, after the rules ran). */
function merged(existing: WorkOrder | null, event: WorkOrderEvent, now: Date): WorkOrder {
  const w = event.workOrder;
  const state = event.type.slice('work_order.'.length) as WorkOrderState;
  const order =
    existing ??
    Object.assign(new WorkOrder(), {
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

/**
 * Creates the quota row, or write-locks the existing one, in one statement. A new row starts
 * from the quarter's work orders already decided (there are some when the kind was at 100 %
 * until its target was lowered). Why one statement: an insert that fails on the existing row
 * would leave a shared lock that deadlocks against the next transaction's FOR UPDATE.
 */
async function ensureQuotaRow(manager: EntityManager, key: { officeId: string; kind: string; quarter: string }): Promise<void> {
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

async function recentUnqualifiedOnUnit(manager: EntityManager, officeId: string, order: WorkOrder, now: Date): Promise<boolean> {
  if (!order.unitId) return false;
  const since = new Date((order.completedAt ?? now).getTime() - RECENT_UNQUALIFIED_DAYS * 86_400_000);
  const count = await manager.count(Visit, {
    where: { officeId, unitId: order.unitId, verdict: 'unqualified', recordedAt: MoreThanOrEqual(since) },
  });
  return count > 0;
}

async function earlierRepairsOfMatter(manager: EntityManager, officeId: string, order: WorkOrder): Promise<number> {
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

function unknownOffice(event: WorkOrderEvent): DomainError {
  return new DomainError('unknown_office', `workOrder.officeId "${event.workOrder.officeId}" is not a known office`, 422);
}

/** The answer to the caller, once the batch is written and planned visits have their ids. */
function answer(applied: Applied): IngestResult {
  if (applied.status !== 'accepted') return applied.status === 'stale' ? { status: 'stale', visits: [], reason: applied.reason } : applied;
  return { status: 'accepted', visits: applied.planned.map(viewOf), ...(applied.reason ? { reason: applied.reason } : {}) };
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

/** Stored visits with their visitors, as planned visits. */
async function storedPlans(manager: EntityManager, visits: Visit[]): Promise<PlannedVisit[]> {
  const rows: Array<{ visitId: number; staffId: string; role: StaffRole }> = await manager
    .createQueryBuilder(VisitAssignee, 'a')
    .select(['a.visitId AS visitId', 'a.staffId AS staffId', 'a.role AS role'])
    .where('a.visitId IN (:...ids)', { ids: visits.map((v) => v.id) })
    .orderBy('a.staffId', 'ASC')
    .getRawMany();
  return visits.map((visit) => ({
    visit,
    assignees: rows.filter((r) => Number(r.visitId) === visit.id).map((r) => ({ staffId: r.staffId, role: r.role })),
    missingRoles: [],
  }));
}
