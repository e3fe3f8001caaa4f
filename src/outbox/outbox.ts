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
  channel: ChannelName | 'robot' | 'wechat_mp';
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
  /**
   * A person is waiting for it: it answers their tap, record or review. When it is due at
   * once it keeps its instant (offPeak spreads bulk sends, not answers), and the instance
   * that queued it sends it right after the commit (InstantSends).
   */
  prompt?: boolean;
}

/**
 * Queues a message inside the caller's transaction. Returns the row's dedupe key, or null when
 * a message with the same key was already queued (nothing is written then).
 */
export async function enqueue(manager: EntityManager, draft: OutboxDraft, now: Date): Promise<string | null> {
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
    nextAttemptAt: nextAttemptOf(draft, now),
    createdAt: now,
  };
  try {
    await manager.createQueryBuilder().insert().into(OutboundMessage).values(row).execute();
    return draft.dedupeKey;
  } catch (err) {
    // Why swallow: the unique dedupe key is the guarantee against double sends; a conflict
    // means this exact message is already queued (or sent), which is success. A failed
    // statement does not abort the surrounding transaction on MySQL or SQLite.
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/**
 * When a queued message is first tried. Reminders cluster at 08:00 and 09:00, and WeCom asks
 * not to send in bulk at :00 and :30, so those instants move off the minute — except for what
 * a person waits for right now (their tap's next card): one message is no bulk send, and a
 * minute or more of silence after a tap reads as broken. Deferred past quiet hours it is no
 * longer an answer to anyone waiting, and spreads like the rest. Robots post at once.
 */
function nextAttemptOf(draft: OutboxDraft, now: Date): Date {
  if (draft.channel === 'robot') return draft.notBefore;
  if (draft.prompt && draft.notBefore.getTime() <= now.getTime()) return draft.notBefore;
  return offPeak(draft.notBefore, draft.dedupeKey);
}
