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

  /** Queues one message to one staff member; `key` makes it unique (see OutboxDraft). */
  async tellStaff(
    manager: EntityManager,
    office: Office,
    staff: StaffMember,
    message: { key: string; purpose: string; visitId?: number | null; payload: RenderedMessage; cardId?: string | null; now: Date; at?: Date },
  ): Promise<boolean> {
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
        payload: message.payload,
        notBefore: this.staffSendInstant(office, message.at ?? message.now),
        failure: address ? undefined : `staff member has no ${channel} user id`,
      },
      message.now,
    );
  }

  /** Tells every supervisor of the office something, as a plain notice. */
  async tellSupervisors(
    manager: EntityManager,
    office: Office,
    notice: { key: string; visitId?: number | null; title: string; lines: string[]; now: Date },
  ): Promise<number> {
    const supervisors = await activeStaffWithRole(manager, office.id, 'supervisor');
    let queued = 0;
    for (const supervisor of supervisors) {
      const payload = renderPlainNotice({ title: notice.title, lines: notice.lines, uniqueTag: notice.key, officeName: office.name });
      if (await this.tellStaff(manager, office, supervisor, { ...notice, purpose: 'supervisor_notice', payload })) queued++;
    }
    return queued;
  }
}

