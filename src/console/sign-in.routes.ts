import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource, IsNull, Not } from 'typeorm';
import { Office, StaffMember } from '../../entities';
import { Clock } from '../clock';
import { constantTimeEqual } from '../crypto/constant-time';
import { Logger } from '../log';
import { readRawBody } from '../http/read-body';
import { ChatSignIn } from './chat-sign-in';
import { CONSOLE_POLICY } from './console-page';
import { consoleUserOf } from './console-user';
import { ConsoleSessions } from './session';
import { signInPage } from './sign-in-page';

export interface SignInDeps {
  dataSource: DataSource;
  clock: Clock;
  log: Logger;
  sessions: ConsoleSessions;
  publicBaseUrl: string;
  adminToken: string | null;
  sandbox: boolean;
  /** The chat platforms configured for sign-in (WeCom, DingTalk). */
  platforms: ChatSignIn[];
}

/**
 * Signing in and out of the console (docs/api.md §Console): with WeCom or DingTalk (an OAuth
 * round trip whose `state` is checked against a signed cookie), with ADMIN_TOKEN, or — in
 * sandbox mode only — as any demo staff member with one tap. Every refusal goes back to the
 * sign-in page with a reason code, never a trace.
 */
export function signInRoutes(deps: SignInDeps): Router {
  const router = new Router();
  const page = (ctx: Context, html: string, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', CONSOLE_POLICY);
    ctx.body = html;
  };
  const refuse = (ctx: Context, reason: string) => ctx.redirect(`/console/sign-in?error=${reason}`);
  const signedIn = (ctx: Context) => {
    ctx.status = 303;
    ctx.redirect('/console');
  };

  router.get('/console/sign-in', async (ctx) => {
    const people = deps.sandbox ? await sandboxPeople(deps.dataSource) : null;
    const error = typeof ctx.query.error === 'string' ? ctx.query.error : undefined;
    page(ctx, signInPage({ wecom: has('wecom'), dingtalk: has('dingtalk'), people, error }));
  });

  const has = (platform: string) => deps.platforms.some((p) => p.platform === platform);
  for (const platform of deps.platforms) {
    const callback = `/console/oauth/${platform.platform}`;
    router.get(`/console/sign-in/${platform.platform}`, (ctx) => {
      const state = deps.sessions.newState(ctx, platform.platform, deps.clock.now());
      ctx.redirect(platform.authorizeUrl(`${deps.publicBaseUrl}${callback}`, state));
    });
    router.get(callback, async (ctx) => {
      const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
      // DingTalk's new login page names the code `authCode` (and `code`); WeCom `code`.
      const code = [ctx.query.code, ctx.query.authCode].find((c): c is string => typeof c === 'string' && c !== '') ?? '';
      if (!deps.sessions.takeState(ctx, platform.platform, state, deps.clock.now())) return refuse(ctx, 'state');
      if (code === '' || code.length > 512) return refuse(ctx, 'code');
      let userId: string;
      try {
        userId = await platform.userIdOf(code);
      } catch (err) {
        deps.log.warn({ platform: platform.platform, err: String(err) }, 'console sign-in: platform unavailable');
        return refuse(ctx, 'platform');
      }
      if (userId === 'code') return refuse(ctx, 'code');
      if (userId === 'outsider') return refuse(ctx, 'unknown');
      const sub = `${platform.platform}:${userId}` as const;
      if (!(await consoleUserOf(deps.dataSource, { sub, exp: 0 }))) return refuse(ctx, 'unknown');
      deps.sessions.start(ctx, sub, deps.clock.now());
      signedIn(ctx);
    });
  }

  router.post('/console/sign-in/admin', async (ctx) => {
    const form = new URLSearchParams((await readRawBody(ctx, 4096)).toString('utf8'));
    const given = form.get('token') ?? '';
    // Hashed on both sides: a constant-time comparison whatever the lengths.
    if (deps.adminToken === null || !constantTimeEqual(digest(given), digest(deps.adminToken))) return refuse(ctx, 'token');
    deps.sessions.start(ctx, 'admin', deps.clock.now());
    signedIn(ctx);
  });

  if (deps.sandbox) {
    router.post('/console/sign-in/as', async (ctx) => {
      const form = new URLSearchParams((await readRawBody(ctx, 4096)).toString('utf8'));
      const sub = `wecom:${form.get('userId') ?? ''}` as const;
      if (!(await consoleUserOf(deps.dataSource, { sub, exp: 0 }))) return refuse(ctx, 'unknown');
      deps.sessions.start(ctx, sub, deps.clock.now());
      signedIn(ctx);
    });
  }

  router.post('/console/sign-out', (ctx) => {
    deps.sessions.end(ctx);
    ctx.status = 303;
    ctx.redirect('/console/sign-in');
  });
  return router;
}

/** The sandbox's staff (who have a WeCom userid there), for "sign in as". */
async function sandboxPeople(dataSource: DataSource) {
  const staff = await dataSource.getRepository(StaffMember).find({ where: { active: true, wecomUserId: Not(IsNull()) }, order: { officeId: 'ASC', id: 'ASC' }, take: 100 });
  const offices = new Map((await dataSource.getRepository(Office).find()).map((o) => [o.id, o.name]));
  return staff.map((s) => ({ userId: s.wecomUserId!, name: s.name, officeName: offices.get(s.officeId) ?? s.officeId, roles: s.roles.join('、') }));
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
