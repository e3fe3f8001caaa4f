import Router from '@koa/router';
import Koa from 'koa';
import { Logger } from '../log';
import { adminGuard, guardAdminRoutes, isAdminPath } from './admin-auth.middleware';
import { errorsMiddleware } from './errors.middleware';
import { pageHeaders } from './page-security';

export interface AppOptions {
  log: Logger;
  adminToken: string | null;
  sandbox: boolean;
  /** Feature routers (health, webhooks, callbacks, admin API, pages), mounted in order. */
  routers: Router[];
}

/** The Koa app: one error middleware, the page headers, the admin guard, then thin feature routes. */
export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  app.use(errorsMiddleware(options.log));
  app.use(pageHeaders());
  const guard = adminGuard({ token: options.adminToken, sandbox: options.sandbox });
  // Any spelling of an /api path is refused here (401, not a 404 for spellings no route
  // matches); the routes under /api carry the same guard themselves, so whatever the router
  // matches is checked by the router's own matcher too.
  app.use((ctx, next) => (isAdminPath(ctx.path) ? guard(ctx, next) : next()));
  for (const router of options.routers) {
    guardAdminRoutes(router, guard);
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
