import type { Campaign } from '../../entities';
import { CampaignCall } from './campaign-calls';
import { callRecordOf, raisesProblem, StageOpinions } from './call-record';

/** One caller's (or all callers') figures of a week (客户回访报告, docs/rules.md §8). */
export interface CallerFigures {
  /** Calls planned on a day of the week. */
  planned: number;
  /** Of those, still without a record. */
  missing: number;
  /** Calls made in the week: the records, and the tries that did not reach the customer. */
  made: number;
  /** Of the calls made, the customer reached (a record). */
  reached: number;
  /** Of the calls made, a valid inquiry (询盘有效). */
  validInquiries: number;
  /** Average of the rating answers (1–5) of the calls made; null without one. */
  satisfactionAvg: number | null;
  /** Calls made that raised a complaint or an opinion of the service. */
  problems: number;
}

export interface CallerRow extends CallerFigures {
  staffId: string;
  name: string | null;
}

/** A problem the customer raised in a call. */
export interface RaisedProblem {
  visitId: number;
  staffId: string | null;
  customer: string | null;
  complaints: string | null;
  opinions: StageOpinions;
}

export interface GuidanceItem {
  id: number;
  by: string;
  byName: string | null;
  /** The caller it is for; null: every caller. */
  staffId: string | null;
  text: string;
  at: string;
}

export interface CampaignReport {
  campaignId: string;
  campaignName: string;
  officeId: string;
  /** The office's zone, in which the week and its days are reckoned. */
  timeZone: string;
  week: string;
  /** The week's Monday and Sunday, local dates. */
  from: string;
  to: string;
  callers: CallerRow[];
  totals: CallerFigures;
  problems: RaisedProblem[];
  /** The supervisor's guidance on this week, oldest first: the whole history. */
  guidance: GuidanceItem[];
  /** Guidance was given: the report went to the company's leadership. */
  reviewed: boolean;
}

/**
 * The figures of a campaign's week from its calls: planned and missing by the call's day, made
 * by the record's instant and each try that did not reach the customer, reached (valid, rated,
 * problems) by the record's instant; per caller, every caller of the
 * campaign listed even without a call.
 */
export function reportFigures(campaign: Campaign, calls: CampaignCall[], week: { from: Date; to: Date }, names: Map<string, string>) {
  const inWeek = (at: Date | null) => at !== null && at >= week.from && at < week.to;
  const rows = new Map<string, { figures: CallerFigures; ratings: number[] }>();
  const rowOf = (staffId: string) => {
    if (!rows.has(staffId)) rows.set(staffId, { figures: emptyFigures(), ratings: [] });
    return rows.get(staffId)!;
  };
  for (const staffId of campaign.staffIds) rowOf(staffId);
  const all = { figures: emptyFigures(), ratings: [] as number[] };
  const problems: RaisedProblem[] = [];
  for (const call of calls) {
    const targets = call.staffId ? [rowOf(call.staffId), all] : [all];
    const planned = inWeek(call.opensAt);
    const made = inWeek(call.recordedAt);
    const record = made ? callRecordOf(call.details, campaign.questions) : null;
    const tries = call.attempts.filter(inWeek).length;
    for (const t of targets) {
      if (planned) t.figures.planned++;
      if (planned && call.recordedAt === null) t.figures.missing++;
      t.figures.made += tries;
      if (!record) continue;
      t.figures.made++;
      if (record.reached) t.figures.reached++;
      if (record.inquiryValid) t.figures.validInquiries++;
      if (raisesProblem(record)) t.figures.problems++;
      t.ratings.push(...record.ratings);
    }
    if (record && raisesProblem(record)) {
      problems.push({ visitId: call.visitId, staffId: call.staffId, customer: call.customerName, complaints: record.complaints, opinions: record.opinions });
    }
  }
  const done = (r: { figures: CallerFigures; ratings: number[] }): CallerFigures => ({ ...r.figures, satisfactionAvg: averageOf(r.ratings) });
  return {
    callers: [...rows].map(([staffId, r]) => ({ staffId, name: names.get(staffId) ?? null, ...done(r) })),
    totals: done(all),
    problems,
  };
}

function emptyFigures(): CallerFigures {
  return { planned: 0, missing: 0, made: 0, reached: 0, validInquiries: 0, satisfactionAvg: null, problems: 0 };
}

function averageOf(values: number[]): number | null {
  return values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}
