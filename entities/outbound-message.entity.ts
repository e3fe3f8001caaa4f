import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

/**
 * The outbox: every outbound message is a row written in the same transaction as the change
 * that caused it, then sent by the dispatcher. `dedupeKey` is unique: the real guarantee that
 * a reminder for one visit, slot and person is queued once, whoever runs the job.
 */
@Entity('outbound_messages')
@Index('uq_outbox_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_outbox_due', ['status', 'nextAttemptAt'])
@Index('idx_outbox_card', ['cardId'])
@Index('idx_outbox_visit', ['visitId'])
@Index('idx_outbox_address_sent', ['channel', 'address', 'sentAt'])
export class OutboundMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(191))
  dedupeKey: string;

  /** wecom | dingtalk | robot | sandbox. */
  @Column(shortText(16))
  channel: string;

  /** What the message is for: visit_reminder, resident_survey, supervisor_review, … */
  @Column(shortText(48))
  purpose: string;

  @Column({ type: 'integer', nullable: true })
  visitId: number | null;

  /** Our id of the recipient (staff or resident id), or a robot name. */
  @Column(shortText(16))
  recipientKind: 'staff' | 'resident' | 'group';

  @Column(shortText(64))
  recipientId: string;

  /** The platform user id the message goes to (WeCom userid, DingTalk userId, robot URL key). */
  @Column(shortText(191))
  address: string;

  /** WeCom task_id / DingTalk outTrackId of a card, to find it again when tapped. */
  @Column(shortText(128, { nullable: true }))
  cardId: string | null;

  @Column(json({ nullable: false }))
  payload: unknown;

  @Column(shortText(16))
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Not before this instant: quiet hours and back-off both push it later. */
  @Column(instant({ nullable: false }))
  nextAttemptAt: Date;

  /** A dispatcher's claim: others skip the row until the lease ends. */
  @Column(shortText(64, { nullable: true }))
  claimedBy: string | null;

  @Column(instant())
  claimedUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column(json())
  receipt: unknown;

  @Column(instant())
  sentAt: Date | null;

  /** When the platform was asked whether a sent message really arrived (DingTalk notices). */
  @Column(instant())
  deliveryCheckedAt: Date | null;

  @Column(instant({ nullable: false }))
  createdAt: Date;
}
