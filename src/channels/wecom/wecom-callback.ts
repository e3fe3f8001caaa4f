import { createHash } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';
import { constantTimeEqual } from '../../crypto/constant-time';
import { CallbackEvent } from '../channel';
import { CallbackRejected } from './wecom-callback-rejected';
import { WecomCallbackKeys } from './wecom-callback-builder';

export { CallbackRejected } from './wecom-callback-rejected';
export type { CallbackRejectReason } from './wecom-callback-rejected';
export {
  buildCardEventXml,
  buildTextXml,
  encryptCallback,
  encryptEchostr,
} from './wecom-callback-builder';
export type { EncryptedCallback, WecomCallbackKeys, WecomCallbackQuery } from './wecom-callback-builder';

/**
 * The callback's query parameters as a router hands them over (koa's `ctx.query` fits):
 * a repeated parameter may arrive as an array, and is refused.
 */
export type CallbackQueryInput = Partial<
  Record<'msg_signature' | 'timestamp' | 'nonce' | 'echostr', string | string[] | undefined>
>;
type Query = CallbackQueryInput;

/** How far a callback's `timestamp` may be from now before we refuse it (policy, §4.4). */
export const CALLBACK_MAX_SKEW_MS = 300_000;

/** Event ids are stored in a 191-character column; longer ones are replaced by their hash. */
const MAX_EVENT_ID_LENGTH = 191;

/** The envelope is parsed before the signature is checked: no entity expansion for strangers. */
const envelopeParser = new XMLParser({ parseTagValue: false, processEntities: false, trimValues: true });

/**
 * The decrypted message is authenticated; values stay strings (`MsgId` exceeds Number's
 * precision) and the repeatable elements of `SelectedItems` are always arrays.
 */
const messageParser = new XMLParser({
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) =>
    jpath === 'xml.SelectedItems.SelectedItem' || jpath === 'xml.SelectedItems.SelectedItem.OptionIds.OptionId',
});

/**
 * Verifies and decodes WeCom callbacks (§4): URL verification (GET) and encrypted event
 * delivery (POST). Invariant: nothing is returned unless the signature matches (compared in
 * constant time), the payload decrypts, its receiveid is our corpid and — for events — the
 * timestamp is within 300 s of now; every other outcome throws `CallbackRejected` (401).
 */
export class WecomCallbackCodec {
  constructor(private readonly keys: WecomCallbackKeys) {}

  /**
   * Answers the URL check: the plaintext of `echostr`, to be sent back as the whole body.
   * `now`, when given, also applies the timestamp window (the console's check is live).
   */
  verifyUrl(query: Query, now?: Date): string {
    const msgSignature = single(query.msg_signature);
    const timestamp = single(query.timestamp);
    const nonce = single(query.nonce);
    let echostr = single(query.echostr);
    if (now) this.checkFresh(timestamp, now);
    if (!this.signatureMatches(msgSignature, timestamp, nonce, echostr)) {
      // Why a second try: a router decodes an un-encoded '+' in the query as a space, but
      // base64 has no spaces, so putting '+' back is the only reading that can be right.
      const rebuilt = echostr.replace(/ /g, '+');
      if (rebuilt === echostr || !this.signatureMatches(msgSignature, timestamp, nonce, rebuilt)) {
        throw new CallbackRejected('bad_signature');
      }
      echostr = rebuilt;
    }
    return this.open(echostr);
  }

  /** Verifies, decrypts and maps one event POST to a channel-neutral `CallbackEvent`. */
  decode(query: Query, rawXmlBody: string, now: Date): CallbackEvent {
    const msgSignature = single(query.msg_signature);
    const timestamp = single(query.timestamp);
    const nonce = single(query.nonce);
    this.checkFresh(timestamp, now);
    const encrypted = envelopeEncrypt(rawXmlBody);
    if (!this.signatureMatches(msgSignature, timestamp, nonce, encrypted)) throw new CallbackRejected('bad_signature');
    return toEvent(parseMessage(this.open(encrypted)));
  }

  private checkFresh(timestamp: string, now: Date): void {
    if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackRejected('malformed');
    // Why a window: a captured callback replayed much later is refused outright (redeliveries
    // inside the window are caught by the eventId instead).
    if (Math.abs(now.getTime() - Number(timestamp) * 1000) > CALLBACK_MAX_SKEW_MS) {
      throw new CallbackRejected('stale_timestamp');
    }
  }

  private signatureMatches(given: string, timestamp: string, nonce: string, encrypted: string): boolean {
    // The length is public (always 40 hex digits).
    return constantTimeEqual(getSignature(this.keys.token, timestamp, nonce, encrypted), given);
  }

  /** Decrypts and checks the receiveid; the library itself checks neither padding nor id. */
  private open(encrypted: string): string {
    let opened: { message: string; id: string };
    try {
      opened = decrypt(this.keys.encodingAesKey, encrypted);
    } catch {
      throw new CallbackRejected('undecryptable');
    }
    if (opened.id !== this.keys.corpId) throw new CallbackRejected('wrong_receiver');
    return opened.message;
  }
}

function single(value: string | string[] | undefined): string {
  if (typeof value !== 'string' || value === '') throw new CallbackRejected('malformed');
  return value;
}

function envelopeEncrypt(rawXmlBody: string): string {
  let envelope: unknown;
  try {
    envelope = envelopeParser.parse(rawXmlBody);
  } catch {
    throw new CallbackRejected('malformed');
  }
  const encrypted = (envelope as { xml?: { Encrypt?: unknown } } | undefined)?.xml?.Encrypt;
  if (typeof encrypted !== 'string' || encrypted === '') throw new CallbackRejected('malformed');
  return encrypted;
}

type Message = Record<string, unknown>;

function parseMessage(xml: string): Message {
  let parsed: unknown;
  try {
    parsed = messageParser.parse(xml);
  } catch {
    throw new CallbackRejected('malformed');
  }
  const message = (parsed as { xml?: unknown } | undefined)?.xml;
  if (typeof message !== 'object' || message === null) throw new CallbackRejected('malformed');
  return message as Message;
}

/** Maps a decrypted message to a `CallbackEvent`; eventIds depend only on its content. */
function toEvent(message: Message): CallbackEvent {
  const userId = text(message, 'FromUserName');
  const createTime = text(message, 'CreateTime');
  if (!/^\d+$/.test(createTime)) throw new CallbackRejected('malformed');
  const at = new Date(Number(createTime) * 1000);
  const msgType = optionalText(message, 'MsgType');
  const event = optionalText(message, 'Event');

  if (msgType === 'event' && (event === 'template_card_event' || event === 'template_card_menu_event')) {
    const taskId = text(message, 'TaskId');
    const eventKey = optionalText(message, 'EventKey') ?? '';
    const responseCode = optionalText(message, 'ResponseCode');
    return {
      type: 'card_action',
      channel: 'wecom',
      // Why this key: WeCom redelivers with the same content; FromUserName + CreateTime is
      // its own dedupe advice, TaskId and EventKey keep two taps in one second apart, and the
      // tap's single-use ResponseCode two submits of one card in one second (a resident
      // answering again what the card asked again).
      eventId: eventIdOf(`${userId}:${createTime}:${taskId}:${eventKey}${responseCode ? `:${responseCode}` : ''}`),
      userId,
      cardId: taskId,
      actionKey: eventKey,
      selections: selectionsOf(message.SelectedItems),
      ...(responseCode ? { responseCode } : {}),
      at,
    };
  }
  if (msgType === 'text') {
    return {
      type: 'text_reply',
      channel: 'wecom',
      // Why MsgId: WeCom's advice for messages; it is the same on every redelivery.
      eventId: eventIdOf(`msg:${text(message, 'MsgId')}`),
      userId,
      text: optionalText(message, 'Content') ?? '',
      at,
    };
  }
  const what = event ?? msgType ?? 'unknown';
  return { type: 'ignored', channel: 'wecom', eventId: eventIdOf(`${userId}:${createTime}:${what}`), what };
}

/** `SelectedItems/SelectedItem[]` → question key → option ids. */
function selectionsOf(items: unknown): Record<string, string[]> {
  const selections: Record<string, string[]> = {};
  const list = (items as { SelectedItem?: unknown } | undefined)?.SelectedItem;
  if (!Array.isArray(list)) return selections;
  for (const item of list as Message[]) {
    const question = optionalText(item, 'QuestionKey');
    if (question === undefined) throw new CallbackRejected('malformed');
    const options = (item.OptionIds as { OptionId?: unknown } | undefined)?.OptionId;
    selections[question] = Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [];
  }
  return selections;
}

function text(message: Message, name: string): string {
  const value = optionalText(message, name);
  if (value === undefined || value === '') throw new CallbackRejected('malformed');
  return value;
}

function optionalText(message: Message, name: string): string | undefined {
  const value = message[name];
  return typeof value === 'string' ? value : undefined;
}

/** Keeps ids within the 191-character column; a long one becomes a stable hash of itself. */
function eventIdOf(raw: string): string {
  return raw.length <= MAX_EVENT_ID_LENGTH ? raw : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
