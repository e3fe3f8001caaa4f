import { utf8Bytes } from './utf8';

/** The platform ids of one card, both derived from the caller's `cardId`. */
export interface CardIdentity {
  /** WeCom `template_card.task_id`: unique per app, forever (docs/wecom.md §2.4). */
  taskId: string;
  /** DingTalk card `outTrackId`: the key of later updates (docs/dingtalk.md §4.1). */
  outTrackId: string;
}

/** WeCom's documented task_id alphabet: digits, letters, `_`, `-` and `@` (docs/wecom.md §2.4). */
const TASK_ID_CHARS = /^[0-9A-Za-z_\-@]+$/;
/** WeCom: at most 128 bytes. */
export const TASK_ID_MAX_BYTES = 128;
/** DingTalk: failures reported above 64 characters (docs/dingtalk.md §4.1); we never go there. */
export const OUT_TRACK_ID_MAX_CHARS = 64;

/** Thrown for a `cardId` that one of the platforms would refuse: a bug in the caller. */
export class InvalidCardIdError extends Error {
  constructor(
    readonly cardId: string,
    reason: string,
  ) {
    super(`Invalid cardId "${cardId}": ${reason}`);
    this.name = 'InvalidCardIdError';
  }
}

/**
 * The WeCom `task_id` and DingTalk `outTrackId` of a card, from the caller's `cardId`
 * (shape by policy `hf_<visitId>_<purpose>_<n>`, e.g. `hf_8812_sat_1`). The same string
 * serves both so a callback on either platform names the card the outbox knows.
 *
 * The caller owns uniqueness: WeCom refuses a task_id used before by the app, and a reused
 * outTrackId updates the old DingTalk card instead of sending a new one. So a card sent to
 * recipients one by one needs one cardId per recipient (e.g. a suffix `_u<n>`), and a
 * re-sent card a new `<n>`.
 *
 * Invariant: the result satisfies both platforms: only `[0-9A-Za-z_\-@]`, 1–64 characters
 * (which is also ≤ 128 bytes, since every allowed character is one byte).
 *
 * @throws InvalidCardIdError naming the rule broken.
 */
export function cardIdentity(cardId: string): CardIdentity {
  if (typeof cardId !== 'string' || cardId === '') {
    throw new InvalidCardIdError(String(cardId), 'empty');
  }
  if (!TASK_ID_CHARS.test(cardId)) {
    throw new InvalidCardIdError(cardId, 'only 0-9 a-z A-Z _ - @ are allowed (WeCom task_id)');
  }
  if (utf8Bytes(cardId) > TASK_ID_MAX_BYTES) {
    throw new InvalidCardIdError(cardId, `longer than ${TASK_ID_MAX_BYTES} bytes (WeCom task_id)`);
  }
  if (cardId.length > OUT_TRACK_ID_MAX_CHARS) {
    throw new InvalidCardIdError(cardId, `longer than ${OUT_TRACK_ID_MAX_CHARS} characters (DingTalk outTrackId)`);
  }
  return { taskId: cardId, outTrackId: cardId };
}
