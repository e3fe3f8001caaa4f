import { Channel, ChannelError, CustomerLink, CustomerLinkState, RenderedMessage, SendReceipt } from '../channel';
import { WecomClient, WecomClientOptions, WecomSendAnswer } from './wecom.client';
import { WecomConfig } from './wecom.config';

/** WeCom's longest duplicate-check interval (4 h): covers every retry the outbox makes soon. */
const DUPLICATE_CHECK_SECONDS = 14_400;

/** At most this many userids per `message/send` (WeCom's limit on `touser`). */
const MAX_RECIPIENTS = 1000;

/**
 * WeCom as a `Channel`: app messages (text, markdown, interactive `template_card`) to
 * directory members, and card updates through `update_template_card`. It only translates
 * wire shapes; tokens and errcode mapping live in `WecomClient`, and who is reminded when is
 * decided elsewhere. Every failure is a `ChannelError`.
 */
export class WecomChannel implements Channel {
  readonly name = 'wecom' as const;
  private readonly client: WecomClient;

  constructor(
    private readonly config: WecomConfig,
    options: WecomClientOptions & { client?: WecomClient } = {},
  ) {
    this.client = options.client ?? new WecomClient(config, options);
  }

  /**
   * A customer-contact message with the survey link as a link attachment: WeCom queues it for
   * the staff member, who confirms it in WeCom; only then does the WeChat customer get it.
   */
  async sendCustomerLink(message: CustomerLink): Promise<SendReceipt> {
    const answer = await this.client.addMsgTemplate({
      chat_type: 'single',
      external_userid: [message.externalUserId],
      sender: message.sender,
      text: { content: message.text },
      attachments: [{ msgtype: 'link', link: message.link }],
    });
    if (answer.fail_list?.includes(message.externalUserId)) {
      throw new ChannelError('unknown_recipient', 'wecom cannot address this customer through this staff member', false);
    }
    return { channel: 'wecom', messageId: answer.msgid || undefined };
  }

  /**
   * The customer's line of `get_groupmsg_send_result` (docs/wecom.md §7.1); a task that does
   * not list the customer (yet) counts as not sent.
   */
  async customerLinkState(msgid: string, sender: string, externalUserId: string): Promise<CustomerLinkState> {
    const answer = await this.client.groupMsgSendResult(msgid, sender);
    const line = answer.send_list?.find((l) => l.external_userid === externalUserId);
    switch (line?.status) {
      case 1:
        return { state: 'sent', at: line.send_time ? new Date(line.send_time * 1000) : null };
      case 2:
        return { state: 'not_friend' };
      case 3:
        return { state: 'cap_reached' };
      default:
        return { state: 'unsent' };
    }
  }

  async remindCustomerLink(msgid: string): Promise<void> {
    await this.client.remindGroupMsgSend(msgid);
  }

  /**
   * Sends `message.wecom` to the userids in `to`. Recipients WeCom skipped come back in
   * `invalidRecipients` (in the caller's spelling; WeCom lower-cases them); if it skipped all
   * of them the send fails with `unknown_recipient`.
   */
  async send(to: string[], message: RenderedMessage): Promise<SendReceipt> {
    if (to.length === 0 || to.length > MAX_RECIPIENTS) {
      throw new ChannelError('bad_request', `wecom send needs 1–${MAX_RECIPIENTS} recipients, got ${to.length}`, false);
    }
    const wecom = message.wecom;
    const answer = await this.client.sendMessage({
      touser: to.join('|'),
      agentid: this.config.agentId,
      ...wecom,
      // Why on: the outbox queues each message once (unique keys), but a send whose answer
      // was lost (time-out, crash before the row was marked sent) is sent again; WeCom then
      // recognises the identical request and does not deliver it twice. Every message we
      // send is unique by content (visit, slot, card id), so nothing legitimate is swallowed.
      enable_duplicate_check: 1,
      duplicate_check_interval: DUPLICATE_CHECK_SECONDS,
    });
    const invalidRecipients = skippedRecipients(to, answer);
    if (invalidRecipients.length >= new Set(to.map((id) => id.toLowerCase())).size) {
      // WeCom answers 81013 when every userid is unknown; unlicensed ones can still slip
      // through with errcode 0, and a message that reached nobody is not a success.
      throw new ChannelError('unknown_recipient', 'wecom message/send reached none of the recipients', false);
    }
    const taskId =
      wecom.msgtype === 'template_card' && typeof wecom.template_card.task_id === 'string'
        ? wecom.template_card.task_id
        : undefined;
    return {
      channel: 'wecom',
      messageId: answer.msgid || undefined,
      responseCode: answer.response_code || undefined,
      taskId,
      invalidRecipients: invalidRecipients.length > 0 ? invalidRecipients : undefined,
    };
  }

  /**
   * Changes the copies of `target.userIds` (all recipients when empty: `atall`) of a card
   * already sent, with the single-use `responseCode` (the tap's, else the send's). Either
   * greys the buttons out with `replaceText`, or replaces the whole card (its `task_id`
   * removed, as WeCom requires). A used or 72 h old code fails with `expired`.
   */
  async update(
    target: { receipt: SendReceipt; userIds: string[]; responseCode?: string },
    change: { replaceText: string } | { message: RenderedMessage },
  ): Promise<void> {
    const responseCode = target.responseCode ?? target.receipt.responseCode;
    if (!responseCode) {
      throw new ChannelError('bad_request', 'wecom card update needs a response_code', false);
    }
    const body: Record<string, unknown> = {
      ...(target.userIds.length > 0 ? { userids: target.userIds } : { atall: 1 }),
      agentid: this.config.agentId,
      response_code: responseCode,
    };
    if ('replaceText' in change) {
      body.button = { replace_name: change.replaceText };
    } else {
      const wecom = change.message.wecom;
      if (wecom.msgtype !== 'template_card') {
        throw new ChannelError('bad_request', `wecom card update needs a template_card, got ${wecom.msgtype}`, false);
      }
      const { task_id: _taskId, ...card } = wecom.template_card;
      body.template_card = card;
    }
    await this.client.updateTemplateCard(body);
  }
}

/** Recipients WeCom skipped, mapped back to the spelling of `to`. */
function skippedRecipients(to: string[], answer: WecomSendAnswer): string[] {
  const byLowerCase = new Map(to.map((id) => [id.toLowerCase(), id]));
  const listed = [answer.invaliduser, answer.unlicenseduser]
    .flatMap((list) => (list ? list.split('|') : []))
    .filter((id) => id !== '');
  return [...new Set(listed.map((id) => byLowerCase.get(id.toLowerCase()) ?? id))];
}
