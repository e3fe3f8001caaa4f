import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

/**
 * One step in a visit's life: who did what and when. Nothing on a record is ever changed
 * without an entry here; corrections are new entries.
 */
@Entity('visit_history')
@Index('idx_history_visit', ['visitId', 'id'])
export class VisitHistoryEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  visitId: number;

  @Column(instant({ nullable: false }))
  at: Date;

  /** staff id, resident id, or 'system'. */
  @Column(shortText(64))
  actor: string;

  @Column(shortText(16))
  actorKind: 'staff' | 'resident' | 'system' | 'admin';

  @Column(shortText(48))
  action: string;

  @Column(json())
  details: Record<string, unknown> | null;
}
