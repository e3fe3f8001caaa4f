import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

/**
 * Where a customer-contact mass-send task (企业群发, `add_msg_template`) stands:
 * `queued` in our outbox; `created` in WeCom, waiting for the member to confirm it in 群发助手;
 * `sent` to the customer; `unsent` past the office's wait, handed on; `failed` never created
 * or gone (unknown customer, a member who left, a task deleted in the client, the customer's cap).
 */
export type CustomerMessageStatus = 'queued' | 'created' | 'sent' | 'unsent' | 'failed';

/**
 * One mass-send task that puts a survey link before a WeChat customer (docs/wecom.md §7.1).
 * Written in the transaction that queued its outbox row (`dedupeKey` is that row's); the
 * `customer-messages` job follows it until it is sent or handed on. It is also the count of
 * the customer's mass messages against the monthly cap.
 */
@Entity('customer_messages')
@Index('uq_customer_messages_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_customer_messages_due', ['status', 'nextCheckAt'])
@Index('idx_customer_messages_customer', ['externalUserId', 'createdAt'])
@Index('idx_customer_messages_visit', ['visitId'])
export class CustomerMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  officeId: string;

  @Column({ type: 'integer' })
  visitId: number;

  @Column(shortText(64))
  residentId: string;

  /** How it goes: `external`, a mass-send task; `official_account`, a template message (then `externalUserId` holds the openid). */
  @Column(shortText(24, { default: 'external' }))
  route: 'external' | 'official_account';

  @Column(shortText(64))
  externalUserId: string;

  /** The member in whose name it goes (the contact's owner). */
  @Column(shortText(64))
  sender: string;

  /** The outbox row that creates the task. */
  @Column(shortText(191))
  dedupeKey: string;

  @Column(shortText(16))
  status: CustomerMessageStatus;

  /** WeCom's `msgid` of the task, once created. */
  @Column(shortText(128, { nullable: true }))
  msgid: string | null;

  @Column(instant())
  taskCreatedAt: Date | null;

  /** When the job looks at it next. */
  @Column(instant())
  nextCheckAt: Date | null;

  /** A job run holds it until then (two instances never work one task at once). */
  @Column(shortText(64, { nullable: true }))
  claimedBy: string | null;

  @Column(instant())
  claimedUntil: Date | null;

  /** Instants of WeCom's own reminders (`remind_groupmsg_send`, ≤ 3 per 24 h). */
  @Column(json())
  platformReminders: string[] | null;

  /** When our chat reminder naming the resident went to the member. */
  @Column(instant())
  chatRemindedAt: Date | null;

  /** When the customer got it (WeCom's `send_time`). */
  @Column(instant())
  sentAt: Date | null;

  /** Why it ended unsent or failed: unsent, not_friend, cap_reached, task_gone, member_left, unknown_customer, not_created. */
  @Column(shortText(32, { nullable: true }))
  outcome: string | null;

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
