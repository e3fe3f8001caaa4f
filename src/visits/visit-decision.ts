import type { Visit, VisitMethod } from '../../entities';
import type { StaffRole } from '../rules/kinds';
import type { OfficePolicy } from '../rules/office-policy';
import type { ReminderSlot } from '../rules/reminder-instants';
import type { RecordAnswers, VisitAnswers } from './visit-answers';

/*
 * The vocabulary of the visit lifecycle (docs/rules.md §4): what can happen to a visit
 * (commands), who makes it happen (actors) and what the lifecycle decides in answer (a
 * decision: the visit's changed fields, history entries and messages — who is told what).
 * Deciding is pure (src/visits/visit-lifecycle.ts); saving is one place
 * (src/visits/visit-lifecycle.service.ts with src/db/visit-store.ts).
 */

/** A visitor of a visit: a staff member in a role. */
export interface Assignee {
  staffId: string;
  role: StaffRole;
}

/** A visit as the lifecycle sees it: its stored fields and its visitors. */
export type VisitSnapshot = Readonly<Visit> & { readonly assignees: readonly Assignee[] };

/** What the lifecycle knows of a staff member: active in the visit's office, with these roles. */
export interface StaffFacts {
  id: string;
  roles: readonly StaffRole[];
}

/** Who makes a command happen. */
export type Actor =
  | { kind: 'system' }
  | { kind: 'resident'; via: string }
  /** `member` is null when `id` is not an active staff member of the visit's office. */
  | { kind: 'staff'; id: string; member: StaffFacts | null };

/** The answers of one card of the staged chat survey (ratings, then shortcomings). */
export type PartialAnswers = Partial<Pick<VisitAnswers, 'quality' | 'effect' | 'satisfaction' | 'shortcomings'>>;

/** The survey card that follows another: ratings → shortcomings → 确认. */
export type SurveyStage = 'ratings' | 'shortcomings' | 'confirm';

/** Everything that can happen to a visit. */
export type VisitCommand =
  // The schedule (actor: system).
  | { type: 'open_window' }
  | { type: 'ask_resident'; customerCapFull?: string | null; fallback?: FallbackRoute }
  | { type: 'remind_visitors' }
  | { type: 'reask_resident'; customerCapFull?: string | null; fallback?: FallbackRoute }
  | { type: 'hand_back' }
  | { type: 'mark_overdue' }
  | { type: 'remind_handler' }
  | { type: 'report_handling_overdue' }
  | { type: 'close_after_review' }
  | { type: 'close_without_resolution' }
  // What became of a WeChat customer's mass-send task (the customer-messages job).
  | { type: 'customer_link_outcome'; via: 'external' | 'official_account'; outcome: CustomerLinkOutcome; purpose: 'survey' | 'resolution'; at: Date | null; fallback: FallbackRoute }
  | { type: 'customer_link_pending'; sender: string; phoneAt: Date }
  | { type: 'cancel'; reason: 'reopened' | 'work_order_cancelled' | 'contract_changed' | 'warranty_terms_changed' }
  /** The visit moves to a new visitor because the one who runs its subject changed (a project's warranty lead). */
  | { type: 'reassign'; to: Assignee; reason: 'warranty_lead_changed' }
  // The resident.
  | { type: 'save_resident_answers'; answers: PartialAnswers; next: SurveyStage | null }
  | { type: 'submit_resident_answers'; answers: VisitAnswers; method: 'chat' | 'survey' }
  | { type: 'confirm_by_resident' }
  | { type: 'dispute_by_resident' }
  | { type: 'answer_resolution'; solved: boolean }
  | { type: 'add_resident_text'; text: string }
  // Staff.
  | { type: 'record'; method: VisitMethod; answers: RecordAnswers; notes?: string | null }
  | { type: 'correct'; method?: VisitMethod; answers: RecordAnswers; notes?: string | null }
  | { type: 'confirm_by_staff' }
  | { type: 'review'; verdict: 'ok' | 'unqualified'; opinion?: string | null }
  | { type: 'handle'; opinion: string; customerCapFull?: string | null; fallback?: FallbackRoute }
  | { type: 'assign'; assignees: Assignee[]; staff: StaffFacts[]; requiredRoles: StaffRole[] }
  /** `survey_link_sent`: a staff member put the survey link into the resident's chat (the WeCom chat sidebar); `complaint_filed`: a campaign call's complaint became a work order. */
  | { type: 'note_staff_action'; action: 'visit_started' | 'resident_unreachable' | 'survey_link_sent' | 'complaint_filed'; details?: Record<string, unknown> }
  /** A campaign call that did not reach the customer (docs/rules.md §8): counted, the visit stays open. */
  | { type: 'call_attempt'; method: 'phone' | 'chat' | 'email'; via: 'api' | 'form' | 'card'; notes?: string | null; details?: Record<string, unknown> }
  | { type: 'add_opinion'; text: string };

export type VisitCommandType = VisitCommand['type'];

/** The route after a WeChat customer's route failed (src/visits/resident-route.ts). */
export type FallbackRoute = 'official_account' | 'none';

/**
 * What became of a mass-send task: sent; still unsent after the office's wait; refused
 * (no longer a friend, the customer's cap); gone (deleted in the client, its member left);
 * never created (an unknown or expired external id, any other refusal).
 */
export type CustomerLinkOutcome =
  | 'sent'
  | 'unsent'
  | 'not_friend'
  | 'cap_reached'
  | 'task_gone'
  | 'member_left'
  | 'unknown_customer'
  | 'not_created'
  /** The Official Account's template message: the resident does not follow the account (any more), or the account does not own the template. */
  | 'not_following'
  | 'template_not_owned';

/** What the supervisors are told in a plain notice (or, for `overdue`, on the overdue card). */
export type NoticeTopic =
  | 'overdue'
  | 'dispute'
  | 'team_incomplete'
  | 'unassigned'
  | 'no_manager'
  | 'handling_overdue'
  | 'not_resolved'
  | 'closed_unresolved';

/** Who is told what; rendered into cards and queued by src/visits/visit-messages.ts. */
export type VisitMessage =
  /** A card of the staged survey (or the link, for a WeChat customer) to the resident. */
  | { kind: 'resident_survey'; stage: SurveyStage; attempt: 1 | 2; at: Date }
  /** The staff record for the resident to confirm with one tap; `revision` > 0 after a correction. */
  | { kind: 'resident_confirmation'; revision: number }
  /** "Is the problem solved now?" after the manager's handling. */
  | { kind: 'resident_resolution'; round: number }
  /** A reminder to the visitors (all, or `staffIds`) for one slot. */
  | { kind: 'visitor_reminder'; slot: ReminderSlot | 'no_answer' | 'assigned'; at: Date; staffIds?: string[] }
  /** The staff member confirms their own record (SOP 4.5). */
  | { kind: 'staff_confirmation'; staffId: string }
  /** Every record goes to the supervisors for review; `revision` > 0 after a correction. */
  | { kind: 'review_request'; variant: 'routine' | 'unqualified'; revision: number }
  /** An unqualified visit goes to the managers (round 2: the resident said "not solved"). */
  | { kind: 'manager_escalation'; round: number }
  /** Half of the handling time has passed. */
  | { kind: 'handler_reminder'; round: number }
  | { kind: 'supervisor_notice'; topic: NoticeTopic; details?: Record<string, unknown> }
  /** The member who must confirm a mass-send task hears which resident waits, and until when. */
  | { kind: 'customer_link_reminder'; sender: string; phoneAt: Date }
  /** The WeChat customer's route failed: the visitors hear why, and call (or the Official Account takes over). */
  | { kind: 'customer_route_failed'; outcome: CustomerLinkOutcome; to: FallbackRoute };

/** One entry of the visit's history (the lifecycle's `now` is its time). */
export interface HistoryNote {
  action: string;
  actor: string;
  actorKind: 'staff' | 'resident' | 'system' | 'admin';
  details?: Record<string, unknown> | null;
}

/** What the lifecycle decided: written together, in one transaction. */
export interface Decision {
  /** The visit's fields that change (nothing else is written). */
  changes: Partial<Visit>;
  /** The visitors, when they change. */
  assignees?: Assignee[];
  history: HistoryNote[];
  messages: VisitMessage[];
}

/** Why a command is refused; nothing changes. */
export interface Refusal {
  refused: { status: 400 | 403 | 409; code: string; message: string };
}

/** What the lifecycle reasons with besides the visit: the instant, the office's zone and policy. */
export interface LifecycleContext {
  now: Date;
  zone: string;
  policy: OfficePolicy;
}

export const isRefusal = (outcome: Decision | Refusal): outcome is Refusal => 'refused' in outcome;

/** True when the decision changes nothing at all. */
export const isNoChange = (decision: Decision): boolean =>
  Object.keys(decision.changes).length === 0 && !decision.assignees && decision.history.length === 0 && decision.messages.length === 0;
