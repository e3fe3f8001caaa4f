import Router from '@koa/router';
import { cardCallbackReply, DingtalkEventCodec, parseCardCallback, verifyCardCallback } from '../channels/dingtalk/dingtalk-callback';
import { Clock } from '../clock';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { BackgroundWork } from './background-work';
import { CallbackHandler } from './callback-handler';

/**
 * DingTalk's callbacks: the event subscription (encrypted; every push, `check_url` included,
 * is answered with the encrypted "success") and the interactive-card action route (signed;
 * answered within 2 s, the card then updated through the outbox).
 */
export function dingtalkCallbackRoutes(deps: {
  codec: DingtalkEventCodec | null;
  cardApiSecret: string | null;
  handler: CallbackHandler;
  clock: Clock;
  background: BackgroundWork;
}): Router {
  const router = new Router();
  if (deps.codec) {
    const codec = deps.codec;
    router.post('/callbacks/dingtalk', async (ctx) => {
      const body = parseJsonBody(ctx, await readRawBody(ctx, 64 * 1024));
      const now = deps.clock.now();
      const decoded = codec.decode(ctx.query as Record<string, string>, body, now);
      // Subscribed events (contacts, approvals…) carry nothing for the visit loop today;
      // they are stored once so a redelivery is recognised, and acknowledged.
      await deps.handler.accept('dingtalk', { type: 'ignored', channel: 'dingtalk', eventId: decoded.eventId, what: String(decoded.event.EventType ?? 'event') });
      ctx.body = codec.successReply(now);
    });
  }
  if (deps.cardApiSecret) {
    const secret = deps.cardApiSecret;
    router.post('/callbacks/dingtalk/card', async (ctx) => {
      const now = deps.clock.now();
      verifyCardCallback(ctx.headers, secret, now);
      const event = parseCardCallback(parseJsonBody(ctx, await readRawBody(ctx, 64 * 1024)), now);
      const fresh = await deps.handler.accept('dingtalk_card', event);
      ctx.body = cardCallbackReply('已收到');
      if (fresh) deps.background.run('dingtalk card callback', () => deps.handler.process('dingtalk_card', event.eventId));
    });
  }
  return router;
}
