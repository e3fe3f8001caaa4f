import { EntityManager, In, IsNull, LessThan, Not } from 'typeorm';
import {
  InboundEvent,
  Office,
  OutboundMessage,
  QuarterArchive,
  Resident,
  Visit,
  VisitHistoryEntry,
  WorkOrder,
} from '../../entities';
import { parseIsoWeek } from '../rules/iso-week';
import { parseQuarter } from '../rules/quarter';

/** IN lists are cut to this many values (SQLite's variable limit, MySQL's packet size). */
const BATCH = 500;

/** What an anonymisation touched, in counts (never the data). */
export interface AnonymisationOutcome {
  residents: number;
  visits: number;
  workOrders: number;
  inboundEvents: number;
  outboundMessages: number;
  historyEntries: number;
}

/**
 * Removes a locked quarter's personal data at the end of its retention (docs/rules.md §6: kept
 * 2 years after archiving, then anonymised; the figures are kept), inside the caller's
 * transaction:
 * - residents of the quarter's work orders and visits: name, phone, chat ids — unless they
 *   also have a work order or visit in a quarter not anonymised (or not completed yet);
 * - the quarter's visits: free text (suggestions, shortcomings text, notes, review and
 *   handling opinions) and the chat id the resident confirmed with; their history entries
 *   lose the chat ids they carry (`via`);
 * - the work orders' titles, the stored webhook payloads of those work orders, and the
 *   chat callbacks received before the lock (card taps and text replies carry chat ids and
 *   free text; they are a processing log, long processed);
 * - the outbox rows of those visits and the weekly summaries of the quarter's weeks: payload,
 *   address and receipt.
 * Nothing a figure is computed from changes (kinds, windows, answers' levels, verdicts,
 * units, matter keys, sampling), so the statistics stay identical.
 */
export async function anonymiseQuarter(
  manager: EntityManager,
  input: { office: Office; archive: QuarterArchive; zone: string; now: Date },
): Promise<AnonymisationOutcome> {
  const { office, archive, zone, now } = input;
  const scope = { officeId: office.id, quarter: archive.quarter };
  const visits = await manager.find(Visit, { where: scope, select: { id: true, residentId: true } });
  const orders = await manager.find(WorkOrder, { where: scope, select: { id: true, residentId: true } });
  const visitIds = visits.map((v) => v.id);
  const orderIds = orders.map((o) => o.id);
  const outcome: AnonymisationOutcome = { residents: 0, visits: 0, workOrders: 0, inboundEvents: 0, outboundMessages: 0, historyEntries: 0 };

  outcome.residents = await anonymiseResidents(manager, office.id, archive.quarter, [...visits, ...orders], now);

  const visitText = await manager.update(Visit, scope, {
    suggestions: null,
    shortcomingsText: null,
    notes: null,
    reviewOpinion: null,
    handlingOpinion: null,
    residentConfirmedBy: null,
  });
  outcome.visits = visitText.affected ?? visitIds.length;
  outcome.workOrders = (await manager.update(WorkOrder, scope, { title: null })).affected ?? orderIds.length;
  outcome.historyEntries = await scrubHistory(manager, visitIds);

  for (const ids of batches(orderIds)) {
    const result = await manager.update(InboundEvent, { source: 'work_orders', subjectId: In(ids) }, { payload: null as never });
    outcome.inboundEvents += result.affected ?? 0;
  }
  // Chat callbacks name no work order; those received before the lock are long processed
  // (a visit answered later is in a later quarter, with its own retention).
  const callbacks = await manager.update(
    InboundEvent,
    { source: Not('work_orders'), receivedAt: LessThan(archive.lockedAt), outcome: Not('pending'), payload: Not(IsNull()) },
    { payload: null as never },
  );
  outcome.inboundEvents += callbacks.affected ?? 0;

  const blank = { payload: { anonymised: true }, address: '', receipt: null } as never;
  for (const ids of batches(visitIds)) {
    outcome.outboundMessages += (await manager.update(OutboundMessage, { visitId: In(ids) }, blank)).affected ?? 0;
  }
  const summaries = await summaryMessagesOf(manager, office.id, archive.quarter, zone);
  for (const ids of batches(summaries)) {
    outcome.outboundMessages += (await manager.update(OutboundMessage, { id: In(ids) }, blank)).affected ?? 0;
  }
  return outcome;
}

/** Anonymises the residents of the quarter that no quarter still kept refers to. */
async function anonymiseResidents(
  manager: EntityManager,
  officeId: string,
  quarter: string,
  rows: { residentId: string | null }[],
  now: Date,
): Promise<number> {
  const candidates = [...new Set(rows.map((r) => r.residentId).filter((id): id is string => id !== null))];
  if (candidates.length === 0) return 0;
  const done = (await manager.find(QuarterArchive, { where: { officeId, anonymisedAt: Not(IsNull()) }, select: { quarter: true } })).map(
    (a) => a.quarter,
  );
  const gone = [...done, quarter];
  const kept = new Set<string>();
  for (const ids of batches(candidates)) {
    const stillVisited = await manager
      .createQueryBuilder(Visit, 'v')
      .select('DISTINCT v.residentId', 'residentId')
      .where('v.officeId = :officeId AND v.residentId IN (:...ids) AND v.quarter NOT IN (:...gone)', { officeId, ids, gone })
      .getRawMany<{ residentId: string }>();
    const stillOrdered = await manager
      .createQueryBuilder(WorkOrder, 'w')
      .select('DISTINCT w.residentId', 'residentId')
      .where('w.officeId = :officeId AND w.residentId IN (:...ids)', { officeId, ids })
      .andWhere('(w.quarter IS NULL OR w.quarter NOT IN (:...gone))', { gone })
      .getRawMany<{ residentId: string }>();
    for (const r of [...stillVisited, ...stillOrdered]) kept.add(r.residentId);
  }
  let count = 0;
  for (const ids of batches(candidates.filter((id) => !kept.has(id)))) {
    const result = await manager.update(
      Resident,
      { officeId, id: In(ids) },
      {
        name: null,
        phone: null,
        wecomUserId: null,
        wecomExternalUserId: null,
        wecomContactOwner: null,
        dingtalkUserId: null,
        wechatOpenId: null,
        learntOpenId: null,
        anonymisedAt: now,
      },
    );
    count += result.affected ?? ids.length;
  }
  return count;
}

/** Drops the chat ids (`via`) that history entries of these visits carry. */
async function scrubHistory(manager: EntityManager, visitIds: number[]): Promise<number> {
  let count = 0;
  for (const ids of batches(visitIds)) {
    const entries = await manager.find(VisitHistoryEntry, { where: { visitId: In(ids) }, select: { id: true, details: true } });
    for (const entry of entries) {
      if (!entry.details || !('via' in entry.details)) continue;
      const { via: _via, ...rest } = entry.details;
      await manager.update(VisitHistoryEntry, { id: entry.id }, { details: rest as never });
      count++;
    }
  }
  return count;
}

/** Outbox rows of the weekly summaries of weeks that start in the quarter. */
async function summaryMessagesOf(manager: EntityManager, officeId: string, quarter: string, zone: string): Promise<number[]> {
  const period = parseQuarter(quarter, zone);
  const rows = await manager.find(OutboundMessage, { where: { officeId, purpose: 'weekly_summary' }, select: { id: true, dedupeKey: true } });
  const prefixes = [`weekly:${officeId}:`, `weekly-robot:${officeId}:`];
  return rows
    .filter((row) => {
      const prefix = prefixes.find((p) => row.dedupeKey.startsWith(p));
      const label = prefix === undefined ? undefined : /^\d{4}-W\d{2}/.exec(row.dedupeKey.slice(prefix.length))?.[0];
      if (!label) return false;
      const monday = parseIsoWeek(label, zone).from;
      return monday >= period.from && monday < period.to;
    })
    .map((row) => row.id);
}

function* batches<T>(values: T[]): Generator<T[]> {
  for (let i = 0; i < values.length; i += BATCH) yield values.slice(i, i + BATCH);
}
