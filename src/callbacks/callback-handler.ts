import { DataSource, EntityManager, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { InboundEvent, InboundSource, OutboundMessage } from '../../entities';
import { withChoices } from '../../cards/components/with-choices';
import { CallbackEvent, RenderedMessage } from '../channels/channel';
import { Clock } from '../clock';
import { inTransaction, isUniqueViolation } from '../db/transaction';
import { DomainError } from '../errors';
import { ItemFailures } from '../jobs/item-failures';
import { Logger } from '../log';
import { InstantSends } from '../outbox/instant-sends';
import { CardPurpose } from '../visits/visit-card-ids';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { refusalText, tapOf } from './card-taps';
import { OtherCardTaps, queueCardUpdate } from './card-update';

type Outcome = 'applied' | 'ignored';

type CardAction = Extract<CallbackEvent, { type: 'card_action' }>;

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
      lifecycle: VisitLifecycle;
      log: Logger;
      /** Sends what a tap causes right after its commit; without it the schedule does. */
      instant?: InstantSends;
      /** Owners of cards that are not about a visit. */
      otherTaps?: OtherCardTaps[];
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

  /**
   * Redoes callbacks acknowledged but never worked (the process stopped in between). One that
   * cannot even be read back (a corrupted row) is listed in `failures`, marked failed, and the
   * others go on.
   */
  async processPending(failures?: ItemFailures): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - PENDING_GRACE_MS);
    const pending = await this.deps.dataSource.getRepository(InboundEvent).find({
      where: { source: In(['wecom', 'dingtalk', 'dingtalk_card']), outcome: 'pending', receivedAt: LessThanOrEqual(cutoff) },
      order: { id: 'ASC' },
      take: 500,
    });
    for (const event of pending) {
      try {
        await this.process(event.source, event.eventId);
      } catch (err) {
        if (!failures) throw err;
        failures.add({ inboundEventId: event.id }, err);
        // Marked failed, so the next sweeps do not trip over it again (and it stays to be looked at).
        await this.deps.dataSource
          .getRepository(InboundEvent)
          .update({ id: event.id, outcome: 'pending' }, { outcome: 'failed', processedAt: this.deps.clock.now() })
          .catch(() => undefined);
      }
    }
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
    if (!card || card.address.toLowerCase() !== event.userId.toLowerCase()) return 'ignored';
    const other = this.deps.otherTaps?.find((taps) => taps.handles(card.purpose));
    if (other) return this.onOtherTap(other, card, event);
    if (card.visitId === null) return 'ignored';
    const tap = tapOf(card, event);
    if (!tap) return 'ignored';
    let taken: { instant: string[] } | null;
    try {
      taken = await inTransaction(this.deps.dataSource, async (manager) => {
        const step = await tap(manager);
        if (step === null) return null;
        if ('retry' in step) {
          // Nothing recorded: the card stays open on what was chosen, saying what is missing.
          const update = await this.updateCard(manager, card, event, step.retry, withChoices(card.payload as RenderedMessage, step.choices, { hint: step.retry }));
          const instant = update ? [update] : [];
          await this.deps.instant?.hold(manager, instant);
          return { instant };
        }
        const applied = await this.deps.lifecycle.runIn(manager, card.visitId!, step.command, step.actor, { prompt: true });
        // The tapped card greys out in the same transaction as the step it took, locked on the
        // answers as recorded where it asked questions.
        const answered = step.choices ? withChoices(card.payload as RenderedMessage, step.choices, { answered: step.done }) : undefined;
        const update = await this.updateCard(manager, card, event, step.done, answered);
        const instant = [...applied.instant, ...(update ? [update] : [])];
        await this.deps.instant?.hold(manager, instant);
        return { instant };
      });
    } catch (err) {
      // A tap on a card whose step is already done (recorded, reviewed…) or not this person's
      // changes nothing; the card still greys out, saying why, so it cannot be answered twice.
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      taken = await inTransaction(this.deps.dataSource, async (manager) => {
        const update = await this.updateCard(manager, card, event, refusalText(err as DomainError));
        const instant = update ? [update] : [];
        await this.deps.instant?.hold(manager, instant);
        return { instant };
      });
    }
    if (taken === null) return 'ignored';
    // The person is looking at the chat: the next card and the grey-out go now, not at the next tick.
    this.deps.instant?.send(taken.instant);
    return 'applied';
  }

  /** A tap on a card another module owns: its step and the card's grey-out in one transaction. */
  private async onOtherTap(other: OtherCardTaps, card: OutboundMessage, event: CardAction): Promise<Outcome> {
    const taken = await inTransaction(this.deps.dataSource, async (manager) => {
      let step: { done: string; answered?: RenderedMessage } | null;
      try {
        step = await other.take(manager, card, event);
      } catch (err) {
        if (!(err instanceof DomainError) || err.status >= 500) throw err;
        step = { done: refusalText(err) };
      }
      if (step === null) return null;
      const update = await this.updateCard(manager, card, event, step.done, step.answered);
      const instant = update ? [update] : [];
      await this.deps.instant?.hold(manager, instant);
      return instant;
    });
    if (taken === null) return 'ignored';
    this.deps.instant?.send(taken);
    return 'applied';
  }

  /** Greys the tapped card out (or replaces it), through the outbox: see queueCardUpdate. */
  private updateCard(manager: EntityManager, card: OutboundMessage, event: CardAction, replaceText: string, message?: RenderedMessage): Promise<string | null> {
    return queueCardUpdate(manager, { card, event, replaceText, message }, this.deps.clock.now());
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
        purpose: In([CardPurpose.ResidentSurvey, CardPurpose.ResidentConfirmation, CardPurpose.ResidentResolution, CardPurpose.SupervisorReview, CardPurpose.ManagerEscalation]),
      },
      order: { sentAt: 'DESC', id: 'DESC' },
      take: 1,
    });
    if (!card || card.visitId === null) return 'ignored';
    const text = event.text.trim().slice(0, 2000);
    if (!text) return 'ignored';
    if (card.recipientKind === 'resident') {
      await this.deps.lifecycle.run(card.visitId, { type: 'add_resident_text', text }, { kind: 'resident', via: `${event.channel}:${event.userId}` });
    } else {
      await this.deps.lifecycle.run(card.visitId, { type: 'add_opinion', text }, { kind: 'staff', id: card.recipientId });
    }
    return 'applied';
  }
}

/** Stored events come back from JSON: dates are strings again. */
function revive(event: CallbackEvent): CallbackEvent {
  return 'at' in event && typeof event.at === 'string' ? ({ ...event, at: new Date(event.at) } as CallbackEvent) : event;
}
