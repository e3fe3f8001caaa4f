import { DataSource, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { InboundEvent, InboundSource, OutboundMessage, Visit } from '../../entities';
import { MANAGER_ESCALATION_KEYS } from '../../cards/manager-escalation.card';
import { RESIDENT_CONFIRMATION_KEYS } from '../../cards/resident-confirmation.card';
import { SATISFACTION_KEYS } from '../../cards/resident-satisfaction.card';
import { STAFF_RECORD_CONFIRMATION_KEYS } from '../../cards/staff-record-confirmation.card';
import { SUPERVISOR_REVIEW_KEYS } from '../../cards/supervisor-review.card';
import { VISIT_REMINDER_KEYS } from '../../cards/visit-reminder.card';
import { CallbackEvent, SendReceipt } from '../channels/channel';
import { Clock } from '../clock';
import { inTransaction, isUniqueViolation } from '../db/transaction';
import { DomainError } from '../errors';
import { Logger } from '../log';
import { enqueue } from '../outbox/outbox';
import { SHORTCOMING_CODES } from '../rules/shortcomings';
import { visitAnswersSchema } from '../visits/visit-answers';
import { CardPurpose } from '../visits/visit-card-ids';
import { VisitMessages } from '../visits/visit-messages';
import { VisitRecordService } from '../visits/visit-record.service';

type Outcome = 'applied' | 'ignored';

/** Callbacks left pending this long (the process stopped after acknowledging) are redone. */
const PENDING_GRACE_MS = 60_000;

/** How long after a card a chat reply is still taken as its free text. */
const TEXT_REPLY_WINDOW_MS = 7 * 86_400_000;

/**
 * Turns verified chat callbacks into steps of the visit loop. A callback is first stored
 * once (unique on source and event id) and acknowledged; the work happens after, and a
 * sweep redoes any callback whose work did not finish — so each acts exactly once.
 */
export class CallbackHandler {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      records: VisitRecordService;
      messages: VisitMessages;
      log: Logger;
    },
  ) {}

  /** Stores a callback; false when this event was stored before (a redelivery). */
  async accept(source: InboundSource, event: CallbackEvent): Promise<boolean> {
    try {
      await this.deps.dataSource
        .createQueryBuilder()
        .insert()
        .into(InboundEvent)
        .values({
          source,
          eventId: event.eventId,
          type: event.type,
          subjectId: event.type === 'card_action' ? event.cardId.slice(0, 64) : null,
          outcome: 'pending',
          payload: event as object,
          receivedAt: this.deps.clock.now(),
        })
        .execute();
      return true;
    } catch (err) {
      // Why: the unique key is the de-duplication WeCom asks for (same event delivered again).
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Does the work of one stored callback and records its outcome. */
  async process(source: InboundSource, eventId: string): Promise<Outcome | 'failed'> {
    const repo = this.deps.dataSource.getRepository(InboundEvent);
    const stored = await repo.findOneBy({ source, eventId });
    if (!stored || (stored.outcome !== 'pending' && stored.outcome !== 'failed')) return 'ignored';
    const event = revive(stored.payload as CallbackEvent);
    let outcome: Outcome | 'failed';
    try {
      outcome = await this.handle(event);
    } catch (err) {
      this.deps.log.error({ source, eventId: stored.id, err: (err as Error).message }, 'callback work failed');
      outcome = 'failed';
    }
    await repo.update({ id: stored.id }, { outcome, processedAt: this.deps.clock.now() });
    return outcome;
  }

  /** Redoes callbacks acknowledged but never worked (the process stopped in between). */
  async processPending(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - PENDING_GRACE_MS);
    const pending = await this.deps.dataSource.getRepository(InboundEvent).find({
      where: { source: In(['wecom', 'dingtalk', 'dingtalk_card']), outcome: 'pending', receivedAt: LessThanOrEqual(cutoff) },
      order: { id: 'ASC' },
      take: 500,
    });
    for (const event of pending) await this.process(event.source, event.eventId);
    return pending.length;
  }

  private async handle(event: CallbackEvent): Promise<Outcome> {
    if (event.type === 'card_action') return this.onCardAction(event);
    if (event.type === 'text_reply') return this.onTextReply(event);
    return 'ignored';
  }

  private async onCardAction(event: Extract<CallbackEvent, { type: 'card_action' }>): Promise<Outcome> {
    const card = await this.deps.dataSource.getRepository(OutboundMessage).findOne({
      where: { cardId: event.cardId, channel: event.channel },
      order: { id: 'DESC' },
    });
    // A tap counts only from the person the card was sent to.
    if (!card || card.visitId === null || card.address.toLowerCase() !== event.userId.toLowerCase()) return 'ignored';
    const visitId = card.visitId;
    const staffId = card.recipientId;
    const via = `${event.channel}:${event.userId}`;
    let replaceText: string | null = null;
    try {
      switch (card.purpose) {
        case CardPurpose.StaffReminder:
          if (event.actionKey === VISIT_REMINDER_KEYS.recordPhone) {
            await this.deps.records.noteStaffAction(visitId, staffId, 'visit_started', { method: 'phone' });
            replaceText = '已选择：电话回访，请填写记录';
          } else if (event.actionKey === VISIT_REMINDER_KEYS.unreachable) {
            await this.deps.records.noteStaffAction(visitId, staffId, 'resident_unreachable', {});
            replaceText = '已报告：住户联系不上';
          }
          break;
        case CardPurpose.ResidentSurvey:
          replaceText = await this.onSurveyTap(visitId, event, via);
          break;
        case CardPurpose.ResidentConfirmation:
          if (event.actionKey === RESIDENT_CONFIRMATION_KEYS.confirm) {
            await this.deps.records.confirmByResident(visitId, via);
            replaceText = '已确认无误，谢谢';
          } else if (event.actionKey === RESIDENT_CONFIRMATION_KEYS.dispute) {
            await this.deps.records.disputeByResident(visitId, via);
            replaceText = '已提出异议，我们会联系您';
          }
          break;
        case CardPurpose.StaffConfirmation:
          if (event.actionKey === STAFF_RECORD_CONFIRMATION_KEYS.confirm) {
            await this.deps.records.confirmByStaff(visitId, staffId);
            replaceText = '已确认';
          }
          break;
        case CardPurpose.SupervisorReview:
          if (event.actionKey === SUPERVISOR_REVIEW_KEYS.ok || event.actionKey === SUPERVISOR_REVIEW_KEYS.unqualified) {
            const verdict = event.actionKey === SUPERVISOR_REVIEW_KEYS.ok ? 'ok' : 'unqualified';
            await this.deps.records.review(visitId, { reviewerId: staffId, verdict });
            replaceText = verdict === 'ok' ? '已审核：通过' : '已审核：不合格，已转经理';
          }
          break;
        case CardPurpose.ManagerEscalation:
          if (event.actionKey === MANAGER_ESCALATION_KEYS.handled) {
            await this.deps.records.handle(visitId, { handlerId: staffId, opinion: '已按客户投诉建议处理规程处理' });
            replaceText = '已处理';
          }
          break;
      }
    } catch (err) {
      // A tap on a card whose step is already done (recorded, reviewed…) changes nothing;
      // the card still greys out so it cannot be answered twice.
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      replaceText = '已处理';
    }
    if (replaceText === null) return 'ignored';
    await this.updateCard(card, event, replaceText);
    return 'applied';
  }

  /** The staged resident survey: ratings → shortcomings → 确认 (which records it all). */
  private async onSurveyTap(visitId: number, event: Extract<CallbackEvent, { type: 'card_action' }>, via: string): Promise<string | null> {
    const level = (key: string): number | null => {
      const value = Number(choice(event, key)[0]);
      return Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
    };
    const now = this.deps.clock.now();
    if (event.actionKey === SATISFACTION_KEYS.ratingsSubmit) {
      const ratings = { quality: level(SATISFACTION_KEYS.quality), effect: level(SATISFACTION_KEYS.effect), satisfaction: level(SATISFACTION_KEYS.satisfaction) };
      if (ratings.quality === null || ratings.effect === null || ratings.satisfaction === null) return null;
      if (!(await this.deps.records.saveResidentProgress(visitId, ratings, via))) return '已提交';
      await this.askNext(visitId, 'shortcomings', now);
      return '已提交';
    }
    if (event.actionKey === SATISFACTION_KEYS.shortcomingsSubmit) {
      const chosen = choice(event, SATISFACTION_KEYS.shortcomings).filter((c) => (SHORTCOMING_CODES as readonly string[]).includes(c));
      const shortcomings = chosen.length > 1 ? chosen.filter((c) => c !== 'none') : chosen.length ? chosen : ['none'];
      if (!(await this.deps.records.saveResidentProgress(visitId, { shortcomings }, via))) return '已提交';
      await this.askNext(visitId, 'confirm', now);
      return '已提交';
    }
    if (event.actionKey === SATISFACTION_KEYS.confirm) {
      const visit = await this.deps.dataSource.getRepository(Visit).findOneByOrFail({ id: visitId });
      const solvedChoice = choice(event, SATISFACTION_KEYS.solved)[0];
      const answers = visitAnswersSchema.safeParse({
        quality: visit.quality,
        effect: visit.effect,
        satisfaction: visit.satisfaction,
        shortcomings: visit.shortcomings ?? [],
        suggestions: visit.suggestions,
        solved: solvedChoice === 'yes' ? true : solvedChoice === 'no' ? false : null,
      });
      if (!answers.success) return null;
      await this.deps.records.record(visitId, { kind: 'resident', via, confirmed: true }, { method: 'chat', answers: answers.data });
      return '已确认，感谢您的评价';
    }
    const quick = /^sat_([1-5])$/.exec(event.actionKey);
    if (quick) {
      await this.deps.records.saveResidentProgress(visitId, { satisfaction: Number(quick[1]) }, via);
      await this.askNext(visitId, 'ratings', now);
      return '已评价';
    }
    return null;
  }

  private async askNext(visitId: number, stage: 'ratings' | 'shortcomings' | 'confirm', now: Date): Promise<void> {
    await inTransaction(this.deps.dataSource, async (manager) => {
      const visit = await manager.findOneByOrFail(Visit, { id: visitId });
      const ctx = await this.deps.messages.context(manager, visit);
      await this.deps.messages.askResident(manager, ctx, stage, 1, now, now);
    });
  }

  /** Greys out the tapped card for the person who tapped, through the outbox. */
  private async updateCard(card: OutboundMessage, event: Extract<CallbackEvent, { type: 'card_action' }>, replaceText: string): Promise<void> {
    const now = this.deps.clock.now();
    await inTransaction(this.deps.dataSource, (manager) =>
      enqueue(
        manager,
        {
          officeId: card.officeId,
          dedupeKey: `card-update:${event.channel}:${event.eventId}`.slice(0, 191),
          channel: event.channel,
          purpose: 'card_update',
          visitId: card.visitId,
          recipientKind: card.recipientKind,
          recipientId: card.recipientId,
          address: event.userId,
          cardId: null,
          payload: { cardUpdate: { receipt: (card.receipt ?? { channel: event.channel }) as SendReceipt, responseCode: event.responseCode, replaceText } },
          notBefore: now,
        },
        now,
      ),
    );
  }

  /** A chat reply: the resident's suggestion, or a supervisor's or manager's opinion. */
  private async onTextReply(event: Extract<CallbackEvent, { type: 'text_reply' }>): Promise<Outcome> {
    const since = new Date(this.deps.clock.now().getTime() - TEXT_REPLY_WINDOW_MS);
    const [card] = await this.deps.dataSource.getRepository(OutboundMessage).find({
      where: {
        channel: event.channel,
        address: event.userId,
        status: 'sent',
        sentAt: MoreThanOrEqual(since),
        purpose: In([CardPurpose.ResidentSurvey, CardPurpose.ResidentConfirmation, CardPurpose.SupervisorReview, CardPurpose.ManagerEscalation]),
      },
      order: { sentAt: 'DESC', id: 'DESC' },
      take: 1,
    });
    if (!card || card.visitId === null) return 'ignored';
    const text = event.text.trim().slice(0, 2000);
    if (!text) return 'ignored';
    if (card.recipientKind === 'resident') await this.deps.records.addResidentText(card.visitId, text, `${event.channel}:${event.userId}`);
    else await this.deps.records.addOpinion(card.visitId, card.recipientId, text);
    return 'applied';
  }
}

/**
 * The option ids chosen for a question: WeCom sends them as selections; a DingTalk card sends
 * `params.<questionKey>` as one id or a JSON array of ids (cards/README.md).
 */
function choice(event: Extract<CallbackEvent, { type: 'card_action' }>, key: string): string[] {
  const selected = event.selections[key];
  if (selected?.length) return selected;
  const raw = event.params?.[key];
  if (raw === undefined || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed.map(String);
    return [String(parsed)];
  } catch {
    return [raw];
  }
}

/** Stored events come back from JSON: dates are strings again. */
function revive(event: CallbackEvent): CallbackEvent {
  return 'at' in event && typeof event.at === 'string' ? ({ ...event, at: new Date(event.at) } as CallbackEvent) : event;
}
