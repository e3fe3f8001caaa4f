import type { WorkOrderKind } from '../rules/kinds';

/*
 * The weekly summary to an office's supervisor (docs/rules.md §5) as data:
 * `GET /api/reports/weekly` answers it, the weekly-summary job renders it as a card.
 */

/** A visit named in the summary. */
export interface SummaryVisitItem {
  visitId: number;
  /** Its work order; null for a visit without one (a warranty visit, a campaign call). */
  workOrderId: string | null;
  /** What the visit is about, by id: its work order, else its project or campaign, else `#<visit id>`. */
  reference: string;
  /** The work order's title (null once anonymised). */
  title: string | null;
  unitId: string | null;
  kind: WorkOrderKind;
  purpose: string;
  closesAt: string;
  /** When it was recorded, if before the summary's `asOf`. */
  recordedAt: string | null;
  assignees: { staffId: string; name: string | null }[];
}

/** The week's counts (see WeeklySummaryService for what each counts). */
export interface WeeklyTotals {
  due: number;
  done: number;
  onTime: number;
  overdue: number;
  unqualified: number;
}

/** One kind: the week's counts and the quarter-to-date follow-up rate against the target. */
export interface WeeklyKindFigures extends WeeklyTotals {
  kind: WorkOrderKind;
  target: number;
  /** The quarter the rate is for: the one the week ends in. */
  quarter: string;
  /** Quarter to date: eligible work orders, of which visited on time, and the rate. */
  eligible: number;
  quarterOnTime: number;
  rate: number | null;
}

/** One staff member's week (SOP 4.9): their visits due, done, on time, overdue. */
export interface WeeklyStaffFigures {
  staffId: string;
  name: string | null;
  /** Their visits whose window closes this week. */
  assigned: number;
  done: number;
  onTime: number;
  overdue: number;
  satisfactionAvg: number | null;
}

/** The weekly summary of one office. */
export interface WeeklySummary {
  officeId: string;
  officeName: string;
  week: string;
  timeZone: string;
  /** Monday 00:00 local (inclusive) and the next Monday 00:00 (exclusive). */
  from: string;
  to: string;
  /** The week's end, or now for the running week: what happens later is not counted. */
  asOf: string;
  totals: WeeklyTotals;
  satisfactionAvg: number | null;
  kinds: WeeklyKindFigures[];
  unqualified: SummaryVisitItem[];
  overdue: SummaryVisitItem[];
  staff: WeeklyStaffFigures[];
  /** Records still awaiting the resident's confirmation (quarters not yet archived). */
  awaitingConfirmation: SummaryVisitItem[];
  /** Construction warranty (docs/rules.md §7): per project, what expires soon and the repairs still open. */
  warranty: SummaryWarrantyProject[];
}

/** Where an open repair stands against one deadline at `asOf`: met, missed (late), or still pending (due). */
export type SummaryDeadlineState = 'met' | 'missed' | 'pending';

/** One project of the office in the weekly summary's warranty section. */
export interface SummaryWarrantyProject {
  projectId: string;
  name: string;
  lead: { staffId: string; name: string | null };
  /** Categories whose warranty ends within 90 days of `asOf`; `endsOn` is the last covered day. */
  expiring: { category: string; endsOn: string; daysLeft: number }[];
  /** Repairs not done by `asOf` (or done and not accepted by the owner), against their 24 h / 15 d deadlines. */
  openRepairs: {
    id: number;
    category: string;
    location: string;
    status: string;
    reportedAt: string;
    onSiteBy: string;
    solveBy: string;
    onSite: SummaryDeadlineState;
    solved: SummaryDeadlineState;
  }[];
}
