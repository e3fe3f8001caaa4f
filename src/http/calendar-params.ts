import { z } from 'zod';
import { Clock } from '../clock';
import { acceptedInstant, InstantReach, withinReach } from '../rules/accepted-instant';
import { parseIsoWeek } from '../rules/iso-week';
import { parseQuarter } from '../rules/quarter';

/*
 * Instants, weeks and quarters named in the admin API's queries and paths, bounded like the
 * webhook's instants (src/rules/accepted-instant.ts): a real calendar instant or period from
 * 2000-01-01 to ten years after now (what is planned reaches that far), read against the clock
 * when the request is validated. A silly value is a
 * 400 naming the field, never a query the database chokes on.
 */

/** An ISO 8601 instant with its zone, from 2000-01-01 to `reach` after now. */
export const instantParam = (clock: Clock, reach: InstantReach) =>
  z.string().transform((text, ctx) => {
    const read = acceptedInstant(text, clock.now(), reach);
    if (read.ok) return read.at;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: read.problem });
    return z.NEVER;
  });

/**
 * A quarter 'YYYY-Qn' from 2000-Q1 to ten years ahead (the statistics of a coming quarter
 * count the visits planned in it). Zone-free: the bounds are far from any zone's offset.
 */
export const quarterParam = (clock: Clock) =>
  z.string().superRefine((label, ctx) => {
    const from = periodStart(() => parseQuarter(label, 'UTC'));
    if (!from) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a quarter YYYY-Qn, e.g. 2026-Q4' });
    else if (!withinReach(from, clock.now(), 'planned').ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a quarter from 2000-Q1 to ten years ahead' });
  });

/** An ISO week 'YYYY-Www' that exists, from 2000-W01 to ten years ahead. */
export const weekParam = (clock: Clock) =>
  z.string().superRefine((label, ctx) => {
    // Whether a week 53 exists does not depend on the zone.
    const from = periodStart(() => parseIsoWeek(label, 'UTC'));
    if (!from) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an ISO week YYYY-Www that exists, e.g. 2026-W48' });
    else if (!withinReach(from, clock.now(), 'planned').ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an ISO week from 2000-W01 to ten years ahead' });
  });

/** When a period named by a label starts, or null for a label that names none. */
function periodStart(parse: () => { from: Date }): Date | null {
  try {
    return parse().from;
  } catch {
    return null;
  }
}
