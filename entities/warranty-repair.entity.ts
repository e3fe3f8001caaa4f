import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

/**
 * Where a warranty repair stands: reported → on_site → assessed → done → signed_off, or, when
 * the owner is not satisfied, done → not_accepted → (reworked) done again.
 */
export enum RepairStatus {
  Reported = 'reported',
  OnSite = 'on_site',
  Assessed = 'assessed',
  Done = 'done',
  SignedOff = 'signed_off',
  NotAccepted = 'not_accepted',
}

/** 维修任务书 (policy 4 §5): the problem's main cause, the measures, the completion date, who approved, who is responsible. */
export interface TaskSheet {
  cause: string;
  measures: string;
  dueOn: string;
  approvedBy: string;
  responsible: string;
}

/** One step of a repair, as its history keeps it. */
export interface RepairStep {
  at: string;
  action: string;
  by: string;
  details?: Record<string, unknown> | null;
}

/** A warranty report (保修意见) and its repair, held to 24 h on site and 15 days solved (docs/rules.md §7). */
@Entity('warranty_repairs')
@Index('idx_repairs_project', ['projectId', 'status'])
@Index('idx_repairs_status', ['status', 'solveBy'])
export class WarrantyRepair {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(64))
  projectId: string;

  @Column(shortText(24))
  category: string;

  @Column(shortText(200))
  location: string;

  @Column({ type: 'text' })
  description: string;

  @Column(shortText(16))
  status: RepairStatus;

  @Column(instant({ nullable: false }))
  reportedAt: Date;

  @Column(instant({ nullable: false }))
  onSiteBy: Date;

  @Column(instant({ nullable: false }))
  solveBy: Date;

  @Column(instant())
  onSiteAt: Date | null;

  @Column(instant())
  assessedAt: Date | null;

  /** builder (free, within the warranty) | misuse | other (someone else's work). */
  @Column(shortText(16, { nullable: true }))
  cause: 'builder' | 'misuse' | 'other' | null;

  @Column(json())
  taskSheet: TaskSheet | null;

  /** Outside the warranty (misuse, someone else's work, or reported after the category ended): materials and labour are charged. */
  @Column({ type: 'boolean', width: 1, default: false })
  charged: boolean;

  @Column(instant())
  doneAt: Date | null;

  /** 验收签认: when the owner answered the sign-off (accepted: signed_off; not satisfied: not_accepted). */
  @Column(instant())
  signedOffAt: Date | null;

  @Column(shortText(128, { nullable: true }))
  signedOffVia: string | null;

  /** The warranty lead was reminded before the 24 h / 15 d deadline. */
  @Column(instant())
  onSiteRemindedAt: Date | null;

  @Column(instant())
  solveRemindedAt: Date | null;

  /** The supervisors were told the deadline passed. */
  @Column(instant())
  onSiteEscalatedAt: Date | null;

  @Column(instant())
  solveEscalatedAt: Date | null;

  @Column(json({ nullable: false }))
  history: RepairStep[];

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
