import Router from '@koa/router';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { verifyWebhookSignature } from './webhook-signature';
import { workOrderEventSchema } from './work-order-event.schema';
import { WorkOrderIngest } from './work-order-ingest.service';

/**
 * `POST /webhooks/work-orders`: size (413), signature and freshness (401), JSON (415),
 * schema (400, every bad field named), then the ingest — 202 accepted, 200 duplicate/stale.
 */
export function workOrderRoutes(deps: { secret: string; clock: Clock; ingest: WorkOrderIngest }): Router {
  const router = new Router();
  router.post('/webhooks/work-orders', async (ctx) => {
    const raw = await readRawBody(ctx);
    const signed = verifyWebhookSignature(
      deps.secret,
      { timestamp: ctx.get('x-timestamp') || undefined, signature: ctx.get('x-signature') || undefined },
      raw,
      deps.clock.now(),
    );
    if (!signed) {
      throw new DomainError('bad_signature', 'X-Signature does not match, or X-Timestamp is more than 300 s away', 401);
    }
    const body = parseJsonBody(ctx, raw);
    const event = validate(workOrderEventSchema, body, 'invalid_event');
    const result = await deps.ingest.ingest(event, body);
    ctx.status = result.status === 'accepted' ? 202 : 200;
    ctx.body = result;
  });
  return router;
}
