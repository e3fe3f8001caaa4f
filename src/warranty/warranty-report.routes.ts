import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { Clock } from '../clock';
import { NotFoundError } from '../errors';
import { attachment } from '../reports/attachment';
import { addTableSheets, newWorkbook, workbookBytes } from '../reports/report-tables.xlsx';
import { ProjectService } from './project.service';
import { loadWarrantyReport, WarrantyReport, warrantyReportTables } from './warranty-report';

/** `GET /api/projects/:projectId/report` (JSON) and `…/report.xlsx`: the project's warranty report. */
export function warrantyReportRoutes(deps: { dataSource: DataSource; clock: Clock; projects: ProjectService }): Router {
  const router = new Router();
  const build = async (projectId: string) => {
    const setting = await deps.projects.setting(deps.dataSource.manager, projectId);
    if (!setting) throw new NotFoundError(`project ${projectId}`);
    return loadWarrantyReport(deps.dataSource.manager, setting.project, setting.zone, deps.clock.now());
  };
  router.get('/api/projects/:projectId/report', async (ctx) => {
    ctx.body = await build(ctx.params.projectId);
  });
  router.get('/api/projects/:projectId/report.xlsx', async (ctx) => {
    const report = await build(ctx.params.projectId);
    await sendReportWorkbook(ctx, report);
  });
  return router;
}

/** The report as the `…/report.xlsx` download (the admin API's and the console's). */
export async function sendReportWorkbook(ctx: Context, report: WarrantyReport): Promise<void> {
  const workbook = await newWorkbook();
  addTableSheets(workbook, warrantyReportTables(report));
  ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  attachment(ctx, `保修报表-${report.projectId}-${report.asOf}.xlsx`);
  ctx.body = await workbookBytes(workbook);
}
