import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

export type InboundSource = 'work_orders' | 'wecom' | 'dingtalk' | 'dingtalk_card' | 'survey';
export type InboundOutcome = 'applied' | 'stale' | 'ignored' | 'pending' | 'failed';

/**
 * The idempotency log: one row per inbound event, unique on (source, eventId). The insert
 * of this row and the change it causes commit together, so a repeat finds the row and
 * does nothing, however many copies race.
 */
@Entity('inbound_events')
@Index('uq_inbound_source_event', ['source', 'eventId'], { unique: true })
@Index('idx_inbound_outcome', ['outcome', 'receivedAt'])
export class InboundEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(24))
  source: InboundSource;

  @Column(shortText(191))
  eventId: string;

  @Column(shortText(48, { nullable: true }))
  type: string | null;

  @Column(shortText(64, { nullable: true }))
  subjectId: string | null;

  @Column(shortText(16))
  outcome: InboundOutcome;

  @Column(json())
  payload: unknown;

  @Column(instant({ nullable: false }))
  receivedAt: Date;

  @Column(instant())
  processedAt: Date | null;
}
