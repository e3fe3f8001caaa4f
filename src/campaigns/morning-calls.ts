import { DataSource, In, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { Campaign, Office, StaffMember, Visit, VisitAssignee, VisitStatus } from '../../entities';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { inTransaction } from '../db/transaction';
import { Job, JobContext, JobName } from '../jobs/job';
import { officeZone } from '../offices/office-zone';
import { inZone } from '../rules/local-time';
import { CardPurpose } from '../visits/visit-card-ids';
import { Notifier } from '../visits/notifier';
import { Callee, calleesOf, CallCards } from './call-cards';

/** Calls read per page. */
const PAGE = 2000;
/** Calls named in the list message itself; the rest are in their cards. */
const LISTED = 15;

/**
 * The caller's list of the day (docs/rules.md §8): once a call's day has begun (its window, the
 * day's callable hours, has opened), each caller gets one message listing the day's calls and
 * one card per call with the customer's details, 已联系 / 未接通 and the record form. Every
 * message is keyed (the list by office, day and caller; a card by call and day), so a rerun, a
 * second instance or a catch-up queues nothing twice; a call planned later that day gets its
 * card on the next run. Staff quiet hours defer them like any staff message (Notifier).
 */
export class MorningCalls {
  constructor(private readonly deps: { dataSource: DataSource; notifier: Notifier; cards: CallCards; defaultTimeZone: string }) {}

  job(): Job {
    return { name: JobName.CampaignCalls, run: (c) => this.run(c) };
  }

  async run({ now }: JobContext): Promise<Record<string, unknown>> {
    const outcome = { lists: 0, cards: 0 };
    const manager = this.deps.dataSource.manager;
    // Today's open calls, grouped by caller, before anything is sent: each caller's list names all of them.
    const byCaller = new Map<string, Visit[]>();
    let afterId = 0;
    for (;;) {
      const visits = await manager.find(Visit, {
        where: {
          kind: 'campaign',
          status: In([VisitStatus.Planned, VisitStatus.Due, VisitStatus.InProgress]),
          opensAt: LessThanOrEqual(now),
          closesAt: MoreThan(now),
          recordedAt: IsNull(),
          id: MoreThan(afterId),
        },
        order: { id: 'ASC' },
        take: PAGE,
      });
      if (visits.length === 0) break;
      afterId = visits[visits.length - 1].id;
      const byId = new Map(visits.map((v) => [v.id, v]));
      for (const a of await manager.findBy(VisitAssignee, { visitId: In([...byId.keys()]) })) {
        const key = `${a.officeId}\u0000${a.staffId}`;
        const calls = byCaller.get(key) ?? [];
        calls.push(byId.get(a.visitId)!);
        byCaller.set(key, calls);
      }
    }
    for (const [key, calls] of byCaller) {
      const [officeId, staffId] = key.split('\u0000');
      const sent = await this.tellCaller(officeId, staffId, calls.sort((a, b) => a.id - b.id), now);
      outcome.lists += sent.list;
      outcome.cards += sent.cards;
    }
    return outcome;
  }

  /** One caller's list and cards, in one transaction. */
  private async tellCaller(officeId: string, staffId: string, calls: Visit[], now: Date): Promise<{ list: number; cards: number }> {
    return inTransaction(this.deps.dataSource, async (manager) => {
      const office = await manager.findOneByOrFail(Office, { id: officeId });
      const member = await manager.findOneBy(StaffMember, { officeId, id: staffId, active: true });
      if (!member) return { list: 0, cards: 0 };
      const zone = officeZone(office, this.deps.defaultTimeZone);
      const day = inZone(now, zone).toISODate()!;
      const campaigns = new Map((await manager.findBy(Campaign, { id: In([...new Set(calls.map((c) => c.campaignId!))]) })).map((c) => [c.id, c]));
      const calleeOf = await calleesOf(manager, calls);
      const names = calls.map((c) => listName(calleeOf(c)));
      const list = renderPlainNotice({
        officeName: office.name,
        // A property visit plan's calls are visits to residents (走访).
        title: calls.some((c) => c.residentId !== null) ? `今日走访：${calls.length} 户` : `今日客户回访：${calls.length} 通`,
        lines: [
          ...names.slice(0, LISTED).map((n, i) => `${i + 1}. ${n}`),
          ...(calls.length > LISTED ? [`……另有 ${calls.length - LISTED} 通`] : []),
          '每通电话一张卡片：接通点「已联系」并填写记录，未接通点「未接通」。',
        ],
        uniqueTag: `campaign-day ${day}`,
      });
      const listed = await this.deps.notifier.tellStaff(manager, office, member, { key: `campaign-day:${officeId}:${day}`, purpose: 'campaign_day', payload: list, now });
      let cards = 0;
      for (const call of calls) {
        const campaign = campaigns.get(call.campaignId!);
        if (!campaign) continue;
        const cardId = this.deps.cards.cardId(call, staffId, day);
        const payload = this.deps.cards.render({ office, campaign, ...calleeOf(call) }, call, cardId, staffId, now);
        const queued = await this.deps.notifier.tellStaff(manager, office, member, { key: `campaign-call:${call.id}:${day}`, purpose: CardPurpose.CampaignCall, visitId: call.id, cardId, payload, now });
        if (queued) cards++;
      }
      return { list: listed ? 1 : 0, cards };
    });
  }
}

/** A call as the day's list names it: the customer and their company, or the resident and their unit. */
function listName({ customer, resident }: Callee): string {
  if (resident) return `${resident.name ?? '（未留姓名）'}${resident.unitId ? `（${resident.unitId}）` : ''}`;
  return customer ? `${customer.name}${customer.company ? `（${customer.company}）` : ''}` : '—';
}
