import Router from '@koa/router';
import { Clock } from '../clock';
import { NotFoundError } from '../errors';
import { validate } from '../http/validation';
import { visitListQuerySchema, VisitQueries } from './visit-query.service';

/** `GET /api/visits` (filters, cursor pages) and `GET /api/visits/:id` (with history). */
export function visitRoutes(queries: VisitQueries, clock: Clock): Router {
  const router = new Router();
  const listQuery = visitListQuerySchema(clock);
  router.get('/api/visits', async (ctx) => {
    ctx.body = await queries.list(validate(listQuery, ctx.query));
  });
  router.get('/api/visits/:id', async (ctx) => {
    const id = Number(ctx.params.id);
    const visit = Number.isSafeInteger(id) && id > 0 ? await queries.get(id) : null;
    if (!visit) throw new NotFoundError(`visit ${ctx.params.id}`);
    ctx.body = visit;
  });
  return router;
}
