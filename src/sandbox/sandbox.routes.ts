import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import { Context } from 'koa';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { DEMO_RESIDENTS } from './demo-office';
import { SANDBOX_PAGE_POLICY, SANDBOX_SCRIPT_PATH, sandboxPage } from './sandbox-page';
import { SANDBOX_SCRIPT } from './sandbox-script';
import { sandboxReplySchema, SandboxService, sandboxTapSchema, sandboxWorkOrderSchema } from './sandbox.service';

/** Bodies of the sandbox's own calls are small; 64 KiB is plenty. */
const MAX_BODY = 64 * 1024;

async function jsonBody(ctx: Context): Promise<unknown> {
  return parseJsonBody(ctx, await readRawBody(ctx, MAX_BODY));
}

/** Comments sent on an idle live stream, so that proxies keep it open. */
const LIVE_PING_MS = 25_000;

/**
 * The chat sandbox over HTTP: `GET /sandbox` (the page), its script, the JSON calls it polls
 * and posts under `/sandbox/api/*`, and `GET /sandbox/api/live`, server-sent events naming
 * whose chat just received something. Open like `/api` in sandbox mode: it exists only there.
 */
export function sandboxRoutes(service: SandboxService): Router {
  const router = new Router({ prefix: '/sandbox' });
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', SANDBOX_PAGE_POLICY);
    ctx.body = sandboxPage({ defaultResidentId: DEMO_RESIDENTS[0].id });
  });
  // The page's script, as a file: the page has no inline script (a CSP can forbid it).
  router.get(SANDBOX_SCRIPT_PATH.slice('/sandbox'.length), (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = SANDBOX_SCRIPT;
  });
  router.get('/api/live', (ctx) => {
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-store');
    const stream = new PassThrough();
    ctx.status = 200;
    ctx.body = stream;
    stream.write(': live\n\n');
    const ping = setInterval(() => stream.write(': ping\n\n'), LIVE_PING_MS);
    const stop = service.live((userId) => stream.write(`event: delivery\ndata: ${JSON.stringify({ userId })}\n\n`), () => stream.end());
    const end = () => {
      clearInterval(ping);
      stop();
    };
    ctx.req.once('close', end);
    stream.once('close', end);
  });
  router.get('/api/visits/:id/survey-link', (ctx) => {
    ctx.body = service.surveyLink(Number(ctx.params.id));
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

/** `GET /` in sandbox mode: straight to the sandbox, where a newcomer starts. */
export function sandboxHomeRoute(): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.redirect('/sandbox');
  });
  return router;
}
