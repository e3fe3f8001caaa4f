import { DateTime } from 'luxon';
import { z } from 'zod';
import { isMonthDay } from '../rules/warranty-clock';

const text = (max: number) => z.string({ required_error: 'is required', invalid_type_error: 'must be text' }).trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) => z.string().max(max).nullish();
const years = (min: number, max: number) =>
  z.number({ required_error: 'is required', invalid_type_error: `must be a whole number of years from ${min} to ${max}` }).int('must be a whole number of years').min(min).max(max);
const monthDay = z.string({ required_error: 'is required (MM-DD)', invalid_type_error: 'must be MM-DD' }).refine(isMonthDay, 'must be MM-DD, a day of the year');

/** A season needs both ends; `null` says the region has none (no heating in the south). */
const season = z.object({ from: monthDay, to: monthDay }).strict().nullable();

/** A local calendar date `YYYY-MM-DD` that exists. */
export const localDate = z
  .string({ required_error: 'is required', invalid_type_error: 'must be YYYY-MM-DD' })
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid, 'must be a date YYYY-MM-DD');

/**
 * `PUT /api/projects/:projectId` (docs/api.md, "Construction warranty"). What depends on the
 * clock or on other rows (acceptance not in the future, the office and warranty lead exist)
 * is checked by the service.
 */
export const projectInputSchema = z
  .object({
    officeId: text(64),
    name: text(200),
    acceptedOn: localDate.refine((v) => v >= '2000-01-01', 'must not be before 2000-01-01'),
    countFromNextDay: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
    designLifeYears: years(1, 200),
    otherYears: years(1, 50).nullish(),
    seasons: z
      .object({ heating: season.optional(), cooling: season.optional(), rainyVisit: monthDay.nullable().optional() })
      .strict()
      .default({}),
    visitEveryMonths: z.number({ invalid_type_error: 'must be a whole number of months from 1 to 24' }).int().min(1).max(24).nullish(),
    warrantyLead: text(64),
    owner: z
      .object({
        name: text(100),
        phone: optionalText(32),
        wecomUserId: optionalText(64),
        wecomExternalUserId: optionalText(64),
        dingtalkUserId: optionalText(64),
      })
      .strict(),
    contractor: z.object({ name: text(200), address: text(300), phone: text(32), department: text(100), contact: text(100) }).strict(),
  })
  .strict();

export type ProjectInput = z.output<typeof projectInputSchema>;
