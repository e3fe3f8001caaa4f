import Router from '@koa/router';
import { z } from 'zod';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { isWarrantyVisitKind } from '../rules/kinds';
import { visitAnswersSchema, warrantyAnswersSchema } from './visit-answers';
import { ActorRef, assignCommand, VisitLifecycle } from './visit-lifecycle.service';
import { VisitCommand } from './visit-decision';
import { VisitQueries } from './visit-query.service';

const staffId = z.string().min(1).max(64);
const method = z.enum(['phone', 'onsite', 'face_to_face', 'chat']);

const notes = z.string().max(2000).nullish();
/** The body of a staff record (`POST /api/visits/:id/record`); the chat sidebar takes it without `staffId`. */
export const recordBody = z.object({ staffId, method, answers: z.union([visitAnswersSchema, warrantyAnswersSchema]), notes });
const correctBody = z.object({ staffId, method: method.optional(), answers: z.union([visitAnswersSchema, warrantyAnswersSchema]), notes });

/** A record's body as the visit's question set wants it: a warranty visit answers its own questions (docs/rules.md §7). */
export const answersBody = (base: typeof recordBody | typeof correctBody, kind: string | null) =>
  base.extend({ answers: isWarrantyVisitKind(kind) ? warrantyAnswersSchema : visitAnswersSchema });
const reviewBody = z.object({ reviewerId: staffId, verdict: z.enum(['ok', 'unqualified']), opinion: z.string().max(2000).nullish() });
const handleBody = z.object({ handlerId: staffId, opinion: z.string().min(1).max(2000) });
const confirmBody = z.object({ staffId });
const assignBody = z.object({
  by: staffId,
  assignees: z
    .array(z.object({ staffId, role: z.enum(['specialist', 'supervisor', 'dept_head', 'manager']) }))
    .min(1, 'needs at least one visitor')
    .max(10)
    .refine((list) => new Set(list.map((a) => a.staffId)).size === list.length, 'names a staff member twice'),
});

/**
 * A visit's steps through the admin API: record, correct, staff confirmation, review, handling,
 * assignment. Each is one lifecycle command made by the staff member the body names; the
 * lifecycle checks their role and the visit's state (403 / 409 with the reason).
 */
export function visitActionRoutes(deps: {
  lifecycle: VisitLifecycle;
  queries: VisitQueries;
  /** A campaign call's record takes the campaign's own questions (docs/rules.md §8). */
  campaignCalls?: (visitId: number, body: unknown) => Promise<{ actor: string; command: VisitCommand }>;
}): Router {
  const router = new Router();
  const step = <S extends z.ZodTypeAny>(path: string, schema: S, command: (body: z.output<S>) => { actor: string; command: VisitCommand }, answers = false) =>
    router.post(`/api/visits/:id/${path}`, async (ctx) => {
      const id = idOf(ctx.params.id);
      const kind = answers ? await deps.queries.kindOf(id) : null;
      const raw = parseJsonBody(ctx, await readRawBody(ctx));
      const campaignCall = path === 'record' && kind === 'campaign' && deps.campaignCalls;
      const { actor, command: cmd } = campaignCall
        ? await campaignCall(id, raw)
        : command(validate(answers ? answersBody(schema as unknown as typeof recordBody, kind) : schema, raw) as z.output<S>);
      const by: ActorRef = { kind: 'staff', id: actor };
      await deps.lifecycle.run(id, cmd, by);
      ctx.body = await deps.queries.get(id);
    });

  step('record', recordBody, (b) => ({ actor: b.staffId, command: { type: 'record', method: b.method, answers: b.answers, notes: b.notes } }), true);
  step('correct', correctBody, (b) => ({ actor: b.staffId, command: { type: 'correct', method: b.method, answers: b.answers, notes: b.notes } }), true);
  step('confirm', confirmBody, (b) => ({ actor: b.staffId, command: { type: 'confirm_by_staff' } }));
  step('review', reviewBody, (b) => ({ actor: b.reviewerId, command: { type: 'review', verdict: b.verdict, opinion: b.opinion } }));
  step('handle', handleBody, (b) => ({ actor: b.handlerId, command: { type: 'handle', opinion: b.opinion } }));
  step('assign', assignBody, (b) => ({ actor: b.by, command: assignCommand(b.assignees) }));
  return router;
}

/** A visit id from the path; anything else is an id no visit has (404). */
function idOf(raw: string): number {
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}
