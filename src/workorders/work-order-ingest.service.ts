import { DataSource } from 'typeorm';
import { Office } from '../../entities';
import { BatchQueue, settle, Settled } from '../db/batch-queue';
import { Clock } from '../clock';
import { inTransaction, isUniqueViolation } from '../db/transaction';
import { BatchOptions, EventAlreadyStored, IngestBatch, VisitsNotNumberedInSequence } from '../db/work-order-batch';
import { ConflictError, DomainError } from '../errors';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { VisitMessages } from '../visits/visit-messages';
import { PlannedVisitDraft } from '../visits/visit-planning';
import { Applied, WorkOrderApplier } from './work-order-applier';
import { WorkOrderEvent } from './work-order-event.schema';

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

/**
 * Takes work-order events from the webhook and answers each: events that arrive together share
 * one transaction (a batch, src/db/work-order-batch.ts) — under load one commit and a few bulk
 * statements serve many events — and each is applied by WorkOrderApplier. An event refused as a
 * whole (unknown office, another office's work order) fails alone; if a batch fails otherwise,
 * its events are applied again one by one, so only the event at fault fails. Everything an
 * event changes commits with its row in the idempotency log: a repeat or a crash in the middle
 * leaves no trace.
 */
export class WorkOrderIngest {
  private readonly queue: BatchQueue<Submitted, IngestResult>;
  private readonly applier: WorkOrderApplier;

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      defaultTimeZone: string;
      channelOf: (office: Office) => 'wecom' | 'dingtalk';
      officialAccount?: boolean;
      lifecycle: VisitLifecycle;
      messages: VisitMessages;
    },
  ) {
    this.applier = new WorkOrderApplier(deps);
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
    const loaded = IngestBatch.preload(this.deps.dataSource, events);
    return inTransaction(this.deps.dataSource, async (manager) => {
      const batch = await IngestBatch.open(manager, events, now, { ...options, loaded });
      const applied: Array<Settled<Applied>> = [];
      for (const { event, payload } of items) {
        const refusal = refusalOf(batch, event);
        // Refused before anything of it is kept: the other events go on. Any other failure
        // fails the whole batch (its events are then applied alone).
        applied.push(refusal ? { ok: false, error: refusal } : { ok: true, value: await this.applier.applyOne(batch, batch.office(event.workOrder.officeId)!, event, payload) });
      }
      await batch.finish();
      return applied.map((a) => (a.ok ? { ok: true, value: answer(a.value) } : a));
    });
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
