import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, json, key, shortText } from './columns';

/** The regional seasons of a project (`MM-DD`); null: the region has none. */
export interface ProjectSeasonsValue {
  heating: { from: string; to: string } | null;
  cooling: { from: string; to: string } | null;
  /** The rainy / typhoon-season visit's opening day each year; null: none. */
  rainyVisit: string | null;
}

/** The owner (建设单位 / 业主) of a project: who signs repairs off and confirms visit records. */
export interface ProjectOwner {
  name: string;
  phone?: string | null;
  wecomUserId?: string | null;
  wecomExternalUserId?: string | null;
  dingtalkUserId?: string | null;
}

/** The contractor's contact, as the warranty card prints it. */
export interface ProjectContractor {
  name: string;
  address: string;
  phone: string;
  department: string;
  contact: string;
}

/** One entry of a project's history. */
export interface ProjectHistoryEntry {
  at: string;
  action: string;
  by: string;
  details?: Record<string, unknown> | null;
}

/** A construction project under warranty (docs/rules.md §7), from its acceptance date. */
@Entity('projects')
@Index('idx_projects_office', ['officeId'])
@Index('idx_projects_card', ['cardIssuedAt', 'acceptedOn'])
export class Project {
  @PrimaryColumn(key(64))
  id: string;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(200))
  name: string;

  /** 竣工验收合格之日, local date `YYYY-MM-DD`. */
  @Column(shortText(10))
  acceptedOn: string;

  /** Count the warranty from the day after acceptance (policy 3) instead of the day itself. */
  @Column({ type: 'boolean', width: 1, default: false })
  countFromNextDay: boolean;

  @Column({ type: 'integer' })
  designLifeYears: number;

  @Column({ type: 'integer', nullable: true })
  otherYears: number | null;

  @Column(json({ nullable: false }))
  seasons: ProjectSeasonsValue;

  /** Months between periodic visits; null: the office's policy. */
  @Column({ type: 'integer', nullable: true })
  visitEveryMonths: number | null;

  /** The staff member who runs this project's warranty: visitor of its visits, reminded of its card and repairs. */
  @Column(shortText(64))
  warrantyLeadId: string;

  @Column(json({ nullable: false }))
  owner: ProjectOwner;

  @Column(json({ nullable: false }))
  contractor: ProjectContractor;

  /** When the warranty card (保修证书) was issued; null: still due. */
  @Column(instant())
  cardIssuedAt: Date | null;

  /** When the supervisors were told the card was not issued within its month; null: not (yet). */
  @Column(instant())
  cardEscalatedAt: Date | null;

  /** What happened to the project itself: the card's escalation, changes of warranty lead. */
  @Column(json())
  history: ProjectHistoryEntry[] | null;

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
