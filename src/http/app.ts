import Router from '@koa/router';
import Koa from 'koa';
import { Logger } from '../log';
import { adminAuth } from './admin-auth.middleware';
import { errorsMiddleware } from './errors.middleware';

export interface AppOptions {
  log: Logger;
  adminToken: string | null;
  sandbox: boolean;
  /** Feature routers (health, webhooks, callbacks, admin API, pages), mounted in order. */
  routers: Router[];
}

/** The Koa app: one error middleware, the admin guard, then thin feature routes. */
export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  app.use(errorsMiddleware(options.log));
  app.use(adminAuth({ token: options.adminToken, sandbox: options.sandbox }));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
