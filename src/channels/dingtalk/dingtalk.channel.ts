import { Channel, ChannelError, RenderedMessage, SendReceipt } from '../channel';
import { Clock } from '../../clock';
import { log } from '../../log';
import { CardDeliveryError, DingtalkClient, DingtalkLogger, NOTICE_MAX_RECIPIENTS } from './dingtalk.client';
import { DingtalkConfig } from './dingtalk.config';
import { DingtalkTokenCache } from './dingtalk-token';

/** What became of a sent message, per recipient (`checkDelivery`). */
export interface DeliveryReport {
  /** Reached the user's DingTalk (read or unread). */
  delivered: string[];
  /**
   * Silently dropped by DingTalk's flow control although the send answered success
   * (`forbidden_user_id_list`): the same content to the same user twice a day, the daily cap.
   * A dispatcher re-queues these — with different content, or on another day.
   */
  dropped: string[];
  /** Will not arrive: failed, or unknown to the organisation (`invalid` repeats those). */
  failed: string[];
  /** The unknown / out-of-range users among `failed`. */
  invalid: string[];
  /** Recipients (when passed) that no list names yet: DingTalk is still sending. */
  pending: string[];
  /** `forbidden_list` code per dropped user (143106 duplicate, 143105 daily cap; unverified). */
  dropCodes: Record<string, string>;
}

export interface DingtalkChannelOptions {
  clock?: Clock;
  tokens?: DingtalkTokenCache;
  logger?: DingtalkLogger;
}

/**
 * The DingTalk adapter of `Channel`. It only translates: a `card` message becomes one
 * interactive card instance per recipient (`createAndDeliver` to the app robot's one-to-one
 * chat), a `notice` becomes a work notice (`asyncsend_v2`). It never decides who is reminded
 * or when, and it never retries by itself except the client's single token refetch.
 *
 * outTrackId rule: one recipient → the rendered `outTrackId` as is; several → one instance
 * each, `${outTrackId}_${i}` with `i` the recipient's index in `to` (after removing duplicate
 * ids), recorded in `receipt.outTrackIds` (userId → outTrackId). A card tap reports that
 * per-recipient id as its `cardId`.
 */
export class DingtalkChannel implements Channel {
  readonly name = 'dingtalk' as const;
  readonly client: DingtalkClient;
  private readonly logger: DingtalkLogger;

  constructor(
    private readonly config: DingtalkConfig,
    options: DingtalkChannelOptions = {},
  ) {
    this.logger = options.logger ?? log.child({ channel: 'dingtalk' });
    this.client = new DingtalkClient(config, { clock: options.clock, tokens: options.tokens, logger: this.logger });
  }

  /**
   * Sends `message.dingtalk`: a card (one instance per recipient, see the class comment) or a
   * work notice (chunks of 100). Resolves when DingTalk accepted it; unknown card recipients
   * are listed in `invalidRecipients` (all unknown → `unknown_recipient`). For notices,
   * acceptance is not delivery: follow up with `checkDelivery`. Throws `ChannelError`.
   */
  async send(to: string[], message: RenderedMessage): Promise<SendReceipt> {
    const recipients = [...new Set(to)];
    if (recipients.length === 0) throw new ChannelError('bad_request', 'dingtalk send needs at least one recipient', false);
    const rendered = message.dingtalk;
    return rendered.kind === 'card'
      ? this.sendCards(recipients, rendered.outTrackId, rendered.cardParamMap)
      : this.sendNotice(recipients, rendered.msg);
  }

  /**
   * Changes sent cards by key (`PUT /v1.0/card/instances`): `replaceText` sets
   * `answered: 'true'` and `answerText`; a full message merges its `cardParamMap`. Only the
   * named users' own instances change (all of them when `userIds` is empty). Work notices
   * cannot be changed (`bad_request`).
   */
  async update(
    target: { receipt: SendReceipt; userIds: string[]; responseCode?: string },
    change: { replaceText: string } | { message: RenderedMessage },
  ): Promise<void> {
    let cardParamMap: Record<string, string>;
    if ('replaceText' in change) {
      // The generic template greys its buttons out when `answered` is "true" (values are strings, §4.1).
      cardParamMap = { answered: 'true', answerText: change.replaceText };
    } else {
      const rendered = change.message.dingtalk;
      if (rendered.kind !== 'card') throw new ChannelError('bad_request', 'a dingtalk work notice cannot be changed once sent', false);
      cardParamMap = rendered.cardParamMap;
    }
    for (const outTrackId of trackIdsFor(target.receipt, target.userIds)) {
      await this.client.updateCard(outTrackId, cardParamMap);
    }
  }

  /**
   * Asks DingTalk what became of a work notice (`getsendresult`), so a dispatcher can re-queue
   * the recipients it dropped silently. Call it a minute or more after sending and within
   * 24 h. A card receipt answers from the receipt: card delivery is known when `send` returns.
   * `recipients`, when given, lets the report name who is still `pending`.
   */
  async checkDelivery(receipt: SendReceipt, recipients: string[] = []): Promise<DeliveryReport> {
    if (receipt.outTrackId !== undefined) {
      const delivered = Object.keys(receipt.outTrackIds ?? {});
      const invalid = receipt.invalidRecipients ?? [];
      return report(recipients, { delivered, dropped: [], failed: invalid, invalid, dropCodes: {} });
    }
    if (!receipt.messageId) throw new ChannelError('bad_request', 'receipt has neither task_id nor outTrackId', false);
    const delivered = new Set<string>();
    const dropped = new Set<string>();
    const failed = new Set<string>();
    const invalid = new Set<string>();
    const dropCodes: Record<string, string> = {};
    for (const taskId of receipt.messageId.split(',')) {
      const result = await this.client.getSendResult(taskId);
      for (const userId of [...result.read, ...result.unread]) delivered.add(userId);
      for (const userId of result.forbidden) dropped.add(userId);
      for (const userId of [...result.failed, ...result.invalid]) failed.add(userId);
      for (const userId of result.invalid) invalid.add(userId);
      Object.assign(dropCodes, result.forbiddenCodes);
    }
    return report(recipients, {
      delivered: [...delivered],
      dropped: [...dropped],
      failed: [...failed],
      invalid: [...invalid],
      dropCodes,
    });
  }

  private async sendCards(recipients: string[], outTrackId: string, cardParamMap: Record<string, string>): Promise<SendReceipt> {
    const cardTemplateId = this.config.cardTemplateId;
    if (!cardTemplateId) throw new ChannelError('configuration', 'DINGTALK_CARD_TEMPLATE_ID is not set', false);
    const outTrackIds: Record<string, string> = {};
    const unknown: string[] = [];
    let lastUnknown: ChannelError | undefined;
    // One instance per recipient, so each person's answer and greyed-out buttons are theirs
    // alone and an update targets one person. Sequential: recipients are few and a burst
    // would only meet the 20 QPS limit sooner.
    for (const [index, userId] of recipients.entries()) {
      const trackId = recipients.length === 1 ? outTrackId : `${outTrackId}_${index}`;
      try {
        await this.client.createAndDeliverCard({
          outTrackId: trackId,
          cardTemplateId,
          cardParamMap,
          userIds: [userId],
          callbackRouteKey: this.config.cardRouteKey,
        });
        outTrackIds[userId] = trackId;
      } catch (error) {
        if (error instanceof CardDeliveryError || (error instanceof ChannelError && error.reason === 'unknown_recipient')) {
          unknown.push(userId);
          lastUnknown = error as ChannelError;
        } else if (error instanceof ChannelError && error.platformCode === 'param.cardAlreadyExist') {
          // Why success: outTrackIds are ours and unique per card and recipient, so an existing
          // instance is this very card from an earlier attempt whose answer we lost (timeout,
          // or a later recipient failed and the outbox retried the whole send). Failing here
          // would mark a delivered card as failed forever.
          this.logger.info({ api: 'card/createAndDeliver' }, 'dingtalk card already exists; treated as sent');
          outTrackIds[userId] = trackId;
        } else {
          // Retryable or not, stop here: the outbox retries the whole send, and the recipients
          // done so far answer `param.cardAlreadyExist` next time (handled above).
          throw error;
        }
      }
    }
    if (Object.keys(outTrackIds).length === 0) {
      throw new ChannelError('unknown_recipient', lastUnknown?.message ?? 'no dingtalk recipient could receive the card', false, lastUnknown?.platformCode);
    }
    return {
      channel: 'dingtalk',
      messageId: outTrackId,
      outTrackId,
      outTrackIds,
      ...(unknown.length > 0 ? { invalidRecipients: unknown } : {}),
    };
  }

  private async sendNotice(recipients: string[], msg: Record<string, unknown>): Promise<SendReceipt> {
    const taskIds: string[] = [];
    // Chunks of 100 (the userid_list cap). If a later chunk fails, the outbox resends them all;
    // the earlier chunks' copies are then dropped by DingTalk as same-day duplicates, so nobody
    // sees a message twice.
    for (let start = 0; start < recipients.length; start += NOTICE_MAX_RECIPIENTS) {
      taskIds.push(await this.client.sendWorkNotice(recipients.slice(start, start + NOTICE_MAX_RECIPIENTS), msg));
    }
    // Several task_ids (over 100 recipients) are kept comma-joined in `messageId`.
    return { channel: 'dingtalk', messageId: taskIds.join(',') };
  }
}

/** The card instances an update touches: the named users' own cards, or all of them. */
function trackIdsFor(receipt: SendReceipt, userIds: string[]): string[] {
  const byUser = receipt.outTrackIds ?? {};
  if (Object.keys(byUser).length === 0) {
    if (!receipt.outTrackId) throw new ChannelError('bad_request', 'receipt has no dingtalk outTrackId to update', false);
    return [receipt.outTrackId];
  }
  const chosen = userIds.length === 0 ? Object.values(byUser) : userIds.map((u) => byUser[u]).filter((id): id is string => !!id);
  if (chosen.length === 0) throw new ChannelError('bad_request', 'none of these users received this dingtalk card', false);
  return [...new Set(chosen)];
}

function report(recipients: string[], seen: Omit<DeliveryReport, 'pending'>): DeliveryReport {
  const named = new Set([...seen.delivered, ...seen.dropped, ...seen.failed]);
  return { ...seen, pending: recipients.filter((u) => !named.has(u)) };
}
