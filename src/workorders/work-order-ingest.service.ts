import { DataSource, In, Not } from 'typeorm';
import { Office, OPEN_VISIT_STATUSES, QuarterArchive, Resident, Visit, VisitStatus, WorkOrder } from '../../entities';
import { BatchQueue, settle, Settled } from '../db/batch-queue';
import { Clock } from '../clock';
import { isMysqlSource } from '../db/data-source';
import { lockQuota, QuotaKey, releaseQuotaPlace, repairsOfMatterCompleted, setQuota, unqualifiedOnUnitSince } from '../db/sampling-quotas';
import { inTransaction, isUniqueViolation } from '../db/transaction';
import { assigneesOf } from '../db/visit-store';
import { BatchOptions, EventAlreadyStored, IngestBatch, VisitsNotNumberedInSequence } from '../db/work-order-batch';
import { ConflictError, DomainError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { alwaysSelectReason } from '../rules/always-select';
import { WorkOrderKind } from '../rules/kinds';
import { OfficePolicy, resolvePolicy } from '../rules/office-policy';
import { quarterOf } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { sampleWorkOrder } from '../rules/sample-work-order';
import { VisitWindow } from '../rules/visit-window';
import { routeOf } from '../visits/resident-route';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { VisitMessages } from '../visits/visit-messages';
import { PlannedVisitDraft, planVisits } from '../visits/visit-planning';
import { WorkOrderEvent } from './work-order-event.schema';
import { countedWindow, eventMeaning, EventMeaning, mergeWorkOrder, windowsOf } from './work-order-events';

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
/** How often one event is applied again after another instance stored a row it also creates. */
const MAX_ATTEMPTS_ALONE = 3;

interface Submitted {
  event: WorkOrderEvent;
  payload: unknown;
}

/** An event's outcome before the batch is written: planned visits get their ids on writing. */
type Applied = { status: 'accepted'; planned: PlannedVisitDraft[]; reason?: string } | { status: 'duplicate' } | { status: 'stale'; reason: string };

/**
 * Applies work-order events: stores each once, keeps the latest state of each work order,
 * samples completions against the rate targets and plans, replans or cancels visits by the
 * rules (src/workorders/work-order-events.ts, src/visits/visit-planning.ts). All of it commits
 * together with the event's row in the idempotency log, so a repeat or a crash in the middle
 * leaves no trace.
 *
 * Events that arrive together share one transaction (src/db/work-order-batch.ts): under load,
 * one commit and a few bulk statements serve many events. If a batch fails, its events are
 * applied again one by one, so only the event at fault fails.
 */
export class WorkOrderIngest {
  private readonly queue: BatchQueue<Submitted, IngestResult>;

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      defaultTimeZone: string;
      channelOf: (office: Office) => 'wecom' | 'dingtalk';
      lifecycle: VisitLifecycle;
      messages: VisitMessages;
    },
  ) {
    this.queue = new BatchQueue((items) => this.applyBatch(items), { maxBatch: MAX_BATCH, runners: 1 });
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

  /** Applies events in order in one transaction; an event refused as a whole fails only itself. */
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
        const refusal = refusalOf(batch, event);
        // Refused before anything of it is kept: the other events go on. Any other failure
        // fails the whole batch (its events are then applied alone).
        applied.push(refusal ? { ok: false, error: refusal } : { ok: true, value: await this.applyOne(batch, batch.office(event.workOrder.officeId)!, event, payload) });
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
    const order = mergeWorkOrder(existing, event, batch.now);
    const outcome = await this.apply(batch, office, order, resident, eventMeaning(order, previousState, event), { eventId: event.eventId, eventType: event.type });
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

  private async apply(batch: IngestBatch, office: Office, order: WorkOrder, resident: Resident | null, meaning: EventMeaning, cause: Record<string, unknown>): Promise<Applied> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const policy = resolvePolicy(office.policy);
    switch (meaning.kind) {
      case 'nothing':
        return { status: 'accepted', planned: [], reason: meaning.reason };
      case 'cancel': {
        if (meaning.reason === 'reopened') await this.releaseSampling(batch, order);
        const cancelled = await this.cancelOpenVisits(batch, order.id, meaning.reason);
        const verb = meaning.reason === 'reopened' ? 'reopened' : 'cancelled';
        return { status: 'accepted', planned: [], reason: `${verb}: ${cancelled} open visit(s) cancelled` };
      }
      case 'completion': {
        const windows = windowsOf(order, zone, policy);
        order.completions += 1;
        // Counted in the quarter its window closes (docs/rules.md §2): every window of a quarter has closed when it ends.
        order.quarter = quarterOf(countedWindow(windows)!.closesAt, zone).label;
        const left = await this.sampleOrLeaveOut(batch, office, order, policy, zone);
        if (left) return left;
        return this.plan(batch, office, order, resident, windows, policy, zone, { ...cause, sampling: order.samplingReason, generation: order.completions });
      }
      case 'special_service':
        return this.planSpecialService(batch, office, order, resident, policy, zone, cause);
    }
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
    policy: OfficePolicy,
    zone: string,
    cause: Record<string, unknown>,
  ): Promise<Applied> {
    const windows = windowsOf(order, zone, policy);
    const { open, done } = await batch.read(async (manager) => ({
      open: await manager.find(Visit, { where: { workOrderId: order.id, status: In([...OPEN_VISIT_STATUSES]) } }),
      done: await manager.find(Visit, { where: { workOrderId: order.id, status: Not(In([...OPEN_VISIT_STATUSES, VisitStatus.Cancelled])) } }),
    }));
    const toPlan = windows.filter((w) => !done.some((d) => d.purpose === w.purpose));
    const unchanged =
      open.length === toPlan.length &&
      toPlan.every((w) => open.some((v) => v.purpose === w.purpose && v.opensAt.getTime() === w.opensAt.getTime() && v.closesAt.getTime() === w.closesAt.getTime()));
    if (unchanged && open.length > 0) {
      const planned = await batch.read((manager) => Promise.all(open.map(async (visit) => storedDraft(visit, await assigneesOf(manager, visit.id)))));
      return { status: 'accepted', planned, reason: 'visits already planned' };
    }
    if (open.length > 0) await this.cancelOpenVisits(batch, order.id, 'contract_changed');

    order.quarter = quarterOf(countedWindow(windows)!.closesAt, zone).label;
    if (order.completions === 0) order.completions = 1;
    const left = await this.sampleOrLeaveOut(batch, office, order, policy, zone);
    if (left) return left;
    return this.plan(batch, office, order, resident, toPlan, policy, zone, { ...cause, sampling: order.samplingReason });
  }

  private async plan(
    batch: IngestBatch,
    office: Office,
    order: WorkOrder,
    resident: Resident | null,
    windows: VisitWindow[],
    policy: OfficePolicy,
    zone: string,
    cause: Record<string, unknown>,
  ): Promise<Applied> {
    const drafts = planVisits({
      order,
      windows,
      staff: batch.staffOf(office.id),
      openCounts: await batch.openVisitCounts(office.id),
      residentRoute: routeOf(resident, this.deps.channelOf(office)),
      policy,
      zone,
      now: batch.now,
      cause,
    });
    for (const d of drafts) batch.addVisit(d.visit, d.assignees, { ...d.history, at: batch.now });
    const noticed = drafts.filter((d) => d.messages.length > 0);
    if (noticed.length > 0) {
      // Written first, so the notices name the visits by their ids.
      await batch.direct(async (manager) => {
        const contexts = this.deps.lifecycle.contexts();
        for (const d of noticed) {
          const context = await contexts.load(manager, { ...d.visit, assignees: d.assignees });
          for (const message of d.messages) await this.deps.messages.queue(manager, context, message, { now: batch.now, prompt: false });
        }
      });
    }
    return { status: 'accepted', planned: drafts };
  }

  /** Cancels a work order's open visits through the lifecycle; how many there were. */
  private async cancelOpenVisits(batch: IngestBatch, workOrderId: string, reason: 'reopened' | 'work_order_cancelled' | 'contract_changed'): Promise<number> {
    return batch.direct(async (manager) => {
      const open = await manager.find(Visit, { select: { id: true }, where: { workOrderId, status: In([...OPEN_VISIT_STATUSES]) }, order: { id: 'ASC' } });
      const contexts = this.deps.lifecycle.contexts();
      for (const { id } of open) await this.deps.lifecycle.runIn(manager, id, { type: 'cancel', reason }, { kind: 'system' }, { contexts });
      return open.length;
    });
  }

  /** Samples a work order not yet decided; the answer when it is left out, else null. */
  private async sampleOrLeaveOut(batch: IngestBatch, office: Office, order: WorkOrder, policy: OfficePolicy, zone: string): Promise<Applied | null> {
    if (order.sampling === null) await this.sample(batch, office, order, policy, zone);
    return order.sampling === 'not_sampled' ? { status: 'accepted', planned: [], reason: 'not_sampled: the rate target is met without this work order' } : null;
  }

  /**
   * The quota sampler of docs/rules.md §2, per office, kind and quarter. A 100 % kind needs no
   * decision and touches no quota row, so completions of one kind do not queue behind each
   * other. Below 100 % the quota row is locked for the rest of the transaction; the
   * always-select questions are asked before, to hold the lock briefly.
   */
  private async sample(batch: IngestBatch, office: Office, order: WorkOrder, policy: OfficePolicy, zone: string): Promise<void> {
    const kind = order.kind as WorkOrderKind;
    const target = rateTargetFor(kind, (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>);
    if (target >= 1) {
      Object.assign(order, { sampling: 'selected', samplingReason: 'full_rate', samplingTarget: target });
      return;
    }
    const key: QuotaKey = { officeId: office.id, kind, quarter: order.quarter! };
    const decision = await batch.read(async (manager) => {
      const completedAt = order.completedAt ?? batch.now;
      // Repeat repairs go by the quarter the repairs were completed in (docs/rules.md §2).
      const completionQuarter = quarterOf(completedAt, zone);
      const always = alwaysSelectReason({
        kind,
        unqualifiedVisitOnUnitWithin90Days:
          order.unitId !== null && (await unqualifiedOnUnitSince(manager, office.id, order.unitId, new Date(completedAt.getTime() - policy.unqualifiedLookbackDays * 86_400_000))),
        earlierRepairsOfSameMatterOnUnitThisQuarter: kind === 'repair' ? await repairsOfMatterCompleted(manager, order, completionQuarter.from, completionQuarter.to) : 0,
      });
      const quota = await lockQuota(manager, key);
      const decided = sampleWorkOrder({ target, eligibleBefore: quota.eligible, selectedBefore: quota.selected, alwaysSelect: always });
      await setQuota(manager, key, { eligible: decided.eligible, selected: decided.selectedAfter });
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

  /**
   * A reopened work order gives back its place in its quarter's quota (unless that quarter is
   * archived): its next completion is sampled again, in its own quarter, as if new.
   */
  private async releaseSampling(batch: IngestBatch, order: WorkOrder): Promise<void> {
    if (order.sampling === null || order.quarter === null) return;
    const key: QuotaKey = { officeId: order.officeId, kind: order.kind, quarter: order.quarter };
    await batch.direct(async (manager) => {
      if (await manager.existsBy(QuarterArchive, { officeId: key.officeId, quarter: key.quarter })) return;
      if (order.samplingReason !== 'full_rate') await releaseQuotaPlace(manager, key, order.sampling === 'selected');
    });
    Object.assign(order, { sampling: null, samplingReason: null, samplingEligible: null, samplingSelected: null, samplingTarget: null, quarter: null });
  }
}

/** Why an event is refused whole, before anything of it is kept; null when it may be applied. */
function refusalOf(batch: IngestBatch, event: WorkOrderEvent): DomainError | null {
  if (!batch.office(event.workOrder.officeId)) {
    return new DomainError('unknown_office', `workOrder.officeId "${event.workOrder.officeId}" is not a known office`, 422);
  }
  const stored = batch.workOrder(event.workOrder.id);
  // A work order belongs to one office for good (docs/rules.md §2).
  if (stored && stored.officeId !== event.workOrder.officeId) {
    return new ConflictError('office_mismatch', `workOrder.id "${event.workOrder.id}" belongs to another office; workOrder.officeId cannot change`);
  }
  return null;
}

/** The answer to the caller, once the batch is written and planned visits have their ids. */
function answer(applied: Applied): IngestResult {
  if (applied.status !== 'accepted') return applied.status === 'stale' ? { status: 'stale', visits: [], reason: applied.reason } : applied;
  return { status: 'accepted', visits: applied.planned.map(viewOf), ...(applied.reason ? { reason: applied.reason } : {}) };
}

function viewOf(planned: PlannedVisitDraft): VisitView {
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

/** A stored visit in the shape of a plan, to answer a repeated special-service event. */
function storedDraft(visit: Visit, assignees: PlannedVisitDraft['assignees']): PlannedVisitDraft {
  return { visit, assignees, missingRoles: [], history: { action: 'planned', actor: 'system', actorKind: 'system' }, messages: [] };
}
