import type { CustomerLink, RenderedMessage, SendReceipt } from '../channels/channel';
import type { TemplateMessage } from '../wechat/official-account.client';

/**
 * Changes a card already sent, after a tap: its buttons greyed out with `replaceText`, or —
 * with `message` — the whole card replaced (its answered form, locked on the answers given,
 * or asking again; `replaceText` is then its grey text).
 */
export interface CardUpdate {
  receipt: SendReceipt;
  /** WeCom's single-use code from the tap callback; DingTalk uses `receipt.outTrackId`. */
  responseCode?: string;
  replaceText: string;
  message?: RenderedMessage;
}

/**
 * What an outbox row carries, told apart by `kind`:
 * - `message`: a card or notice for a staff member or a resident in the directory;
 * - `card_update`: a change to a card already sent;
 * - `customer_link`: a link put before a WeChat customer by the staff member who owns the contact;
 * - `robot`: a group-robot body for each platform, keyed by platform (src/reports/robot-body.ts);
 * - `template_message`: a WeChat Official Account template message (channel `wechat_mp`).
 */
export type OutboxPayload =
  | ({ kind: 'message' } & RenderedMessage)
  | { kind: 'card_update'; cardUpdate: CardUpdate }
  | { kind: 'customer_link'; customerLink: CustomerLink }
  | { kind: 'robot'; wecom: Record<string, unknown>; dingtalk: Record<string, unknown> }
  | { kind: 'template_message'; templateMessage: TemplateMessage };

export const messagePayload = (message: RenderedMessage): OutboxPayload => ({ kind: 'message', ...message });

/**
 * Reads a stored payload. Rows queued before payloads carried `kind` (the first edition) are
 * told apart by their shape, so an upgrade sends what was already queued.
 */
export function readPayload(stored: unknown, channel: string): OutboxPayload {
  const payload = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  if (typeof payload.kind === 'string') return payload as unknown as OutboxPayload;
  if ('cardUpdate' in payload) return { kind: 'card_update', cardUpdate: payload.cardUpdate as CardUpdate };
  if ('customerLink' in payload) return { kind: 'customer_link', customerLink: payload.customerLink as CustomerLink };
  if (channel === 'robot') return { kind: 'robot', ...(payload as { wecom: Record<string, unknown>; dingtalk: Record<string, unknown> }) };
  return { kind: 'message', ...(payload as unknown as RenderedMessage) };
}
