import Router from '@koa/router';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { verifyWebhookSignature } from './webhook-signature';
import { readWorkOrderEvent, WorkOrderEvent } from './work-order-event.schema';
import { WorkOrderIngest } from './work-order-ingest.service';

/**
 * `POST /webhooks/work-orders`: size (413), signature and freshness (401), JSON (415 by its
 * type, 400 when it does not parse or holds broken text),
 * schema (400, every bad field named), then the ingest — 202 accepted, 200 duplicate/stale.
 */
export function workOrderRoutes(deps: { secret: string; clock: Clock; ingest: WorkOrderIngest }): Router {
  const router = new Router();
  const readEvent = readWorkOrderEvent(deps.clock);
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
    const event = readEvent(body);
    const result = await deps.ingest.ingest(event, payloadToKeep(body, raw.length, event));
    ctx.status = result.status === 'accepted' ? 202 : 200;
    ctx.body = result;
  });
  return router;
}

/** Bodies up to this size are kept as they came in the idempotency log (its TEXT column holds 64 KiB on MySQL). */
export const PAYLOAD_KEPT_BYTES = 60 * 1024;

/**
 * What the idempotency log keeps of an event: the body as it came, or — for a body over
 * PAYLOAD_KEPT_BYTES, which only fields Huifang does not read can make (every field it reads is
 * bounded) — the event as read, with the body's size.
 */
export function payloadToKeep(body: unknown, bodyBytes: number, event: WorkOrderEvent): unknown {
  if (bodyBytes <= PAYLOAD_KEPT_BYTES) return body;
  return { event, omitted: { reason: 'fields Huifang does not read: the body was too large to keep', bodyBytes } };
}
