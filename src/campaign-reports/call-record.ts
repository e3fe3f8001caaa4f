import type { CampaignQuestion } from '../../entities';

/** Opinions of the three stages of service (售前, 售中, 售后) a call record may hold. */
export interface StageOpinions {
  presale: string | null;
  sale: string | null;
  aftersale: string | null;
}

/** What the reports read of a campaign call's record (客户回访记录表), whatever shape it was stored in. */
export interface CallRecord {
  reached: boolean | null;
  inquiryValid: boolean | null;
  /** The 1–5 answers to the campaign's rating questions (and a `satisfaction` of the record). */
  ratings: number[];
  complaints: string | null;
  opinions: StageOpinions;
}

/**
 * Reads a call record from `visits.details` defensively (docs/rules.md §8): flags as booleans (or
 * 'true'/'false'), answers under `answers[key]` or at the top level by question key, texts as a
 * string or a list of strings. Anything else counts as not said.
 */
export function callRecordOf(details: unknown, questions: readonly CampaignQuestion[]): CallRecord {
  const d = isObject(details) ? details : {};
  const answers = isObject(d.answers) ? d.answers : {};
  const ratings: number[] = [];
  for (const q of questions) {
    if (q.type !== 'rating') continue;
    const level = ratingOf(answers[q.key] ?? d[q.key]);
    if (level !== null) ratings.push(level);
  }
  const satisfaction = ratingOf(d.satisfaction);
  if (satisfaction !== null && !questions.some((q) => q.key === 'satisfaction')) ratings.push(satisfaction);
  const opinions = isObject(d.opinions) ? d.opinions : {};
  return {
    reached: flagOf(d.reached),
    inquiryValid: flagOf(d.inquiryValid),
    ratings,
    complaints: textOf(d.complaints),
    opinions: { presale: textOf(opinions.presale), sale: textOf(opinions.sale), aftersale: textOf(opinions.aftersale) },
  };
}

/** Whether a record raised a problem: a complaint or an opinion of a stage of service. */
export function raisesProblem(record: CallRecord): boolean {
  return record.complaints !== null || Object.values(record.opinions).some((text) => text !== null);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flagOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1) return true;
  if (value === 'false' || value === 0) return false;
  return null;
}

function ratingOf(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

function textOf(value: unknown): string | null {
  const text = Array.isArray(value) ? value.filter((v) => typeof v === 'string').join('；') : typeof value === 'string' ? value : '';
  return text.trim() === '' ? null : text.trim();
}
