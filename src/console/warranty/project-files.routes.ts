import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { WarrantyRepair } from '../../../entities';
import { Clock } from '../../clock';
import { WARRANTY_CARD_POLICY, warrantyCardPage } from '../../warranty/warranty-card.page';
import { loadWarrantyReport } from '../../warranty/warranty-report';
import { sendReportWorkbook } from '../../warranty/warranty-report.routes';
import { consoleUserOf } from '../console-user';
import { ConsoleSessions } from '../session';
import { visibleProject } from './project-scope';

/**
 * The project page's downloads for console users: the printable warranty card and the report
 * workbook — the admin API's (`/api/projects/:id/card`, `…/report.xlsx`) behind the console's
 * session instead of the admin token, for whoever may see the project (else 404, signed out →
 * the sign-in page).
 */
export function projectFileRoutes(deps: { dataSource: DataSource; clock: Clock; sessions: ConsoleSessions; defaultTimeZone: string }): Router {
  const router = new Router();
  const project = async (ctx: Context) => {
    const session = deps.sessions.read(ctx, deps.clock.now());
    const user = session ? await consoleUserOf(deps.dataSource, session) : null;
    if (!user) {
      ctx.status = 303;
      ctx.redirect('/console/sign-in');
      return null;
    }
    const found = await visibleProject(deps.dataSource, user, ctx.params.projectId, deps.defaultTimeZone);
    if (!found) {
      ctx.status = 404;
      ctx.body = '未找到';
    }
    return found;
  };
  router.get('/console/projects/:projectId/card', async (ctx) => {
    const found = await project(ctx);
    if (!found) return;
    const repairs = await deps.dataSource.getRepository(WarrantyRepair).find({ where: { projectId: found.project.id }, order: { reportedAt: 'ASC', id: 'ASC' } });
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', WARRANTY_CARD_POLICY);
    ctx.body = warrantyCardPage({ project: found.project, repairs, zone: found.zone });
  });
  router.get('/console/projects/:projectId/report.xlsx', async (ctx) => {
    const found = await project(ctx);
    if (found) await sendReportWorkbook(ctx, await loadWarrantyReport(deps.dataSource.manager, found.project, found.zone, deps.clock.now()));
  });
  return router;
}
