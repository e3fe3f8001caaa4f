import Router from '@koa/router';
import { z } from 'zod';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { visitAnswersSchema } from './visit-answers';
import { VisitQueries } from './visit-query.service';
import { VisitRecordService } from './visit-record.service';

const recordBody = z.object({
  staffId: z.string().min(1).max(64),
  method: z.enum(['phone', 'onsite', 'face_to_face', 'chat']),
  answers: visitAnswersSchema,
  notes: z.string().max(2000).nullish(),
});

const reviewBody = z.object({
  reviewerId: z.string().min(1).max(64),
  verdict: z.enum(['ok', 'unqualified']),
  opinion: z.string().max(2000).nullish(),
});

const handleBody = z.object({ handlerId: z.string().min(1).max(64), opinion: z.string().min(1).max(2000) });
const confirmBody = z.object({ staffId: z.string().min(1).max(64) });

/** The visit's steps through the admin API: record, staff confirmation, review, handling. */
export function visitActionRoutes(deps: { records: VisitRecordService; queries: VisitQueries }): Router {
  const router = new Router();
  const idOf = (raw: string): number => {
    const id = Number(raw);
    return Number.isSafeInteger(id) && id > 0 ? id : 0;
  };
  const answer = async (id: number) => deps.queries.get(id);

  router.post('/api/visits/:id/record', async (ctx) => {
    const body = validate(recordBody, parseJsonBody(ctx, await readRawBody(ctx)));
    const id = idOf(ctx.params.id);
    await deps.records.record(id, { kind: 'staff', staffId: body.staffId }, { method: body.method, answers: body.answers, notes: body.notes });
    ctx.body = await answer(id);
  });
  router.post('/api/visits/:id/confirm', async (ctx) => {
    const body = validate(confirmBody, parseJsonBody(ctx, await readRawBody(ctx)));
    const id = idOf(ctx.params.id);
    await deps.records.confirmByStaff(id, body.staffId);
    ctx.body = await answer(id);
  });
  router.post('/api/visits/:id/review', async (ctx) => {
    const body = validate(reviewBody, parseJsonBody(ctx, await readRawBody(ctx)));
    const id = idOf(ctx.params.id);
    await deps.records.review(id, body);
    ctx.body = await answer(id);
  });
  router.post('/api/visits/:id/handle', async (ctx) => {
    const body = validate(handleBody, parseJsonBody(ctx, await readRawBody(ctx)));
    const id = idOf(ctx.params.id);
    await deps.records.handle(id, body);
    ctx.body = await answer(id);
  });
  return router;
}
