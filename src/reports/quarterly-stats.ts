import type { WorkOrderKind } from '../rules/kinds';

/*
 * The quarterly statistics (走访回访统计表, SOP 4.7) as docs/api.md publishes them. Field
 * names are stable for BI tools; fields may be added, never renamed.
 */

/** One kind's figures in a quarter (work orders counted by their completion quarter). */
export interface KindFigures {
  kind: WorkOrderKind;
  /** Rate target 0–1 of the office for this kind. */
  target: number;
  /** Eligible work orders: completed in the quarter, sampled or `not_sampled`. */
  eligible: number;
  /** Of those, selected for a visit. */
  selected: number;
  /** Eligible work orders whose follow-up visit is recorded (on time or late). */
  done: number;
  /** Eligible work orders whose follow-up visit was recorded within its window. */
  onTime: number;
  /** onTime ÷ eligible (回访率); null when nothing was eligible. */
  rate: number | null;
  /** done ÷ eligible, late visits included; null when nothing was eligible. */
  doneRate: number | null;
  /** Mean satisfaction (1–5) of the kind's recorded visits; null when nobody answered. */
  satisfactionAvg: number | null;
}

/** A visit judged unqualified (回访不合格). */
export interface UnqualifiedVisit {
  visitId: number;
  workOrderId: string;
  unitId: string | null;
  kind: string;
  status: string;
  recordedAt: string;
  satisfaction: number | null;
}

/** A unit with repeated complaints or repairs on the same matter. */
export interface RepeatGroup {
  unitId: string;
  matterKey: string;
  count: number;
  workOrderIds: string[];
}

/** One staff member's figures over the quarter's visits assigned to them (SOP 4.9). */
export interface StaffFigures {
  staffId: string;
  /** Null for someone no longer on the office's staff list. */
  name: string | null;
  assigned: number;
  done: number;
  onTime: number;
  /** Visits whose window closed without a record in it: recorded late, or still open. */
  overdue: number;
  satisfactionAvg: number | null;
}

/** The figures of one office and quarter, as of an instant. */
export interface QuarterlyFigures {
  officeId: string;
  quarter: string;
  timeZone: string;
  /** The quarter's first instant (00:00 local on its first day). */
  from: string;
  /** The next quarter's first instant (exclusive). */
  to: string;
  /** Records made after this instant are not counted; windows are judged at it. */
  asOf: string;
  kinds: KindFigures[];
  unqualified: UnqualifiedVisit[];
  repeatComplaints: RepeatGroup[];
  repeatRepairs: RepeatGroup[];
  staff: StaffFigures[];
}
