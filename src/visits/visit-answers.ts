import { z } from 'zod';
import { SHORTCOMING_CODES } from '../rules/shortcomings';

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
