import { In, Not } from 'typeorm';
import { Office, OPEN_VISIT_STATUSES, Resident, Visit, VisitStatus, WorkOrder } from '../../entities';
import { assigneesOf } from '../db/visit-store';
import { IngestBatch } from '../db/work-order-batch';
import { officeZone } from '../offices/office-zone';
import { OfficePolicy, resolvePolicy } from '../rules/office-policy';
import { quarterOf } from '../rules/quarter';
import { VisitWindow } from '../rules/visit-window';
import { officeRouteOptions, routeOf } from '../visits/resident-route';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { VisitMessages } from '../visits/visit-messages';
import { PlannedVisitDraft, planVisits } from '../visits/visit-planning';
import { WorkOrderEvent } from './work-order-event.schema';
import { countedWindow, eventMeaning, EventMeaning, mergeWorkOrder, windowsOf } from './work-order-events';
import { WorkOrderSampler } from './work-order-sampler';

/** An event's outcome before the batch is written: planned visits get their ids on writing. */
export type Applied = { status: 'accepted'; planned: PlannedVisitDraft[]; reason?: string } | { status: 'duplicate' } | { status: 'stale'; reason: string };

/**
 * Applies one work-order event inside its batch (src/db/work-order-batch.ts): keeps the event
 * once, merges it into the stored work order, and does what it means for the visits
 * (src/workorders/work-order-events.ts) — samples and plans a completion, plans or replans a
 * special service's contract visits, cancels open visits through the visit lifecycle.
 */
export class WorkOrderApplier {
  private readonly sampler = new WorkOrderSampler();

  constructor(
    private readonly deps: {
      defaultTimeZone: string;
      channelOf: (office: Office) => 'wecom' | 'dingtalk';
      /** An Official Account is configured (offices with a template then reach its followers). */
      officialAccount?: boolean;
      lifecycle: VisitLifecycle;
      messages: VisitMessages;
    },
  ) {}

  async applyOne(batch: IngestBatch, office: Office, event: WorkOrderEvent, payload: unknown): Promise<Applied> {
    if (batch.isClaimed(event.eventId)) return { status: 'duplicate' };
    const existing = batch.workOrder(event.workOrder.id);
    if (existing && event.occurredAt < existing.lastEventAt) {
      batch.claim(event, payload, 'stale');
      // Stale for its state, but it may tell an earlier receipt.
      if (event.occurredAt < existing.receivedAt) batch.putWorkOrder(Object.assign(existing, { receivedAt: event.occurredAt }));
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
    // A resident the event names no chat id for may have an openid learnt on the survey page
    // (src/wechat/web-auth.ts): kept apart, so the event does not forget it.
    const noChatId = !given.wecomUserId && !given.wecomExternalUserId && !given.dingtalkUserId && !given.wechatOpenId;
    const learnt = noChatId ? (await batch.resident(event.workOrder.officeId, given.id))?.learntOpenId : null;
    const resident = Object.assign(new Resident(), {
      officeId: event.workOrder.officeId,
      id: given.id,
      name: given.name ?? null,
      phone: given.phone ?? null,
      wecomUserId: given.wecomUserId ?? null,
      wecomExternalUserId: given.wecomExternalUserId ?? null,
      wecomContactOwner: given.wecomContactOwner ?? null,
      dingtalkUserId: given.dingtalkUserId ?? null,
      wechatOpenId: given.wechatOpenId ?? null,
      learntOpenId: learnt ?? null,
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
        if (meaning.reason === 'reopened') await this.sampler.release(batch, order);
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
      residentRoute: routeOf(resident, this.deps.channelOf(office), officeRouteOptions(policy, Boolean(this.deps.officialAccount))),
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
    if (order.sampling === null) await this.sampler.sample(batch, office, order, policy, zone);
    return order.sampling === 'not_sampled' ? { status: 'accepted', planned: [], reason: 'not_sampled: the rate target is met without this work order' } : null;
  }
}

/** A stored visit in the shape of a plan, to answer a repeated special-service event. */
function storedDraft(visit: Visit, assignees: PlannedVisitDraft['assignees']): PlannedVisitDraft {
  return { visit, assignees, missingRoles: [], history: { action: 'planned', actor: 'system', actorKind: 'system' }, messages: [] };
}
