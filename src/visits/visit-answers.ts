import { z } from 'zod';
import { SHORTCOMING_CODES } from '../rules/shortcomings';
import { CampaignCallAnswers, isCampaignAnswers } from './campaign-call-answers';

const level = z.number({ invalid_type_error: 'must be 1–5' }).int('must be 1–5').min(1, 'must be 1–5').max(5, 'must be 1–5');

/** The five items of the visit form (docs/rules.md §3), plus "is the problem solved". */
export const visitAnswersSchema = z.object({
  quality: level,
  effect: level,
  satisfaction: level,
  shortcomings: z
    .array(z.enum(SHORTCOMING_CODES as unknown as [string, ...string[]], { errorMap: () => ({ message: `must be among ${SHORTCOMING_CODES.join(', ')}` }) }))
    .default([])
    .refine((list) => !(list.includes('none') && list.length > 1), '"none" cannot be chosen with other shortcomings'),
  shortcomingsText: z.string().max(500).nullish(),
  suggestions: z.string().max(2000).nullish(),
  solved: z.boolean().nullish(),
});

export type VisitAnswers = z.infer<typeof visitAnswersSchema>;

const answerText = (max: number) => z.string({ required_error: 'is required', invalid_type_error: 'must be text' }).trim().max(max);

/**
 * A warranty visit's own question set (docs/rules.md §7): the state of roofs and walls, the
 * problems found, the owner's opinion, satisfaction 1–5, and optional minutes (回访记要) of a
 * meeting with several parties. Kept in the visit's `details`, satisfaction in its column.
 */
export const warrantyAnswersSchema = z
  .object({
    roofsAndWalls: answerText(2000).min(1, 'must not be empty'),
    problemsFound: answerText(2000),
    ownerOpinion: answerText(2000),
    satisfaction: level,
    minutes: z
      .object({ attendees: z.array(z.string().trim().min(1).max(100)).min(1, 'needs at least one attendee').max(30), summary: answerText(5000).min(1, 'must not be empty') })
      .strict()
      .nullish(),
  })
  .strict();

export type WarrantyAnswers = z.infer<typeof warrantyAnswersSchema>;

/** What a record carries: the visit form's five items, a warranty visit's question set, or a campaign call's record. */
export type RecordAnswers = VisitAnswers | WarrantyAnswers | CampaignCallAnswers;

export const isWarrantyAnswers = (a: RecordAnswers): a is WarrantyAnswers => 'roofsAndWalls' in a;

/** Which question set answers are of: the visit form's, a warranty visit's or a campaign call's. */
export function questionSetOfAnswers(a: RecordAnswers): 'visit_form' | 'warranty' | 'campaign' {
  return isCampaignAnswers(a) ? 'campaign' : isWarrantyAnswers(a) ? 'warranty' : 'visit_form';
}
