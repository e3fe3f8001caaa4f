import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { shortText, key } from './columns';

/** Who carries out a visit (docs/rules.md §2 "visitor"), one row per person and role. */
@Entity('visit_assignees')
@Index('idx_assignees_staff', ['officeId', 'staffId'])
export class VisitAssignee {
  @PrimaryColumn({ type: 'integer' })
  visitId: number;

  @PrimaryColumn(key(64))
  staffId: string;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(24))
  role: string;
}
