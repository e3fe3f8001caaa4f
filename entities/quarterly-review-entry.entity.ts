import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, shortText } from './columns';

/** What the manager decides on a quarter's statistics (docs/rules.md §5, SOP 4.7). */
export type QuarterlyDecision = 'no_action' | 'nonconformity' | 'corrective_action';

/**
 * One step of the written review of a quarter's statistics: the supervisor's opinion
 * (`review`) or the manager's decision (`decision`). Append-only: a correction is a new
 * entry, and the latest of each step is the one in force.
 */
@Entity('quarterly_reviews')
@Index('idx_quarterly_reviews_quarter', ['officeId', 'quarter', 'id'])
export class QuarterlyReviewEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(8))
  quarter: string;

  @Column(shortText(16))
  step: 'review' | 'decision';

  /** The supervisor (review) or manager (decision), a staff id of the office. */
  @Column(shortText(64))
  staffId: string;

  /** The supervisor's written opinion (审核意见); null on a decision. */
  @Column({ type: 'text', nullable: true })
  opinion: string | null;

  /** The manager's decision; null on a review. */
  @Column(shortText(24, { nullable: true }))
  decision: QuarterlyDecision | null;

  /** The manager's note on the decision. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column(instant({ nullable: false }))
  at: Date;
}
