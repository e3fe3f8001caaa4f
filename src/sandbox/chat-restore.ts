import { DataSource } from 'typeorm';
import { OutboundMessage } from '../../entities';
import { RenderedMessage, SendReceipt } from '../channels/channel';
import { readPayload } from '../outbox/outbox-payload';
import { FakeWecom } from './fake-wecom.server';

/** How many of the latest sent messages a restart puts back into the chats. */
const RESTORE_LIMIT = 2000;

/**
 * Rebuilds the fake WeCom's chats from the outbox after a restart: the fake keeps what it
 * delivered in memory only, but the outbox records every message sent and every card update,
 * with the card's task_id. Restored cards can be tapped again, so a visit asked about before
 * the restart can still be answered in the sandbox. Returns how many messages came back.
 */
export async function restoreChats(dataSource: DataSource, fake: FakeWecom): Promise<number> {
  const rows = await dataSource.getRepository(OutboundMessage).find({
    where: { channel: 'wecom', status: 'sent' },
    order: { sentAt: 'DESC', id: 'DESC' },
    take: RESTORE_LIMIT,
  });
  let restored = 0;
  for (const row of rows.reverse()) {
    const at = row.sentAt ?? row.createdAt;
    const receipt = (row.receipt ?? {}) as SendReceipt;
    const payload = readPayload(row.payload, row.channel);
    if (payload.kind === 'card_update') {
      const { receipt: sent, replaceText, message } = payload.cardUpdate;
      if (!sent.taskId) continue;
      // A whole-card update (answered, or asking again) comes back as that card; otherwise the greyed buttons.
      if (message?.wecom.msgtype === 'template_card') {
        const { task_id: _taskId, ...templateCard } = message.wecom.template_card;
        fake.restoreUpdate({ userId: row.address, at, taskId: sent.taskId, templateCard });
      } else fake.restoreUpdate({ userId: row.address, at, taskId: sent.taskId, replaceName: replaceText });
      continue;
    }
    if (payload.kind !== 'message') continue;
    const wecom = payload.wecom;
    const content = (wecom as Record<string, unknown>)[wecom.msgtype] as Record<string, unknown>;
    fake.restore({ userId: row.address, at, msgtype: wecom.msgtype, content, taskId: receipt.taskId });
    restored += 1;
  }
  return restored;
}
