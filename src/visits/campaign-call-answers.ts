import { z } from 'zod';
import type { CampaignQuestion, VisitDetails } from '../../entities';

/**
 * A campaign call's record (客户回访记录表, docs/rules.md §8): the method, whether the customer
 * was reached, the answers to the campaign's own questions, their needs, their opinion of
 * pre-sale, sale and after-sale service, complaints in their words, whether the inquiry is valid
 * (询盘有效性) and the follow-up. Stored in the visit's `details`: each answer under its
 * question's key, the rest under the names of CALL_RECORD_FIELDS (which no question may take).
 */
export const CALL_RECORD_FIELDS = [
  'attempts',
  'lastAttemptMethod',
  'reached',
  'needs',
  'opinions',
  'complaints',
  'inquiryValid',
  'followUp',
] as const;

const text = (max: number) => z.string({ invalid_type_error: 'must be text' }).trim().max(max).nullish();

export const CALL_METHODS = ['phone', 'chat', 'email'] as const;

/** The body of a campaign visit's record (`POST /api/visits/:id/record`); answers are checked against the questions after. */
export const campaignRecordBody = z
  .object({
    staffId: z.string().min(1).max(64),
    method: z.enum(CALL_METHODS, { errorMap: () => ({ message: 'must be phone, chat or email' }) }),
    reached: z.boolean({ required_error: 'is required', invalid_type_error: 'must be true or false' }),
    answers: z.record(z.unknown()).default({}),
    needs: text(2000),
    opinions: z.object({ presale: text(2000), sale: text(2000), aftersale: text(2000) }).strict().nullish(),
    complaints: text(5000),
    inquiryValid: z.boolean({ invalid_type_error: 'must be true or false' }).nullish(),
    followUp: text(2000),
    notes: text(2000),
  })
  .strict();

export type CampaignRecordBody = z.output<typeof campaignRecordBody>;

/** What a reached customer said, as the lifecycle records it (answers already checked). */
export interface CampaignCallAnswers {
  call: 'campaign';
  answers: Record<string, string | number>;
  needs: string | null;
  opinions: { presale: string | null; sale: string | null; aftersale: string | null };
  complaints: string | null;
  inquiryValid: boolean | null;
  followUp: string | null;
}

/**
 * Checks answers against the campaign's questions: a rating is 1–5, a choice one of its
 * options, a text at most 2000 characters; rating and choice questions must be answered; an
 * unknown key is refused. The problems name `answers.<key>`.
 */
export function checkCampaignAnswers(
  questions: readonly CampaignQuestion[],
  given: Record<string, unknown>,
): { answers: Record<string, string | number> } | { problems: { field: string; message: string }[] } {
  const problems: { field: string; message: string }[] = [];
  const answers: Record<string, string | number> = {};
  for (const key of Object.keys(given)) {
    if (!questions.some((q) => q.key === key)) problems.push({ field: `answers.${key}`, message: 'is not a question of this campaign' });
  }
  for (const q of questions) {
    const value = given[q.key];
    const field = `answers.${q.key}`;
    if (value === undefined || value === null || value === '') {
      if (q.type !== 'text') problems.push({ field, message: 'is required' });
      continue;
    }
    if (q.type === 'rating') {
      if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5) answers[q.key] = value;
      else problems.push({ field, message: 'must be 1–5' });
    } else if (q.type === 'choice') {
      if (typeof value === 'string' && q.options?.includes(value)) answers[q.key] = value;
      else problems.push({ field, message: `must be one of ${q.options?.join(', ')}` });
    } else if (typeof value === 'string' && value.length <= 2000) answers[q.key] = value.trim();
    else problems.push({ field, message: typeof value === 'string' ? 'must be at most 2000 characters' : 'must be text' });
  }
  return problems.length > 0 ? { problems } : { answers };
}

/** The record's fields in the visit's details, beside the attempts counted before. */
export function callDetails(before: VisitDetails | null, a: CampaignCallAnswers): VisitDetails {
  return {
    attempts: before?.attempts ?? 0,
    lastAttemptMethod: before?.lastAttemptMethod ?? null,
    ...a.answers,
    reached: true,
    needs: a.needs,
    opinions: a.opinions,
    complaints: a.complaints,
    inquiryValid: a.inquiryValid,
    followUp: a.followUp,
  };
}

export const isCampaignAnswers = (a: object): a is CampaignCallAnswers => (a as { call?: unknown }).call === 'campaign';
