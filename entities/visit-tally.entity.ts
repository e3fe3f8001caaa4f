import { Column, Entity, PrimaryColumn } from 'typeorm';
import { json, key } from './columns';

/**
 * Visits counted as they change (src/db/visit-tallies.ts), per office, quarter, kind, team and
 * what the quarterly statistics tell apart: follow-up or not, recorded or not, recorded late or
 * not, the satisfaction given (0: none). Cancelled visits are not counted. Kept in the
 * transaction of every visit change, like `staff_workloads`, so a quarter's figures are a few
 * rows to read instead of every visit (docs/benchmarks.md).
 */
@Entity('visit_tallies')
export class VisitTally {
  @PrimaryColumn(key(64))
  officeId: string;

  @PrimaryColumn(key(8))
  quarter: string;

  @PrimaryColumn(key(24))
  kind: string;

  /** The visitors' team key (src/db/team-key.ts); '' for visits without visitors. */
  @PrimaryColumn(key(16))
  teamKey: string;

  @PrimaryColumn({ type: 'integer' })
  countsForRate: number;

  @PrimaryColumn({ type: 'integer' })
  recorded: number;

  @PrimaryColumn({ type: 'integer' })
  late: number;

  /** 1–5, or 0 when the record gives none (or the visit is not recorded). */
  @PrimaryColumn({ type: 'integer' })
  satisfaction: number;

  /** The team's staff ids, to give its figures to each member. */
  @Column(json({ nullable: false }))
  team: string[];

  @Column({ type: 'integer', default: 0 })
  visits: number;
}
