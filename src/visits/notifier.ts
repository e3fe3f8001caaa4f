import { messagePayload } from '../outbox/outbox-payload';
import { EntityManager } from 'typeorm';
import { Office, StaffMember } from '../../entities';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { ChannelName, RenderedMessage } from '../channels/channel';
import { enqueue } from '../outbox/outbox';
import { deferPastQuietHours, DEFAULT_STAFF_QUIET } from '../rules/quiet-hours';
import { activeStaffWithRole } from '../offices/office-staff';
import { officeZone } from '../offices/office-zone';

/**
 * Queues messages to staff in the office's channel, inside the caller's transaction, never
 * in staff quiet hours (docs/rules.md §4: what falls due then goes at 08:00).
 */
export class Notifier {
  constructor(private readonly options: { defaultChannel: ChannelName; defaultTimeZone: string }) {}

  channelOf(office: Office): ChannelName {
    return office.channel ?? this.options.defaultChannel;
  }

  /** The earliest instant at or after `at` when staff of this office may be messaged. */
  staffSendInstant(office: Office, at: Date): Date {
    return deferPastQuietHours(at, officeZone(office, this.options.defaultTimeZone), office.policy?.staffQuietHours ?? DEFAULT_STAFF_QUIET);
  }

  /**
   * Queues one message to one staff member; `key` makes it unique (see OutboxDraft). Returns
   * the row's dedupe key, or null when it was queued before. `prompt`: see OutboxDraft.
   */
  async tellStaff(
    manager: EntityManager,
    office: Office,
    staff: StaffMember,
    message: { key: string; purpose: string; visitId?: number | null; payload: RenderedMessage; cardId?: string | null; now: Date; at?: Date; prompt?: boolean },
  ): Promise<string | null> {
    const channel = this.channelOf(office);
    const address = channel === 'wecom' ? staff.wecomUserId : staff.dingtalkUserId;
    return enqueue(
      manager,
      {
        officeId: office.id,
        dedupeKey: `${message.key}:${staff.id}`,
        channel,
        purpose: message.purpose,
        visitId: message.visitId ?? null,
        recipientKind: 'staff',
        recipientId: staff.id,
        address: address ?? '',
        cardId: message.cardId ?? null,
        payload: messagePayload(message.payload),
        notBefore: this.staffSendInstant(office, message.at ?? message.now),
        failure: address ? undefined : `staff member has no ${channel} user id`,
        prompt: message.prompt,
      },
      message.now,
    );
  }

  /** Tells every supervisor of the office something, as a plain notice; the dedupe keys queued. */
  async tellSupervisors(
    manager: EntityManager,
    office: Office,
    notice: { key: string; visitId?: number | null; title: string; lines: string[]; now: Date; prompt?: boolean },
  ): Promise<string[]> {
    const supervisors = await activeStaffWithRole(manager, office.id, 'supervisor');
    const queued: string[] = [];
    for (const supervisor of supervisors) {
      const payload = renderPlainNotice({ title: notice.title, lines: notice.lines, uniqueTag: notice.key, officeName: office.name });
      const key = await this.tellStaff(manager, office, supervisor, { ...notice, purpose: 'supervisor_notice', payload });
      if (key) queued.push(key);
    }
    return queued;
  }
}

