import { z } from 'zod';
import { CampaignMethod, CampaignPurpose } from '../../entities';
import { CALL_RECORD_FIELDS } from '../visits/campaign-call-answers';

export const CAMPAIGN_PURPOSES: readonly CampaignPurpose[] = ['image', 'relation', 'sales_process', 'inquiry'];
export const CAMPAIGN_METHODS: readonly CampaignMethod[] = ['phone', 'chat', 'email'];
/** Phone first, then online chat, then e-mail (machinery procedure 4.3(1)). */
export const DEFAULT_METHODS: readonly CampaignMethod[] = CAMPAIGN_METHODS;
/**
 * A visit plan's residents keep the property order (docs/rules.md §3, §8.2): online first, by the
 * resident's own route (card, WeChat customer, Official Account), then the phone. Residents have
 * no e-mail address, so a visit plan has no `email` method.
 */
export const RESIDENT_METHODS: readonly CampaignMethod[] = ['chat', 'phone'];

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');
const staffId = z.string().min(1).max(64);
const distinctIds = (what: string) =>
  z
    .array(z.string().min(1).max(64))
    .max(200_000)
    .refine((list) => new Set(list).size === list.length, `names a ${what} twice`);

const question = z
  .object({
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'must be a letter then letters, digits or _ (at most 40)').refine((k) => !(CALL_RECORD_FIELDS as readonly string[]).includes(k), 'is a field of the call record itself'),
    text: z.string().trim().min(1, 'must not be empty').max(500),
    type: z.enum(['rating', 'choice', 'text'], { errorMap: () => ({ message: 'must be rating, choice or text' }) }),
    options: z.array(z.string().trim().min(1).max(100)).min(2, 'a choice needs at least two options').max(20).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.type === 'choice' && !q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'is required for a choice question' });
    if (q.type !== 'choice' && q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only a choice question has options' });
    if (q.options && new Set(q.options).size !== q.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'names an option twice' });
  });

/** The body of `POST /api/campaigns` (docs/api.md §4 "Campaigns"). */
export const campaignBody = z
  .object({
    officeId: z.string().min(1).max(64),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    purposes: z
      .array(z.enum(CAMPAIGN_PURPOSES as [CampaignPurpose, ...CampaignPurpose[]], { errorMap: () => ({ message: `must be among ${CAMPAIGN_PURPOSES.join(', ')}` }) }))
      .min(1, 'needs at least one purpose')
      .refine((list) => new Set(list).size === list.length, 'names a purpose twice'),
    questions: z
      .array(question)
      .max(50)
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((q, i) => {
          if (seen.has(q.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `repeats the key ${q.key}` });
          seen.add(q.key);
        });
      }),
    from: localDate,
    to: localDate,
    customers: z
      .object({ category: z.string().min(1).max(64).optional(), ids: z.array(z.number().int().positive()).max(200_000).optional() })
      .strict()
      .refine((c) => c.category !== undefined || c.ids !== undefined, 'names a category or a list of ids')
      .optional(),
    /** A property visit plan (走访计划): the residents of these units and these residents. */
    residents: z
      .object({ unitIds: distinctIds('unit').optional(), ids: distinctIds('resident').optional() })
      .strict()
      .refine((r) => r.unitIds !== undefined || r.ids !== undefined, 'names a list of units or of resident ids')
      .optional(),
    staff: z
      .array(staffId)
      .min(1, 'needs at least one caller')
      .max(200)
      .refine((list) => new Set(list).size === list.length, 'names a caller twice'),
    methods: z
      .array(z.enum(CAMPAIGN_METHODS as [CampaignMethod, ...CampaignMethod[]], { errorMap: () => ({ message: 'must be among phone, chat, email' }) }))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'names a method twice')
      .optional(),
  })
  .strict()
  .refine((b) => b.from <= b.to, { path: ['to'], message: 'is before from' })
  .superRefine((b, ctx) => {
    if (!b.customers && !b.residents) ctx.addIssue({ code: 'custom', path: ['customers'], message: 'a campaign selects customers or residents' });
    if (b.customers && b.residents) ctx.addIssue({ code: 'custom', path: ['residents'], message: 'a campaign selects customers or residents, not both' });
    if (b.residents && b.methods?.includes('email')) ctx.addIssue({ code: 'custom', path: ['methods'], message: 'residents have no e-mail address: a visit plan uses chat and phone' });
  });

export type CampaignBody = z.output<typeof campaignBody>;
