import { CallbackEvent } from '../channel';
import { systemClock } from '../../clock';
import { CallbackRejected } from './dingtalk-callback-rejected';
import { signCardCallback } from './dingtalk-callback-builder';
import { constantTimeEqual, isFreshTimestamp } from './dingtalk-callback-checks';

/** The `card_action` member of `CallbackEvent`: what a card tap decodes to. */
export type CardActionEvent = Extract<CallbackEvent, { type: 'card_action' }>;

/** Request headers as Node hands them over (lower-case names; a repeated header is an array). */
type Headers = Record<string, string | string[] | undefined>;

/** The reply to a card tap (§4.5), returned within 2 s: merges keys into the card. */
export interface CardCallbackReply {
  cardUpdateOptions: { updateCardDataByKey: true; updatePrivateDataByKey: true };
  cardData: { cardParamMap: Record<string, string> };
  userPrivateData: { cardParamMap: Record<string, string> };
}

/**
 * Verifies a card-action callback (§4.5): `x-ddpaas-signature` must equal
 * base64(HMAC-SHA256(apiSecret, x-ddpaas-signature-timestamp)) — compared in constant time —
 * and the timestamp must be within 5 minutes of `now` (ms or s, read by magnitude). Throws
 * `CallbackRejected` (401) otherwise. Only the timestamp is signed, not the body, so the
 * caller must still check that `outTrackId` is ours and `userId` is its recipient.
 */
export function verifyCardCallback(headers: Headers, apiSecret: string, now: Date): void {
  const timestamp = header(headers, 'x-ddpaas-signature-timestamp');
  const signature = header(headers, 'x-ddpaas-signature');
  if (!timestamp || !signature) throw new CallbackRejected('bad_signature');
  // Why a window: the signature covers only the timestamp, so a captured one is replayable
  // with any body until the window closes; keep it short.
  if (!isFreshTimestamp(timestamp, now)) throw new CallbackRejected('stale_timestamp');
  if (!constantTimeEqual(signature, signCardCallback(apiSecret, timestamp))) throw new CallbackRejected('bad_signature');
}

/**
 * Maps a verified card-action body to a `card_action` event. `content` (or `value`, the same
 * payload) is a JSON string holding `cardPrivateData.actionIds` (the first is the tapped
 * button → `actionKey`) and `cardPrivateData.params` (the button's parameters → `params`, all
 * as strings). A parameter holding a choice — an array, or an object with `value`/`values`
 * (the select components' shape is unverified) — also lands in `selections`.
 * `eventId` = `${outTrackId}:${userId}:${actionKey}`: a tap is idempotent on card, user and
 * button, so a redelivered or double tap acts once. Throws `CallbackRejected('malformed')`.
 */
export function parseCardCallback(body: unknown, at: Date = systemClock.now()): CardActionEvent {
  if (typeof body !== 'object' || body === null) throw new CallbackRejected('malformed');
  const record = body as Record<string, unknown>;
  const outTrackId = record.outTrackId;
  const userId = record.userId;
  if (typeof outTrackId !== 'string' || outTrackId === '' || typeof userId !== 'string' || userId === '') {
    throw new CallbackRejected('malformed');
  }
  const payload = parsePayload(record.content) ?? parsePayload(record.value);
  const privateData = payload?.cardPrivateData;
  if (typeof privateData !== 'object' || privateData === null) throw new CallbackRejected('malformed');
  const { actionIds, params: rawParams } = privateData as { actionIds?: unknown; params?: unknown };
  // Buttons generated in a loop may share one action id in DingTalk's card builder; our
  // template contract (cards/README.md) then carries the button's key in `params.key`.
  const paramKey = typeof rawParams === 'object' && rawParams !== null ? (rawParams as Record<string, unknown>).key : undefined;
  const actionKey = typeof paramKey === 'string' && paramKey !== '' ? paramKey : Array.isArray(actionIds) && typeof actionIds[0] === 'string' ? actionIds[0] : undefined;
  if (!actionKey) throw new CallbackRejected('malformed');

  const params: Record<string, string> = {};
  const selections: Record<string, string[]> = {};
  if (typeof rawParams === 'object' && rawParams !== null && !Array.isArray(rawParams)) {
    for (const [key, value] of Object.entries(rawParams as Record<string, unknown>)) {
      if (value === null || value === undefined) continue;
      params[key] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
      const choice = choiceOf(value);
      if (choice) selections[key] = choice;
    }
  }
  return {
    type: 'card_action',
    channel: 'dingtalk',
    eventId: `${outTrackId}:${userId}:${actionKey}`,
    userId,
    cardId: outTrackId,
    actionKey,
    selections,
    params,
    at,
  };
}

/**
 * The ≤ 2 s reply to a tap: the tapping user's copy shows `answered: 'true'` and
 * `answerText` (private data applies to the tapper only); `cardData` adds public keys, if any.
 */
export function cardCallbackReply(answerText: string, publicParams: Record<string, string> = {}): CardCallbackReply {
  return {
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    cardData: { cardParamMap: { ...publicParams } },
    userPrivateData: { cardParamMap: { answered: 'true', answerText } },
  };
}

function parsePayload(raw: unknown): Record<string, unknown> | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function choiceOf(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  if (typeof value === 'object' && value !== null) {
    const { value: one, values } = value as { value?: unknown; values?: unknown };
    if (Array.isArray(values)) return choiceOf(values);
    if (typeof one === 'string' || typeof one === 'number') return [String(one)];
  }
  return undefined;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}
