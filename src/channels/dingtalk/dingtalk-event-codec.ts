import { createHash } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { CallbackRejected } from './dingtalk-callback-rejected';
import { DingtalkEventKeys, randomAlnum } from './dingtalk-callback-builder';
import { constantTimeEqual, isFreshTimestamp } from './dingtalk-callback-checks';

/** Query parameters as a router hands them over: a repeated parameter may arrive as an array. */
type Query = Record<string, string | string[] | undefined>;

/** The JSON reply DingTalk expects to every push, `check_url` included (§5.4). */
export interface EventSuccessReply {
  msg_signature: string;
  timeStamp: string;
  nonce: string;
  encrypt: string;
}

/** A verified, decrypted event push. */
export interface DecodedEvent {
  /** The event JSON, e.g. `{EventType:'check_url'}` or `{EventType:'user_add_org', …}`. */
  event: Record<string, unknown>;
  /**
   * Idempotency key: the event's own id when it carries one, else a hash of the decrypted
   * plaintext — a redelivery carries the same plaintext (only the ciphertext's random prefix
   * changes), while two distinct events differ at least in their `TimeStamp`.
   */
  eventId: string;
}

/**
 * Verifies and decodes DingTalk event-subscription HTTP pushes (§5) and builds the encrypted
 * `success` reply. Invariant: nothing is returned unless the timestamp is within 5 minutes of
 * `now` (ms or s, read by magnitude), the SHA-1 signature matches in constant time, the body
 * decrypts, and the trailing owner key is ours; every other outcome throws `CallbackRejected`
 * (401, or 403 for another app's owner key). The signature is checked BEFORE decrypting:
 * `@wecom/crypto` does not validate its padding and would happily decrypt garbage.
 */
export class DingtalkEventCodec {
  constructor(private readonly keys: DingtalkEventKeys) {}

  decode(query: Query, body: unknown, now: Date): DecodedEvent {
    const signature = single(query.msg_signature) ?? single(query.signature);
    const timestamp = single(query.timestamp) ?? single(query.timeStamp);
    const nonce = single(query.nonce);
    const encrypted = typeof body === 'object' && body !== null ? (body as { encrypt?: unknown }).encrypt : undefined;
    if (!signature || !timestamp || nonce === undefined || typeof encrypted !== 'string' || encrypted === '') {
      throw new CallbackRejected('malformed');
    }
    // Why a window: a captured push replayed later must not act again (5 min, the usual skew).
    if (!isFreshTimestamp(timestamp, now)) throw new CallbackRejected('stale_timestamp');
    const expected = getSignature(this.keys.token, timestamp, nonce, encrypted);
    if (!constantTimeEqual(signature.toLowerCase(), expected)) throw new CallbackRejected('bad_signature');

    let message: string;
    let owner: string;
    try {
      ({ message, id: owner } = decrypt(this.keys.aesKey, encrypted));
    } catch {
      throw new CallbackRejected('undecryptable');
    }
    // Why: the token and key may be shared by mistake between apps; the owner key says whose it is.
    if (!constantTimeEqual(owner, this.keys.ownerKey)) throw new CallbackRejected('wrong_owner');

    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      throw new CallbackRejected('malformed');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new CallbackRejected('malformed');
    const record = event as Record<string, unknown>;
    const ownId = record.EventId ?? record.eventId;
    const eventId =
      typeof ownId === 'string' && ownId !== ''
        ? `dingtalk:${ownId}`
        : `dingtalk:${String(record.EventType ?? 'event')}:${createHash('sha256').update(message).digest('hex').slice(0, 40)}`;
    return { event: record, eventId };
  }

  /**
   * The reply to every push: the string `success` encrypted with our owner key, a 16-char
   * alphanumeric nonce, a millisecond timestamp and `msg_signature` over those (§5.4).
   * `check_url` (the console's URL check) gets exactly this, within about 1.5 s.
   */
  successReply(now: Date, nonce: string = randomAlnum(16)): EventSuccessReply {
    const timeStamp = String(now.getTime());
    const encrypted = encrypt(this.keys.aesKey, 'success', this.keys.ownerKey, Buffer.from(randomAlnum(16)));
    return { msg_signature: getSignature(this.keys.token, timeStamp, nonce, encrypted), timeStamp, nonce, encrypt: encrypted };
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
