/**
 * The one interface between Huifang and a chat platform. Adapters (WeCom, DingTalk) only
 * translate: they own tokens, wire shapes and the mapping from platform error codes to
 * `ChannelError.retryable`; they never decide who is reminded or when.
 */

export type ChannelName = 'wecom' | 'dingtalk';

/**
 * The WeCom wire body of one app message, without `touser` and `agentid` (the adapter adds
 * them): `{msgtype:'template_card', template_card:{…}}`, `{msgtype:'markdown', markdown:{content}}`
 * or `{msgtype:'text', text:{content}}`.
 */
export type WecomMessage =
  | { msgtype: 'template_card'; template_card: Record<string, unknown> }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string } };

/**
 * The DingTalk form of one message: an interactive card instance of our generic template
 * (`DINGTALK_CARD_TEMPLATE_ID`, all values strings), or a work notice (`asyncsend_v2` `msg`).
 * `outTrackId` identifies a card instance; it is unique per card and recipient.
 */
export type DingtalkMessage =
  | { kind: 'card'; outTrackId: string; cardParamMap: Record<string, string> }
  | { kind: 'notice'; msg: Record<string, unknown> };

/** A message rendered once for both channels; the office's channel picks its half. */
export interface RenderedMessage {
  wecom: WecomMessage;
  dingtalk: DingtalkMessage;
}

/** What a successful send leaves behind, kept on the outbox row for later updates. */
export interface SendReceipt {
  channel: ChannelName;
  /** WeCom `msgid` or DingTalk work-notice `task_id` / card `outTrackId`. */
  messageId?: string;
  /** WeCom `response_code` (single use, 72 h) for updating the card. */
  responseCode?: string;
  /** WeCom card `task_id`. */
  taskId?: string;
  /** DingTalk card `outTrackId`. */
  outTrackId?: string;
  /**
   * DingTalk: recipient userId → the `outTrackId` of that recipient's own card instance
   * (a card sent to several people is one instance per person: `${outTrackId}_${index}`).
   */
  outTrackIds?: Record<string, string>;
  /** Recipients the platform said it skipped (unknown, outside the visible range). */
  invalidRecipients?: string[];
}

/**
 * Why a platform call failed. `retryable` decides between back-off and `failed`;
 * `reason` lets the outbox tell the supervisor something useful on permanent failures.
 */
export type ChannelFailureReason =
  | 'unknown_recipient'
  | 'configuration'
  | 'rate_limited'
  | 'unavailable'
  | 'bad_request'
  | 'expired';

export class ChannelError extends Error {
  constructor(
    readonly reason: ChannelFailureReason,
    message: string,
    readonly retryable: boolean,
    /** The platform's own code (`errcode` or v1.0 `code`), for logs. */
    readonly platformCode?: string | number,
    /** A hint of how long to wait before retrying, when the platform implies one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** What became of a sent message, where the platform can tell (DingTalk work notices). */
export interface DeliveryCheck {
  delivered: string[];
  /** Accepted with success, then silently dropped (flow control, duplicate content). */
  dropped: string[];
  failed: string[];
  /** The platform's reason per dropped recipient, where it gives one. */
  dropCodes: Record<string, string>;
}

/** One chat platform as the rest of Huifang sees it. */
export interface Channel {
  readonly name: ChannelName;
  /** Sends one message to one or more platform user ids. Throws `ChannelError`. */
  send(to: string[], message: RenderedMessage): Promise<SendReceipt>;
  /**
   * Changes a card already sent, after a tap: `userIds` are the people whose copy changes,
   * `responseCode` is the single-use WeCom code from the tap callback (DingTalk uses
   * `receipt.outTrackId`). `replaceText` greys the buttons out with that text.
   */
  update(
    target: { receipt: SendReceipt; userIds: string[]; responseCode?: string },
    change: { replaceText: string } | { message: RenderedMessage },
  ): Promise<void>;
  /**
   * Asks whether a message sent with `receipt` reached `recipients`; present only where the
   * platform may accept and then drop (DingTalk). Throws `ChannelError`.
   */
  checkDelivery?(receipt: SendReceipt, recipients: string[]): Promise<DeliveryCheck>;
  /**
   * Puts a link before a customer who is not in the directory (a WeChat customer of a staff
   * member), through the staff member, who confirms the send in their own app. WeCom only.
   */
  sendCustomerLink?(message: CustomerLink): Promise<SendReceipt>;
  /** What became of a customer link (a mass-send task) for its customer. WeCom only. Throws `ChannelError`. */
  customerLinkState?(msgid: string, sender: string, externalUserId: string): Promise<CustomerLinkState>;
  /** Asks the platform to notify the sender of a customer link again. WeCom only. Throws `ChannelError`. */
  remindCustomerLink?(msgid: string): Promise<void>;
}

/**
 * Where a customer link stands for its customer: not yet sent by the member, sent (with when),
 * refused because the customer is no longer the member's contact, or swallowed by the
 * customer's cap (they already received their mass messages).
 */
export type CustomerLinkState = { state: 'unsent' } | { state: 'sent'; at: Date | null } | { state: 'not_friend' } | { state: 'cap_reached' };

/** A link for one external customer, sent in the name of the staff member who owns the contact. */
export interface CustomerLink {
  /** The staff member's userid: the owner of the customer contact. */
  sender: string;
  externalUserId: string;
  text: string;
  link: { title: string; desc: string; url: string };
}

/** A decoded, verified callback, in channel-neutral terms. */
export type CallbackEvent =
  | {
      type: 'card_action';
      channel: ChannelName;
      /** Stable across redeliveries of the same callback: the idempotency key. */
      eventId: string;
      userId: string;
      /** WeCom `task_id` or DingTalk `outTrackId`: which card was tapped. */
      cardId: string;
      /** The tapped button's key (WeCom `EventKey`, DingTalk `actionIds[0]`). */
      actionKey: string;
      /** Answers of selects/checkboxes: question key → chosen option ids. */
      selections: Record<string, string[]>;
      /** Extra parameters carried by the button (DingTalk `cardPrivateData.params`). */
      params?: Record<string, string>;
      /** WeCom single-use code for updating the tapped card. */
      responseCode?: string;
      at: Date;
    }
  | {
      type: 'text_reply';
      channel: ChannelName;
      eventId: string;
      userId: string;
      text: string;
      at: Date;
    }
  | { type: 'ignored'; channel: ChannelName; eventId: string; what: string };
