import { DataSource, EntityManager } from 'typeorm';
import { isMysqlSource } from './data-source';
import { InboundEvent, Office, Resident, StaffMember, Visit, VisitAssignee, WorkOrder } from '../../entities';
import { Assignee } from '../visits/visit-decision';
import { WorkOrderEvent } from '../workorders/work-order-event.schema';
import { firstIdOf, insertRows, insertStatement } from './bulk-insert';
import { runTogether, Statement } from './statements';
import { teamKeyOf } from './team-key';
import { TallyChange, tallyChanges, tallyStatement } from './visit-tallies';
import { countDecisions, decisionStatement, QuotaChange } from './sampling-quotas';
import { entityRead, parameterList, selectEntities } from './select-entities';
import { openVisitsByStaff, openVisitsRead, WorkloadChange, workloadStatement } from './staff-workloads';
import { hasRowLocks, isUniqueViolation, numbersRowsConsecutively } from './transaction';
import { HistoryDraft, historyStatement } from './visit-history';

/** The database did not number the rows of one multi-row insert consecutively (a cluster stepping its ids). */
export class VisitsNotNumberedInSequence extends Error {
  constructor() {
    super('the visits of one insert were not numbered consecutively');
    this.name = 'VisitsNotNumberedInSequence';
  }
}

/** The batch tried to store an event id that is already stored (another instance got it first). */
export class EventAlreadyStored extends Error {
  constructor() {
    super('an event of this batch is already stored');
    this.name = 'EventAlreadyStored';
  }
}

export interface BatchOptions {
  /** Insert visits one by one (where the database does not number a multi-row insert in sequence). */
  oneVisitPerInsert: boolean;
}

/** What a batch reads before applying its events (see IngestBatch.load). */
export interface BatchReads {
  workOrders: WorkOrder[];
  offices: Office[];
  staff: StaffMember[];
  storedEventIds: string[];
  openCounts: Map<string, Map<string, number>>;
}

interface PendingVisit {
  visit: Visit;
  assignees: Assignee[];
  history: Omit<HistoryDraft, 'visitId'>;
}

/**
 * The work of one transaction over a batch of work-order events. What the events read — their
 * offices and staff, the work orders (locked), which event ids are stored, open visits per
 * staff member — is loaded once for the whole batch; what they write — the idempotency rows,
 * residents, work orders, visits with their visitors and history — is kept and written in a
 * few bulk statements at the end.
 *
 * Anything else (cancelling visits, sampling quotas, notices) goes through `direct`, which
 * first writes what is kept, so every read sees every earlier write of the batch.
 */
export class IngestBatch {
  private readonly offices = new Map<string, Office>();
  private readonly staff = new Map<string, StaffMember[]>();
  private readonly workOrders = new Map<string, WorkOrder>();
  private readonly storedWorkOrders = new Set<string>();
  private readonly claimedEventIds = new Set<string>();
  /** Open visits per office and staff member as stored; null when it must be read again. */
  private storedOpenCounts: Map<string, Map<string, number>> | null = null;
  /** Visits this batch opened, per visitor: written to the kept counts when the batch finishes. */
  private workload: WorkloadChange[] = [];
  /** The tallies of the visits this batch planned: written with the open counts, last. */
  private tallies: TallyChange[] = [];
  /** The decisions of 100 % kinds this batch made: counted in their quota rows, last. */
  private decisions: QuotaChange[] = [];

  private claims = new Map<string, Partial<InboundEvent>>();
  private residents = new Map<string, Resident>();
  private changedWorkOrders = new Set<WorkOrder>();
  private visits: PendingVisit[] = [];

  private constructor(
    readonly manager: EntityManager,
    readonly now: Date,
    private readonly options: BatchOptions,
  ) {}

  /**
   * What a batch of events reads: their offices and staff, which event ids are stored, open
   * visits per staff member, and the work orders as stored (not locked) — five reads sent
   * together (src/db/statements.ts). On MySQL this runs on another pooled connection while the
   * batch's own connection starts its transaction: at READ COMMITTED a read sees the same
   * committed rows in or out of a transaction, and the batch waits for one round trip.
   */
  static async load(reader: EntityManager, events: WorkOrderEvent[]): Promise<BatchReads> {
    const officeIds = unique(events.map((e) => e.workOrder.officeId));
    const workOrderIds = unique(events.map((e) => e.workOrder.id));
    const eventIds = unique(events.map((e) => e.eventId));
    const workOrders = entityRead(reader, WorkOrder, { where: `id IN ${parameterList(workOrderIds)}`, params: workOrderIds });
    const offices = entityRead(reader, Office, { where: `id IN ${parameterList(officeIds)}`, params: officeIds });
    const staff = entityRead(reader, StaffMember, { where: `officeId IN ${parameterList(officeIds)} AND active = 1`, params: officeIds, orderBy: 'id' });
    const openCounts = openVisitsRead(reader, officeIds);
    const read = await runTogether(reader, [
      workOrders.statement,
      offices.statement,
      staff.statement,
      { sql: `SELECT eventId FROM inbound_events WHERE source = ? AND eventId IN ${parameterList(eventIds)}`, params: ['work_orders', ...eventIds] },
      openCounts.statement,
    ]);
    return {
      workOrders: workOrders.entitiesOf(read[0]),
      offices: offices.entitiesOf(read[1]),
      staff: staff.entitiesOf(read[2]),
      storedEventIds: (read[3] as Array<{ eventId: string }>).map((row) => row.eventId),
      openCounts: openCounts.countsOf(read[4]),
    };
  }

  /**
   * Starts the batch's reads before its transaction, where that helps: on MySQL they go together on
   * another pooled connection while the batch's own connection starts the transaction; SQLite
   * has one connection, where reads outside would only queue behind it (undefined: `open`
   * reads them itself).
   */
  static preload(dataSource: DataSource, events: WorkOrderEvent[]): Promise<BatchReads> | undefined {
    if (!isMysqlSource(dataSource)) return undefined;
    const loaded = IngestBatch.load(dataSource.manager, events);
    // Awaited in the transaction; if the transaction fails before that, the failure is its own.
    loaded.catch(() => undefined);
    return loaded;
  }

  /**
   * Opens a batch inside the caller's transaction with what `load` read (`loaded`, read
   * outside the transaction), or reads it now. On MySQL/MariaDB the stored work orders are
   * then locked and read again, in key order by one statement, so two batches never lock the
   * same two rows crosswise; one stored meanwhile by another instance makes this batch's
   * insert fail, and its events are then applied again on top of it.
   */
  static async open(
    manager: EntityManager,
    events: WorkOrderEvent[],
    now: Date,
    options: BatchOptions & { loaded?: Promise<BatchReads> },
  ): Promise<IngestBatch> {
    const batch = new IngestBatch(manager, now, options);
    const reads = await (options.loaded ?? IngestBatch.load(manager, events));
    const stored = reads.workOrders.map((o) => o.id);
    // Where rows can be locked, the stored work orders are always locked here, however they were read.
    const workOrders =
      stored.length > 0 && hasRowLocks(manager)
        ? await selectEntities(manager, WorkOrder, { where: `id IN ${parameterList(stored)}`, params: stored, orderBy: 'id', forUpdate: true })
        : reads.workOrders;
    for (const order of workOrders) {
      batch.workOrders.set(order.id, order);
      batch.storedWorkOrders.add(order.id);
    }
    for (const office of reads.offices) batch.offices.set(office.id, office);
    for (const member of reads.staff) batch.staff.set(member.officeId, [...(batch.staff.get(member.officeId) ?? []), member]);
    for (const eventId of reads.storedEventIds) batch.claimedEventIds.add(eventId);
    batch.storedOpenCounts = reads.openCounts;
    return batch;
  }

  office(id: string): Office | undefined {
    return this.offices.get(id);
  }

  staffOf(officeId: string): StaffMember[] {
    return this.staff.get(officeId) ?? [];
  }

  /** The work order as the batch's earlier events left it; null when it is new. */
  workOrder(id: string): WorkOrder | null {
    return this.workOrders.get(id) ?? null;
  }

  /** True when this event id is stored, or taken by an earlier event of the batch. */
  isClaimed(eventId: string): boolean {
    return this.claimedEventIds.has(eventId);
  }

  /**
   * Keeps the event's idempotency row: `applied`, or `stale` for an event older than what is
   * stored (kept so a repeat is a duplicate, changing nothing).
   */
  claim(event: WorkOrderEvent, payload: unknown, outcome: 'applied' | 'stale'): void {
    this.claimedEventIds.add(event.eventId);
    this.claims.set(event.eventId, {
      source: 'work_orders',
      eventId: event.eventId,
      type: event.type,
      subjectId: event.workOrder.id,
      outcome,
      payload: payload as object,
      receivedAt: this.now,
      processedAt: this.now,
    });
  }

  putResident(resident: Resident): void {
    this.residents.set(`${resident.officeId}\u0000${resident.id}`, resident);
  }

  /** A resident as stored (or as kept by this batch). */
  async resident(officeId: string, id: string): Promise<Resident | null> {
    return this.residents.get(`${officeId}\u0000${id}`) ?? this.read((m) => m.findOneBy(Resident, { officeId, id }));
  }

  putWorkOrder(order: WorkOrder): void {
    this.workOrders.set(order.id, order);
    this.changedWorkOrders.add(order);
  }

  /** Open visits per staff member of an office (the "fewest open visits" rule), this batch's included. */
  async openVisitCounts(officeId: string): Promise<ReadonlyMap<string, number>> {
    this.storedOpenCounts ??= await this.read((m) => openVisitsByStaff(m, [...this.offices.keys()]));
    const counts = new Map(this.storedOpenCounts.get(officeId));
    for (const c of this.workload) {
      if (c.officeId === officeId) counts.set(c.staffId, (counts.get(c.staffId) ?? 0) + c.delta);
    }
    return counts;
  }

  /** Keeps a new visit; its id is set when the batch is written (read it after `direct` or `flush`). */
  addVisit(visit: Visit, assignees: Assignee[], history: Omit<HistoryDraft, 'visitId'>): void {
    visit.teamKey = teamKeyOf(assignees.map((a) => a.staffId));
    this.visits.push({ visit, assignees, history });
    for (const a of assignees) this.workload.push({ officeId: visit.officeId, staffId: a.staffId, delta: 1 });
    this.tallies.push(...tallyChanges(null, { ...visit, staffIds: assignees.map((a) => a.staffId) }));
  }

  /** Counts a decision that took no place in a quota (a 100 % kind) when the batch finishes. */
  countDecision(change: QuotaChange): void {
    this.decisions.push(change);
  }

  /** Runs a read on the transaction after writing everything kept, so it sees the batch's writes. */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    await this.flush();
    return work(this.manager);
  }

  /**
   * Runs work that may change visits (cancel them, queue notices) on the transaction, after
   * writing everything kept; what the batch counted is read again afterwards.
   */
  async direct<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    await this.flush();
    // The work may give a decision of this batch back (a reopen): it must be counted first.
    const decisions = this.decisions;
    this.decisions = [];
    await countDecisions(this.manager, decisions);
    this.storedOpenCounts = null;
    return work(this.manager);
  }

  /**
   * Writes everything kept and, last, the counters the batch changed: the open-visit counts,
   * tallies and decisions are rows every batch and every record touches, so they are locked
   * for the shortest time.
   */
  async finish(): Promise<void> {
    await this.write(true);
  }

  /** Writes everything kept but the counters, in bulk: a few statements for the whole batch. */
  async flush(): Promise<void> {
    await this.write(false);
  }

  /**
   * Writes what is kept in two groups of statements, each group one round trip on MySQL/MariaDB
   * (src/db/statements.ts): first the idempotency rows, residents, work orders and visits —
   * the visits' ids come from that insert — then the visits' visitors and history and, when
   * the batch finishes, its counters.
   */
  private async write(finishing: boolean): Promise<void> {
    const { manager } = this;
    const claims = [...this.claims.values()];
    const residents = [...this.residents.values()];
    const changed = [...this.changedWorkOrders];
    const visits = this.visits;
    this.claims = new Map();
    this.residents = new Map();
    this.changedWorkOrders = new Set();
    this.visits = [];
    // A new work order is inserted, never upserted: if another instance stored it meanwhile,
    // the insert fails and the event is applied again on top of what that instance wrote.
    const created = changed.filter((o) => !this.storedWorkOrders.has(o.id));
    // Rows this batch holds locked: an upsert is an update, in one statement for all.
    const updated = changed.filter((o) => this.storedWorkOrders.has(o.id));
    // The visits go with the rest where their ids can be told from the first one.
    const visitsTogether = visits.length > 0 && !this.options.oneVisitPerInsert && (visits.length === 1 || numbersRowsConsecutively(manager));
    let written: unknown[];
    try {
      written = await runTogether(manager, [
        insertStatement(manager, InboundEvent, claims),
        insertStatement(manager, Resident, residents, { onConflict: { key: ['officeId', 'id'], update: RESIDENT_DETAILS } }),
        insertStatement(manager, WorkOrder, created),
        insertStatement(manager, WorkOrder, updated, { onConflict: { key: ['id'], update: WORK_ORDER_STATE } }),
        visitsTogether ? insertStatement(manager, Visit, visits.map((p) => withoutId(p.visit))) : null,
      ]);
    } catch (err) {
      if (isEventIdTaken(err)) throw new EventAlreadyStored();
      throw err;
    }
    for (const order of created) this.storedWorkOrders.add(order.id);
    if (visitsTogether) {
      const { firstId } = firstIdOf(manager, Visit, visits.length, written[4]);
      visits.forEach((p, i) => (p.visit.id = firstId! + i));
    } else if (visits.length > 0) {
      await insertVisits(
        manager,
        visits.map((p) => p.visit),
        this.options.oneVisitPerInsert,
      );
    }
    const counters: Array<Statement | null> = [];
    if (finishing) {
      counters.push(decisionStatement(manager, this.decisions), tallyStatement(manager, this.tallies), workloadStatement(manager, this.workload));
      this.decisions = [];
      this.tallies = [];
      this.workload = [];
    }
    await runTogether(manager, [
      insertStatement(
        manager,
        VisitAssignee,
        visits.flatMap((p) => p.assignees.map((a) => ({ visitId: p.visit.id, staffId: a.staffId, officeId: p.visit.officeId, role: a.role }))),
      ),
      historyStatement(
        manager,
        visits.map((p) => ({ ...p.history, visitId: p.visit.id })),
      ),
      ...counters,
    ]);
  }
}

/**
 * True when a failed insert clashed on the idempotency key of `inbound_events`: the event is
 * already stored. Told by the key the database names (MariaDB: `for key 'uq_inbound_source_event'`,
 * MySQL 8 with the table before it; SQLite: the table's columns), never by the duplicate value,
 * which is a caller's text.
 */
export function isEventIdTaken(err: unknown): boolean {
  if (!isUniqueViolation(err)) return false;
  const message = String((err as { driverError?: { message?: unknown } }).driverError?.message ?? (err as { message?: unknown }).message ?? '');
  return /for key '(?:inbound_events\.)?uq_inbound_source_event'$/.test(message) || message.startsWith('UNIQUE constraint failed: inbound_events.');
}

/** What an event may change on a resident (all but the key). */
const RESIDENT_DETAILS: Array<keyof Resident & string> = [
  'name',
  'phone',
  'wecomUserId',
  'wecomExternalUserId',
  'wecomContactOwner',
  'dingtalkUserId',
  'wechatOpenId',
  'anonymisedAt',
  'updatedAt',
];

/** What an event may change on a stored work order (all but its id and createdAt). */
const WORK_ORDER_STATE: Array<keyof WorkOrder & string> = [
  'officeId',
  'kind',
  'severity',
  'department',
  'matterKey',
  'title',
  'unitId',
  'residentId',
  'state',
  'receivedAt',
  'completedAt',
  'contractStartAt',
  'contractEndAt',
  'quarter',
  'completions',
  'sampling',
  'samplingReason',
  'samplingEligible',
  'samplingSelected',
  'samplingTarget',
  'lastEventAt',
  'lastEventId',
  'updatedAt',
];

/**
 * Inserts visits in one statement and sets their ids from the first: SQLite and InnoDB in its
 * consecutive lock mode (MariaDB's default) number the rows of one insert in sequence. Where
 * the session does not promise it (interleaved lock mode, a stepped increment, an unknown
 * server) the ids are read back to check: if they are not in sequence the batch fails and is
 * written again with one insert per visit.
 */
async function insertVisits(manager: EntityManager, visits: Visit[], oneByOne: boolean): Promise<void> {
  if (oneByOne || visits.length === 1) {
    for (const visit of visits) visit.id = (await insertRows(manager, Visit, [withoutId(visit)])).firstId!;
    return;
  }
  const { firstId } = await insertRows(manager, Visit, visits.map(withoutId));
  visits.forEach((visit, i) => (visit.id = firstId! + i));
  if (numbersRowsConsecutively(manager)) return;
  const ids = visits.map((v) => v.id);
  const stored: Array<{ id: number | string; workOrderId: string; purpose: string; generation: number | string }> = await manager.query(
    `SELECT id, workOrderId, purpose, generation FROM visits WHERE id IN ${parameterList(ids)}`,
    ids,
  );
  const byId = new Map(stored.map((row) => [Number(row.id), row]));
  const inSequence = visits.every((visit) => {
    const row = byId.get(visit.id);
    return row !== undefined && row.workOrderId === visit.workOrderId && row.purpose === visit.purpose && Number(row.generation) === visit.generation;
  });
  if (!inSequence) throw new VisitsNotNumberedInSequence();
}

function withoutId(visit: Visit): Partial<Visit> {
  const { id: _id, ...values } = visit;
  return values;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
