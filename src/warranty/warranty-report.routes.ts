import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { Visit, WarrantyRepair } from '../../entities';
import { Clock } from '../clock';
import { NotFoundError } from '../errors';
import { attachment } from '../reports/attachment';
import { addTableSheets, newWorkbook, workbookBytes } from '../reports/report-tables.xlsx';
import { warrantyEnds } from '../rules/warranty-clock';
import { ProjectService } from './project.service';
import { warrantyReport, warrantyReportTables } from './warranty-report';
import { termsOf } from './warranty-terms';

/** `GET /api/projects/:projectId/report` (JSON) and `…/report.xlsx`: the project's warranty report. */
export function warrantyReportRoutes(deps: { dataSource: DataSource; clock: Clock; projects: ProjectService }): Router {
  const router = new Router();
  const build = async (projectId: string) => {
    const manager = deps.dataSource.manager;
    const setting = await deps.projects.setting(manager, projectId);
    if (!setting) throw new NotFoundError(`project ${projectId}`);
    const [repairs, visits] = await Promise.all([
      manager.find(WarrantyRepair, { where: { projectId }, order: { id: 'ASC' } }),
      manager.find(Visit, { where: { projectId }, order: { opensAt: 'ASC' } }),
    ]);
    return warrantyReport({ projectId, ends: warrantyEnds(termsOf(setting.project)), repairs, visits, now: deps.clock.now(), zone: setting.zone });
  };
  router.get('/api/projects/:projectId/report', async (ctx) => {
    ctx.body = await build(ctx.params.projectId);
  });
  router.get('/api/projects/:projectId/report.xlsx', async (ctx) => {
    const report = await build(ctx.params.projectId);
    const workbook = await newWorkbook();
    addTableSheets(workbook, warrantyReportTables(report));
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    attachment(ctx, `保修报表-${report.projectId}-${report.asOf}.xlsx`);
    ctx.body = await workbookBytes(workbook);
  });
  return router;
}
