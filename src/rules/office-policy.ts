import { WORK_ORDER_KINDS, WorkOrderKind } from './kinds';
import { CustomerCap, DEFAULT_CUSTOMER_CAP } from './customer-cap';
import { DEFAULT_RESIDENT_QUIET, DEFAULT_STAFF_QUIET, QuietHours } from './quiet-hours';
import { DEFAULT_WORKING_HOURS, WorkingHours } from './working-time';

/**
 * What an office may set of the procedures' interpretations (docs/rules.md §6: "every
 * interpretation is a per-office policy value"). Stored as the office's `policy` JSON; every
 * field is optional and falls back to the default of {@link DEFAULT_POLICY}.
 */
export interface OfficePolicyInput {
  /** Per kind: the resident's own answers complete the visit (true) or staff must visit (false). */
  selfSurveyCompletes?: Partial<Record<WorkOrderKind, boolean>>;
  /** Hours of a resident's silence before the one re-ask, and again before the hand-back. */
  residentReaskAfterHours?: number;
  /** Hours the manager has to write the handling of an escalated visit. */
  escalationHours?: number;
  /** Days back an unqualified visit on a unit forces the selection of its next work order. */
  unqualifiedLookbackDays?: number;
  /** Days within which a complaint follows the one before to be "in a row". */
  repeatComplaintDays?: number;
  /** Quiet hours for everyone (staff and residents), local 'HH:mm'. */
  quietHours?: { from: string; to: string };
  /** Quiet hours for staff only (wins over `quietHours`). */
  staffQuietHours?: QuietHours;
  /** Quiet hours for residents only (wins over `quietHours`). */
  residentQuietHours?: QuietHours;
  /** A level at or below this makes a visit unqualified. */
  unqualifiedThreshold?: number;
  /** Day of the next quarter's first month on which the supervisor is reminded of the archive. */
  archiveReminderDay?: number;
  /** Day of the next quarter's first month on which the quarter is locked. */
  archiveLockDay?: number;
  /** Years records are kept after archiving, before they are anonymised. */
  retentionYears?: number;
  /** Special services: mid-contract window as shares of the contract, and the days after its end. */
  specialService?: { midFrom?: number; midTo?: number; afterDays?: number };
  /** Months between periodic warranty visits. */
  warrantyVisitEveryMonths?: number;
  /** Days before a warranty category ends that its pre-expiry visit opens. */
  warrantyLeadDays?: number;
  /** Days after a passed review that a visit closes even without every confirmation. */
  reviewCloseDays?: number;
  /** Hours the resident has to say whether the handled problem is solved. */
  resolutionWaitHours?: number;
  /** The office's working hours (local 'HH:mm', ISO weekdays 1–7): the clock of waits counted in working time. */
  workingHours?: { start: string; end: string; weekdays?: number[] };
  /** When a working day's campaign calls are closed (日清日结), local 'HH:mm'; default: see campaign-closing. */
  campaignClosingAt?: string;
  /** WeChat customers reached by mass-send tasks (docs/rules.md §3). */
  customerMessages?: CustomerMessagesInput;
  /** The office's WeChat Official Account template (公众号): set, residents with an openid are reached there. */
  officialAccount?: OfficialAccountInput | null;
}

export interface CustomerMessagesInput {
  /** Working hours a mass-send task may wait for its member before the visit goes to the phone. */
  phoneAfterWorkingHours?: number;
  /** Working hours between reminders of the member (WeCom's own, at most 3 a day, and ours in chat). */
  remindEveryWorkingHours?: number;
  /** The customer's cap: per month (null = the month's length), and optionally per week and day. */
  capPerMonth?: number | null;
  capPerWeek?: number | null;
  capPerDay?: number | null;
  /** The visitor sends the link from the chat toolbar (sidebar) instead of a mass-send task. */
  sidebar?: boolean;
}

export interface OfficialAccountInput {
  /** The template's id in the account (模板ID). */
  templateId: string;
  /** The template's keys for the subject, the date and the note (default keyword1, keyword2, remark). */
  keys?: { title?: string; date?: string; note?: string };
}

export interface CustomerMessagesPolicy {
  phoneAfterWorkingHours: number;
  remindEveryWorkingHours: number;
  cap: CustomerCap;
  sidebar: boolean;
}

/** Every policy value, resolved: the office's where it set one, the default elsewhere. */
export interface OfficePolicy {
  selfSurveyCompletes: Readonly<Record<WorkOrderKind, boolean>>;
  residentReaskAfterHours: number;
  escalationHours: number;
  unqualifiedLookbackDays: number;
  repeatComplaintDays: number;
  staffQuietHours: QuietHours;
  residentQuietHours: QuietHours;
  unqualifiedThreshold: number;
  archiveReminderDay: number;
  archiveLockDay: number;
  retentionYears: number;
  specialService: { midFrom: number; midTo: number; afterDays: number };
  warrantyVisitEveryMonths: number;
  warrantyLeadDays: number;
  reviewCloseDays: number;
  resolutionWaitHours: number;
  workingHours: WorkingHours;
  /** null: the end of the working hours, kept out of staff quiet hours (src/campaign-reports/closing-days.ts). */
  campaignClosingAt: string | null;
  customerMessages: CustomerMessagesPolicy;
  officialAccount: { templateId: string; keys: { title: string; date: string; note: string } } | null;
}

/**
 * Who completes a visit by default (docs/rules.md §3): the resident's own answers are the visit for
 * routine services; complaints, special services and emergencies are visited by the named staff
 * themselves (SOP 4.1.3, 4.4), and the resident rates and confirms their record.
 */
export const DEFAULT_SELF_SURVEY: Readonly<Record<WorkOrderKind, boolean>> = Object.freeze({
  complaint: false,
  repair: true,
  repair_works: true,
  special_service: false,
  help: true,
  emergency: false,
  activity: true,
  other: true,
});

/** docs/rules.md's defaults for every interpretation (§2–§7). */
export const DEFAULT_POLICY: Readonly<OfficePolicy> = Object.freeze({
  selfSurveyCompletes: DEFAULT_SELF_SURVEY,
  residentReaskAfterHours: 24,
  escalationHours: 24,
  unqualifiedLookbackDays: 90,
  repeatComplaintDays: 90,
  staffQuietHours: DEFAULT_STAFF_QUIET,
  residentQuietHours: DEFAULT_RESIDENT_QUIET,
  unqualifiedThreshold: 2,
  archiveReminderDay: 5,
  archiveLockDay: 10,
  retentionYears: 2,
  specialService: Object.freeze({ midFrom: 0.4, midTo: 0.6, afterDays: 7 }),
  warrantyVisitEveryMonths: 3,
  warrantyLeadDays: 30,
  reviewCloseDays: 7,
  resolutionWaitHours: 72,
  workingHours: DEFAULT_WORKING_HOURS,
  campaignClosingAt: null,
  customerMessages: Object.freeze({ phoneAfterWorkingHours: 4, remindEveryWorkingHours: 1, cap: DEFAULT_CUSTOMER_CAP, sidebar: false }),
  officialAccount: null,
});

/**
 * The office's policy with every default filled in.
 *
 * Invariant: every field of the result is set; a value the office set wins over the default;
 * `quietHours` applies to staff and residents unless `staffQuietHours` / `residentQuietHours`
 * say otherwise for one of them.
 */
export function resolvePolicy(stored: OfficePolicyInput | null | undefined): OfficePolicy {
  const p = stored ?? {};
  const shared = p.quietHours ? { start: p.quietHours.from, end: p.quietHours.to } : null;
  const selfSurvey = { ...DEFAULT_SELF_SURVEY };
  for (const kind of WORK_ORDER_KINDS) {
    const value = p.selfSurveyCompletes?.[kind];
    if (typeof value === 'boolean') selfSurvey[kind] = value;
  }
  return {
    selfSurveyCompletes: selfSurvey,
    residentReaskAfterHours: p.residentReaskAfterHours ?? DEFAULT_POLICY.residentReaskAfterHours,
    escalationHours: p.escalationHours ?? DEFAULT_POLICY.escalationHours,
    unqualifiedLookbackDays: p.unqualifiedLookbackDays ?? DEFAULT_POLICY.unqualifiedLookbackDays,
    repeatComplaintDays: p.repeatComplaintDays ?? DEFAULT_POLICY.repeatComplaintDays,
    staffQuietHours: p.staffQuietHours ?? shared ?? DEFAULT_POLICY.staffQuietHours,
    residentQuietHours: p.residentQuietHours ?? shared ?? DEFAULT_POLICY.residentQuietHours,
    unqualifiedThreshold: p.unqualifiedThreshold ?? DEFAULT_POLICY.unqualifiedThreshold,
    archiveReminderDay: p.archiveReminderDay ?? DEFAULT_POLICY.archiveReminderDay,
    archiveLockDay: p.archiveLockDay ?? DEFAULT_POLICY.archiveLockDay,
    retentionYears: p.retentionYears ?? DEFAULT_POLICY.retentionYears,
    specialService: { ...DEFAULT_POLICY.specialService, ...p.specialService },
    warrantyVisitEveryMonths: p.warrantyVisitEveryMonths ?? DEFAULT_POLICY.warrantyVisitEveryMonths,
    warrantyLeadDays: p.warrantyLeadDays ?? DEFAULT_POLICY.warrantyLeadDays,
    reviewCloseDays: p.reviewCloseDays ?? DEFAULT_POLICY.reviewCloseDays,
    resolutionWaitHours: p.resolutionWaitHours ?? DEFAULT_POLICY.resolutionWaitHours,
    workingHours: p.workingHours ? { ...p.workingHours, weekdays: p.workingHours.weekdays ?? DEFAULT_WORKING_HOURS.weekdays } : DEFAULT_POLICY.workingHours,
    campaignClosingAt: p.campaignClosingAt ?? null,
    customerMessages: resolveCustomerMessages(p.customerMessages),
    officialAccount: p.officialAccount
      ? { templateId: p.officialAccount.templateId, keys: { title: 'keyword1', date: 'keyword2', note: 'remark', ...p.officialAccount.keys } }
      : null,
  };
}

function resolveCustomerMessages(p: CustomerMessagesInput | undefined): CustomerMessagesPolicy {
  const d = DEFAULT_POLICY.customerMessages;
  return {
    phoneAfterWorkingHours: p?.phoneAfterWorkingHours ?? d.phoneAfterWorkingHours,
    remindEveryWorkingHours: p?.remindEveryWorkingHours ?? d.remindEveryWorkingHours,
    cap: { perMonth: p?.capPerMonth ?? null, perWeek: p?.capPerWeek ?? null, perDay: p?.capPerDay ?? null },
    sidebar: p?.sidebar ?? false,
  };
}
