import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, json, shortText, key } from './columns';

export type StaffRoleCode = 'specialist' | 'supervisor' | 'dept_head' | 'manager';

/** A member of an office's staff, with the roles of docs/rules.md §1 and chat identities. */
@Entity('staff')
@Index('idx_staff_wecom', ['wecomUserId'])
@Index('idx_staff_dingtalk', ['dingtalkUserId'])
export class StaffMember {
  @PrimaryColumn(key(64))
  officeId: string;

  @PrimaryColumn(key(64))
  id: string;

  @Column(shortText(100))
  name: string;

  @Column(json({ nullable: false }))
  roles: StaffRoleCode[];

  /** The department this person belongs to (a dept_head heads it). */
  @Column(shortText(64, { nullable: true }))
  department: string | null;

  @Column(shortText(64, { nullable: true }))
  wecomUserId: string | null;

  @Column(shortText(64, { nullable: true }))
  dingtalkUserId: string | null;

  /** Staff removed from the office stay for history but get no new visits. */
  @Column({ type: 'boolean', width: 1, default: true })
  active: boolean;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
