import Router from '@koa/router';
import { WecomCallbackCodec } from '../channels/wecom/wecom-callback';
import { Clock } from '../clock';
import { readRawBody } from '../http/read-body';
import { BackgroundWork } from './background-work';
import { CallbackHandler } from './callback-handler';

/**
 * WeCom's callback URL (docs/wecom.md §4): GET answers the URL verification with the decrypted
 * echo; POST verifies and decrypts, stores the event once, answers 200 at once (WeCom waits
 * 5 s, then retries), and does the work afterwards. A bad signature is 401 and nothing is done.
 */
export function wecomCallbackRoutes(deps: { codec: WecomCallbackCodec; handler: CallbackHandler; clock: Clock; background: BackgroundWork }): Router {
  const router = new Router();
  router.get('/callbacks/wecom', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = deps.codec.verifyUrl(ctx.query as Record<string, string>, deps.clock.now());
  });
  router.post('/callbacks/wecom', async (ctx) => {
    const raw = (await readRawBody(ctx, 64 * 1024)).toString('utf8');
    const event = deps.codec.decode(ctx.query as Record<string, string>, raw, deps.clock.now());
    const fresh = await deps.handler.accept('wecom', event);
    ctx.status = 200;
    ctx.body = '';
    if (fresh) deps.background.run('wecom callback', () => deps.handler.process('wecom', event.eventId));
  });
  return router;
}
