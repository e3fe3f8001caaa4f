import Router from '@koa/router';
import { Context } from 'koa';
import { Clock } from '../clock';
import { readRawBody } from '../http/read-body';
import { CONSOLE_POLICY, consolePage, NavItem, Notice } from './console-page';
import { ConsoleUser, consoleUserOf } from './console-user';
import { ConsoleSection, SectionDeps, SectionPage, SectionRequest } from './section';
import { ConsoleSessions } from './session';

type Frame = { who: string; nav: NavItem[] };

/**
 * Mounts the console's sections: each request needs a valid session whose identity is still
 * on a staff list (else → the sign-in page), then the section's own `mayView` (else 403), then
 * the section renders — answering 404 for anything the person may not see. A section's
 * actions are `POST <path>/<action>`, checked the same way; cross-site posts carry no session
 * (SameSite=Lax), and a post whose `Origin` is not ours is refused (403) besides.
 */
export function consoleRoutes(deps: SectionDeps & { clock: Clock; sessions: ConsoleSessions; sections: readonly ConsoleSection[]; publicBaseUrl: string }): Router {
  const ownOrigin = new URL(deps.publicBaseUrl).origin;
  const router = new Router();
  const signedIn = async (ctx: Context, section: ConsoleSection): Promise<{ user: ConsoleUser; frame: Frame; request: SectionRequest } | null> => {
    ctx.set('Content-Security-Policy', CONSOLE_POLICY);
    const now = deps.clock.now();
    const session = deps.sessions.read(ctx, now);
    const user = session ? await consoleUserOf(deps.dataSource, session) : null;
    if (!user) {
      ctx.status = 303;
      ctx.redirect('/console/sign-in');
      return null;
    }
    const frame = { who: user.name, nav: deps.sections.filter((s) => s.inNav && s.mayView(user)).map((s) => ({ path: s.path, title: s.title, current: s === section })) };
    if (!section.mayView(user)) {
      answer(ctx, { title: '无权访问', status: 403, body: <Notice title="无权访问">这一页不对您的角色开放。</Notice> }, frame);
      return null;
    }
    return { user, frame, request: { user, params: ctx.params as Record<string, string>, query: new URLSearchParams(ctx.querystring), now } };
  };

  for (const section of deps.sections) {
    router.get(section.path, async (ctx) => {
      const found = await signedIn(ctx, section);
      if (found) answer(ctx, await section.render(found.request, deps), found.frame);
    });
    for (const [name, action] of Object.entries(section.actions ?? {})) {
      router.post(`${section.path}/${name}`, async (ctx) => {
        const found = await signedIn(ctx, section);
        if (!found) return;
        const origin = ctx.get('origin');
        // Ours: PUBLIC_BASE_URL, or the address this request came to (koa 3's ctx.origin would echo the header).
        // Pages say `Referrer-Policy: no-referrer`, so a browser posts their forms with `Origin: null`:
        // then its own `Sec-Fetch-Site` (no script can set it) must say the form was ours.
        const fromUs = origin === ownOrigin || origin === `${ctx.protocol}://${ctx.host}` || (origin === 'null' && ctx.get('sec-fetch-site') === 'same-origin');
        if (origin && !fromUs) {
          return answer(ctx, { title: '无权访问', status: 403, body: <Notice title="无权访问">这个请求不是从本站发出的。</Notice> }, found.frame);
        }
        const form = new URLSearchParams((await readRawBody(ctx, 16 * 1024)).toString('utf8'));
        answer(ctx, await action(found.request, form, deps), found.frame);
      });
    }
  }
  return router;
}

function answer(ctx: Context, page: SectionPage, frame: Frame): void {
  if ('redirect' in page) {
    ctx.status = 303;
    return ctx.redirect(page.redirect);
  }
  if ('notFound' in page) return answer(ctx, { title: '未找到', status: 404, body: <Notice title="未找到">没有这一项，或它不在您能查看的范围内。</Notice> }, frame);
  ctx.status = page.status ?? 200;
  ctx.type = 'html';
  ctx.body = consolePage(page.title, page.body, frame);
}
