import { EntityManager } from 'typeorm';
import { OutboundMessage } from '../../entities';
import { CallbackEvent, RenderedMessage, SendReceipt } from '../channels/channel';
import { enqueue } from '../outbox/outbox';

type CardAction = Extract<CallbackEvent, { type: 'card_action' }>;

/**
 * Taps on cards about something other than a visit (a warranty repair's sign-off): the module
 * that owns the card takes the step, and the callback handler greys the card out as it does for
 * visits.
 */
export interface OtherCardTaps {
  /** Whether cards queued under this outbox purpose are this one's. */
  handles(purpose: string): boolean;
  /**
   * Takes the tap in the caller's transaction: the words the card then shows and, optionally,
   * its answered form; null when the tap means nothing (the card stays as it is).
   */
  take(manager: EntityManager, card: OutboundMessage, event: CardAction): Promise<{ done: string; answered?: RenderedMessage } | null>;
}

/**
 * Changes the tapped card for the person who tapped, through the outbox in the caller's
 * transaction: greys its buttons out with `replaceText`, or replaces it with `message` (its
 * answered or asking-again form). Keyed by the callback event, so a redelivered tap queues it
 * once. Returns the row's dedupe key (null when it was already queued).
 */
export function queueCardUpdate(
  manager: EntityManager,
  update: { card: OutboundMessage; event: CardAction; replaceText: string; message?: RenderedMessage },
  now: Date,
): Promise<string | null> {
  const { card, event, replaceText, message } = update;
  return enqueue(
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
      payload: {
        kind: 'card_update',
        cardUpdate: {
          receipt: (card.receipt ?? { channel: event.channel }) as SendReceipt,
          responseCode: event.responseCode,
          replaceText,
          ...(message ? { message } : {}),
        },
      },
      notBefore: now,
      prompt: true,
    },
    now,
  );
}
