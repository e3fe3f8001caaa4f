import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, shortText, key } from './columns';

export type WorkOrderState = 'created' | 'updated' | 'completed' | 'reopened' | 'cancelled';
export type SamplingOutcome = 'selected' | 'not_sampled';

/**
 * The latest known state of a work order (工单). Events older than `lastEventAt` change
 * nothing, so out-of-order delivery cannot roll a work order back.
 */
@Entity('work_orders')
@Index('idx_work_orders_office_kind_quarter', ['officeId', 'kind', 'quarter'])
@Index('idx_work_orders_unit_matter', ['officeId', 'unitId', 'matterKey'])
// Covers the quarterly statistics' repeat complaints and repairs (src/reports/repeat-groups.ts).
@Index('idx_work_orders_matter_history', ['officeId', 'kind', 'unitId', 'matterKey', 'completedAt', 'receivedAt', 'state'])
export class WorkOrder {
  @PrimaryColumn(key(64))
  id: string;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(24))
  kind: string;

  @Column(shortText(16, { nullable: true }))
  severity: string | null;

  @Column(shortText(64, { nullable: true }))
  department: string | null;

  @Column(shortText(128, { nullable: true }))
  matterKey: string | null;

  @Column(shortText(200, { nullable: true }))
  title: string | null;

  @Column(shortText(64, { nullable: true }))
  unitId: string | null;

  @Column(shortText(64, { nullable: true }))
  residentId: string | null;

  @Column(shortText(16))
  state: WorkOrderState;

  /** When the work order was received: the earliest `occurredAt` of its events (repeat complaints count from it). */
  @Column(instant({ nullable: false }))
  receivedAt: Date;

  @Column(instant())
  completedAt: Date | null;

  @Column(instant())
  contractStartAt: Date | null;

  @Column(instant())
  contractEndAt: Date | null;

  /** Quarter (office zone) in which its counted visit's window closes, e.g. 2026-Q4. */
  @Column(shortText(8, { nullable: true }))
  quarter: string | null;

  /** How many times it was completed; a reopen-and-complete plans a new generation. */
  @Column({ type: 'integer', default: 0 })
  completions: number;

  @Column(shortText(16, { nullable: true }))
  sampling: SamplingOutcome | null;

  /** Why it was selected or not: full_rate, quota, quota_met, recent_unqualified, repeat_repair. */
  @Column(shortText(32, { nullable: true }))
  samplingReason: string | null;

  /** The quota figures at the moment of the decision, so every rate can be audited. */
  @Column({ type: 'integer', nullable: true })
  samplingEligible: number | null;

  @Column({ type: 'integer', nullable: true })
  samplingSelected: number | null;

  @Column({ type: 'float', nullable: true })
  samplingTarget: number | null;

  @Column(instant({ nullable: false }))
  lastEventAt: Date;

  @Column(shortText(191))
  lastEventId: string;

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
