import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

/** Visit status values (docs/rules.md §4, docs/api.md). */
export enum VisitStatus {
  Planned = 'planned',
  Due = 'due',
  InProgress = 'in_progress',
  Recorded = 'recorded',
  Reviewed = 'reviewed',
  Closed = 'closed',
  Overdue = 'overdue',
  Unqualified = 'unqualified',
  Escalated = 'escalated',
  Handled = 'handled',
  Resolved = 'resolved',
  Cancelled = 'cancelled',
  Unassigned = 'unassigned',
}

/** Statuses in which a visit still waits for its record. */
export const OPEN_VISIT_STATUSES = [
  VisitStatus.Planned,
  VisitStatus.Due,
  VisitStatus.InProgress,
  VisitStatus.Overdue,
  VisitStatus.Unassigned,
] as const;

/** The ways a resident is reached, in the order they are tried (src/visits/resident-route.ts). */
export type ResidentRoute = 'card' | 'sidebar' | 'external' | 'official_account' | 'none';

/** How a visit was made; `email` only for a campaign call (docs/rules.md §8). */
export type VisitMethod = 'phone' | 'onsite' | 'face_to_face' | 'chat' | 'survey' | 'email';

/** Answers to a visit's own question set, by question key (text, a choice id, a level, a list). */
export type VisitDetails = { [key: string]: string | number | boolean | string[] | { [part: string]: string | null } | null };

/** What a resident answered themselves on a visit the staff must make (kept beside the record). */
export interface ResidentFeedback {
  quality: number | null;
  effect: number | null;
  satisfaction: number | null;
  shortcomings: string[] | null;
  suggestions: string | null;
  solved: boolean | null;
  /** survey:<nonce> or <channel>:<user id>. */
  via: string;
  /** ISO instant of the answer. */
  at: string;
}

/** One follow-up visit (回访) of a work order, with its window, record and review. */
@Entity('visits')
@Index('idx_visits_office_status', ['officeId', 'status'])
@Index('idx_visits_status_opens', ['status', 'opensAt'])
@Index('idx_visits_status_closes', ['status', 'closesAt'])
@Index('idx_visits_work_order', ['workOrderId'])
@Index('idx_visits_project', ['projectId', 'status'])
@Index('idx_visits_campaign', ['campaignId', 'status'])
@Index('idx_visits_customer', ['customerId'])
// The quarterly statistics count from `visit_tallies`; these read what the counts cannot tell:
// visits not recorded by an instant (overdue), and the unqualified ones (src/reports).
@Index('idx_visits_quarter_records', ['officeId', 'quarter', 'recordedAt', 'kind', 'teamKey', 'closesAt', 'status'])
@Index('idx_visits_quarter_verdict', ['officeId', 'quarter', 'verdict', 'recordedAt', 'kind', 'status', 'satisfaction', 'workOrderId', 'unitId'])
export class Visit {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  officeId: string;

  /** The work order that caused this visit; null for a warranty visit or a campaign call. */
  @Column(shortText(64, { nullable: true }))
  workOrderId: string | null;

  /** The construction project of a warranty visit. */
  @Column(shortText(64, { nullable: true }))
  projectId: string | null;

  /** The follow-up campaign (or visit plan) of a campaign call, and its customer. */
  @Column(shortText(64, { nullable: true }))
  campaignId: string | null;

  @Column(shortText(64, { nullable: true }))
  customerId: string | null;

  /** What the visit's own question set asked (warranty visits, campaign calls), by question key. */
  @Column(json())
  details: VisitDetails | null;

  /** The work order's completion generation this visit belongs to (reopen → new one). */
  @Column({ type: 'integer', default: 1 })
  generation: number;

  @Column(shortText(24))
  kind: string;

  /** main, or mid_contract / after_contract for special services. */
  @Column(shortText(24))
  purpose: string;

  /**
   * Whether this visit is its work order's follow-up in the rates (done, on time): the main or
   * after-contract visit of the current completion generation. False for a special service's
   * mid-contract visit (an extra visit), for every visit of a generation a reopen ended, and
   * for visits without a work order (warranty visits, campaign calls).
   */
  @Column({ type: 'boolean', width: 1, default: false })
  countsForRate: boolean;

  /** Its visitors as a short key (src/db/team-key.ts), written with them; null without visitors. */
  @Column(shortText(16, { nullable: true }))
  teamKey: string | null;

  @Column(shortText(16))
  status: VisitStatus;

  /** Quarter (office zone) in which the visit's window closes (local date of `closesAt`): where it is counted. */
  @Column(shortText(8))
  quarter: string;

  @Column(instant({ nullable: false }))
  opensAt: Date;

  @Column(instant({ nullable: false }))
  closesAt: Date;

  @Column(shortText(64, { nullable: true }))
  residentId: string | null;

  @Column(shortText(64, { nullable: true }))
  unitId: string | null;

  /**
   * Whether the resident's own answers complete this visit (routine services), or the named
   * visitors must make it themselves and the resident rates and confirms their record
   * (complaints, special services, emergencies; office policy `selfSurveyCompletes`).
   */
  @Column({ type: 'boolean', width: 1, default: true })
  residentCompletes: boolean;

  /** A joint visit planned without every role it needs (no head for the complained department). */
  @Column({ type: 'boolean', width: 1, default: false })
  teamIncomplete: boolean;

  /**
   * How the resident is reached (src/visits/resident-route.ts, in this order): card (directory
   * member), sidebar or external (a WeChat customer: the visitor sends the link from the chat
   * toolbar, or a mass-send task the member confirms), official_account (公众号 template
   * message), none (the visitors phone). Changes when a route fails; the history says why.
   */
  @Column(shortText(16, { nullable: true }))
  residentRoute: ResidentRoute | null;

  /** When the survey link is known to have reached the resident (a mass-send task was sent). */
  @Column(instant())
  residentReachedAt: Date | null;

  @Column(instant())
  residentAskedAt: Date | null;

  @Column(instant())
  residentReaskedAt: Date | null;

  /** When a silent resident's visit went back to its visitors for a phone or on-site visit. */
  @Column(instant())
  handedBackAt: Date | null;

  /** The resident's own answers to a visit the staff must make: kept as feedback, not the record. */
  @Column(json())
  residentFeedback: ResidentFeedback | null;

  @Column(shortText(16, { nullable: true }))
  method: VisitMethod | null;

  @Column({ type: 'integer', nullable: true })
  quality: number | null;

  @Column({ type: 'integer', nullable: true })
  effect: number | null;

  @Column({ type: 'integer', nullable: true })
  satisfaction: number | null;

  @Column(json())
  shortcomings: string[] | null;

  @Column({ type: 'text', nullable: true })
  shortcomingsText: string | null;

  @Column({ type: 'text', nullable: true })
  suggestions: string | null;

  /** The resident's word on whether the problem is solved (null: not asked). */
  @Column({ type: 'boolean', width: 1, nullable: true })
  solved: boolean | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column(instant())
  recordedAt: Date | null;

  @Column(shortText(64, { nullable: true }))
  recordedBy: string | null;

  /** Recorded after its window closed: done, but not on time. */
  @Column({ type: 'boolean', width: 1, default: false })
  late: boolean;

  @Column(instant())
  residentConfirmedAt: Date | null;

  /** The chat id (or survey token id) with which the resident confirmed. */
  @Column(shortText(128, { nullable: true }))
  residentConfirmedBy: string | null;

  @Column(instant())
  staffConfirmedAt: Date | null;

  @Column(shortText(64, { nullable: true }))
  staffConfirmedBy: string | null;

  /** The record's verdict under docs/rules.md §3 and then the supervisor's: ok | unqualified. */
  @Column(shortText(16, { nullable: true }))
  verdict: 'ok' | 'unqualified' | null;

  @Column(instant())
  reviewedAt: Date | null;

  @Column(shortText(64, { nullable: true }))
  reviewerId: string | null;

  @Column({ type: 'text', nullable: true })
  reviewOpinion: string | null;

  /** When the visit went to the manager (the latest time, after a resident said "not solved"). */
  @Column(instant())
  escalatedAt: Date | null;

  /** The manager's deadline for the handling (escalatedAt + the office's escalation hours). */
  @Column(instant())
  handleBy: Date | null;

  /** 1 for the first escalation, 2 after the resident said the handled problem is not solved. */
  @Column({ type: 'integer', default: 0 })
  escalationRound: number;

  /** The half-time reminder to the manager went out (this round). */
  @Column(instant())
  escalationRemindedAt: Date | null;

  /** The supervisor was told that the handling deadline passed (this round). */
  @Column(instant())
  escalationOverdueAt: Date | null;

  @Column(instant())
  handledAt: Date | null;

  @Column(shortText(64, { nullable: true }))
  handlerId: string | null;

  @Column({ type: 'text', nullable: true })
  handlingOpinion: string | null;

  /** When the resident was asked whether the handled problem is solved now. */
  @Column(instant())
  resolutionAskedAt: Date | null;

  /** When the resident said the handled problem is solved. */
  @Column(instant())
  resolvedAt: Date | null;

  @Column(instant())
  closedAt: Date | null;

  /** How it closed: passed (review), resolved (the resident's word), handled (without it). */
  @Column(shortText(16, { nullable: true }))
  closedAs: 'passed' | 'resolved' | 'handled' | null;

  @Column(shortText(32, { nullable: true }))
  cancelReason: string | null;

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
