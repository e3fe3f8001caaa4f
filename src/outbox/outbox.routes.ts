import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { OutboundMessage } from '../../entities';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { OutboxDispatcher } from './dispatcher';

const listQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed', 'cancelled']).default('failed'),
  officeId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const retryBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(1000) });

/** `GET /api/outbox?status=failed` lists messages; `POST /api/outbox/retry` queues failed ones again. */
export function outboxRoutes(deps: { dataSource: DataSource; dispatcher: OutboxDispatcher }): Router {
  const router = new Router();
  router.get('/api/outbox', async (ctx) => {
    const query = validate(listQuery, ctx.query);
    const rows = await deps.dataSource.getRepository(OutboundMessage).find({
      where: { status: query.status, ...(query.officeId ? { officeId: query.officeId } : {}) },
      order: { id: 'ASC' },
      take: query.limit,
    });
    ctx.body = {
      messages: rows.map((m) => ({
        id: m.id,
        officeId: m.officeId,
        channel: m.channel,
        purpose: m.purpose,
        visitId: m.visitId,
        recipientKind: m.recipientKind,
        recipientId: m.recipientId,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        nextAttemptAt: m.nextAttemptAt.toISOString(),
        sentAt: m.sentAt?.toISOString() ?? null,
        createdAt: m.createdAt.toISOString(),
      })),
    };
  });
  router.post('/api/outbox/retry', async (ctx) => {
    const { ids } = validate(retryBody, parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.body = { requeued: await deps.dispatcher.retry(ids) };
  });
  return router;
}
