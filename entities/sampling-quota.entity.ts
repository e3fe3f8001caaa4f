import { Column, Entity, PrimaryColumn } from 'typeorm';
import { key } from './columns';

/**
 * Running quota counts per office, kind and quarter (docs/rules.md §2). Updated under a row lock
 * in the transaction that stores the decision, so concurrent completions cannot both take
 * the last place.
 */
@Entity('sampling_quotas')
export class SamplingQuota {
  @PrimaryColumn(key(64))
  officeId: string;

  @PrimaryColumn(key(24))
  kind: string;

  @PrimaryColumn(key(8))
  quarter: string;

  @Column({ type: 'integer', default: 0 })
  eligible: number;

  @Column({ type: 'integer', default: 0 })
  selected: number;
}
