import Router from '@koa/router';
import { Context } from 'koa';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { DEMO_RESIDENTS } from './demo-office';
import { SANDBOX_PAGE_POLICY, sandboxPage } from './sandbox-page';
import { sandboxReplySchema, SandboxService, sandboxTapSchema, sandboxWorkOrderSchema } from './sandbox.service';

/** Bodies of the sandbox's own calls are small; 64 KiB is plenty. */
const MAX_BODY = 64 * 1024;

async function jsonBody(ctx: Context): Promise<unknown> {
  return parseJsonBody(ctx, await readRawBody(ctx, MAX_BODY));
}

/**
 * The chat sandbox over HTTP: `GET /sandbox` (the page) and the JSON calls it polls and
 * posts under `/sandbox/api/*`. Open like `/api` in sandbox mode: it exists only there.
 */
export function sandboxRoutes(service: SandboxService): Router {
  const router = new Router({ prefix: '/sandbox' });
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', SANDBOX_PAGE_POLICY);
    ctx.body = sandboxPage({ defaultResidentId: DEMO_RESIDENTS[0].id });
  });
  router.get('/api/people', async (ctx) => {
    ctx.body = await service.people();
  });
  router.get('/api/chats/:userId', async (ctx) => {
    ctx.body = await service.chat(String(ctx.params.userId));
  });
  router.get('/api/visits', async (ctx) => {
    ctx.body = await service.visits();
  });
  router.get('/api/visits/:id', async (ctx) => {
    ctx.body = await service.visit(Number(ctx.params.id));
  });
  router.post('/api/work-orders', async (ctx) => {
    const answer = await service.sendWorkOrder(validate(sandboxWorkOrderSchema, await jsonBody(ctx)));
    ctx.body = { webhook: answer };
  });
  router.post('/api/run-jobs', async (ctx) => {
    ctx.body = await service.runJobs();
  });
  router.post('/api/tap', async (ctx) => {
    ctx.body = await service.tap(validate(sandboxTapSchema, await jsonBody(ctx)));
  });
  router.post('/api/reply', async (ctx) => {
    ctx.body = await service.reply(validate(sandboxReplySchema, await jsonBody(ctx)));
  });
  return router;
}
