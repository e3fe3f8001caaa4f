import { EntityManager } from 'typeorm';
import { OutboundMessage } from '../../entities';
import { ChannelName } from '../channels/channel';
import { isUniqueViolation } from '../db/transaction';
import { OutboxPayload } from './outbox-payload';
import { offPeak } from './pacing';

/** What a change wants said to someone; written to the outbox in the change's transaction. */
export interface OutboxDraft {
  officeId: string;
  /**
   * Unique per thing said: e.g. `reminder:<visit>:<slot>:<staff>`. A second enqueue with the
   * same key is ignored, so a job that runs twice (or on two instances) queues it once.
   */
  dedupeKey: string;
  channel: ChannelName | 'robot';
  purpose: string;
  visitId?: number | null;
  recipientKind: 'staff' | 'resident' | 'group';
  recipientId: string;
  /** The platform user id (or robot URL) it goes to. */
  address: string;
  cardId?: string | null;
  payload: OutboxPayload;
  /** Not before this instant (quiet hours). */
  notBefore: Date;
  /** Set when the message cannot be sent at all (e.g. no chat id): stored as `failed`. */
  failure?: string;
}

/**
 * Queues a message inside the caller's transaction. Returns false when a message with the
 * same dedupe key was already queued (nothing is written then).
 */
export async function enqueue(manager: EntityManager, draft: OutboxDraft, now: Date): Promise<boolean> {
  const row = {
    officeId: draft.officeId,
    dedupeKey: draft.dedupeKey,
    channel: draft.channel,
    purpose: draft.purpose,
    visitId: draft.visitId ?? null,
    recipientKind: draft.recipientKind,
    recipientId: draft.recipientId,
    address: draft.address,
    cardId: draft.cardId ?? null,
    payload: draft.payload,
    status: draft.failure ? ('failed' as const) : ('pending' as const),
    lastError: draft.failure ?? null,
    attempts: 0,
    // Reminders cluster at 08:00 and 09:00; WeCom asks not to send in bulk at :00 and :30.
    nextAttemptAt: draft.channel === 'robot' ? draft.notBefore : offPeak(draft.notBefore, draft.dedupeKey),
    createdAt: now,
  };
  try {
    await manager.createQueryBuilder().insert().into(OutboundMessage).values(row).execute();
    return true;
  } catch (err) {
    // Why swallow: the unique dedupe key is the guarantee against double sends; a conflict
    // means this exact message is already queued (or sent), which is success. A failed
    // statement does not abort the surrounding transaction on MySQL or SQLite.
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
