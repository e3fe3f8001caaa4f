import Router from '@koa/router';
import { Context } from 'koa';
import { Clock } from '../clock';
import { CONSOLE_POLICY, consolePage, Notice } from './console-page';
import { ConsoleUser, consoleUserOf } from './console-user';
import { ConsoleSection, SectionDeps } from './section';
import { ConsoleSessions } from './session';

/**
 * Mounts the console's sections: each request needs a valid session whose identity is still
 * on a staff list (else → the sign-in page), then the section's own `mayView` (else 403), then
 * the section renders — answering 404 for anything the person may not see.
 */
export function consoleRoutes(deps: SectionDeps & { clock: Clock; sessions: ConsoleSessions; sections: readonly ConsoleSection[] }): Router {
  const router = new Router();
  for (const section of deps.sections) {
    router.get(section.path, async (ctx) => {
      ctx.set('Content-Security-Policy', CONSOLE_POLICY);
      const now = deps.clock.now();
      const session = deps.sessions.read(ctx, now);
      const user = session ? await consoleUserOf(deps.dataSource, session) : null;
      if (!user) {
        ctx.status = 303;
        return ctx.redirect('/console/sign-in');
      }
      const frame = { who: user.name, nav: deps.sections.filter((s) => s.inNav && s.mayView(user)).map((s) => ({ path: s.path, title: s.title, current: s === section })) };
      if (!section.mayView(user)) return answer(ctx, 403, '无权访问', <Notice title="无权访问">这一页不对您的角色开放。</Notice>, frame);
      const page = await section.render({ user, params: ctx.params as Record<string, string>, query: new URLSearchParams(ctx.querystring), now }, deps);
      if ('notFound' in page) return answer(ctx, 404, '未找到', <Notice title="未找到">没有这一项，或它不在您能查看的范围内。</Notice>, frame);
      answer(ctx, 200, page.title, page.body, frame);
    });
  }
  return router;
}

function answer(ctx: Context, status: number, title: string, body: Parameters<typeof consolePage>[1], frame: { who: string; nav: { path: string; title: string; current: boolean }[] }): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = consolePage(title, body, frame);
}

export type { ConsoleUser };
