import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { StaffMember } from '../../entities';
import { Clock } from '../clock';
import { DomainError, NotFoundError } from '../errors';
import { weekParam } from '../http/calendar-params';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { attachment } from '../reports/attachment';
import { SignedLinks } from '../survey/signed-link';
import { CampaignGuidanceService } from './campaign-guidance.service';
import { CAMPAIGN_REPORT_PAGE_POLICY, campaignNoticePage, campaignReportPage } from './campaign-report.page';
import { CampaignReports } from './campaign-report.service';
import { campaignReportXlsx } from './campaign-report.xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const staffId = z.string().min(1).max(64);
const text = z.string().trim().min(1, 'must not be empty').max(4000);

/**
 * A campaign's weekly report (docs/api.md, "Customer follow-up campaigns"): as JSON or XLSX, the
 * supervisor's guidance through the admin API, and the report page behind the chat's signed link
 * (`/r/campaign/:token`), where a supervisor writes guidance with a plain form.
 */
export function campaignReportRoutes(deps: { dataSource: DataSource; clock: Clock; links: SignedLinks; reports: CampaignReports; guidance: CampaignGuidanceService }): Router {
  const router = new Router();
  const week = weekParam(deps.clock);
  const reportQuery = z.object({ week, format: z.enum(['json', 'xlsx']).optional() });
  const guidanceBody = z.object({ by: staffId, text, week, staffId: staffId.nullish() }).strict();

  router.get('/api/campaigns/:id/report', async (ctx) => {
    const query = validate(reportQuery, ctx.query);
    const report = await deps.reports.report(await deps.reports.find(ctx.params.id), query.week);
    if (query.format === 'xlsx' || (query.format === undefined && ctx.accepts('application/json', XLSX) === XLSX)) {
      ctx.type = XLSX;
      attachment(ctx, `客户回访报告-${report.campaignId}-${report.week}.xlsx`);
      ctx.body = await campaignReportXlsx(report);
      return;
    }
    ctx.body = report;
  });

  router.post('/api/campaigns/:id/report/guidance', async (ctx) => {
    const body = validate(guidanceBody, parseJsonBody(ctx, await readRawBody(ctx)));
    const given = await deps.guidance.give({ campaignId: ctx.params.id, ...body });
    ctx.status = 201;
    ctx.body = { guidance: given.report.guidance.at(-1), toldCallers: given.toldCallers, toldLeaders: given.toldLeaders, report: given.report };
  });

  router.get('/r/campaign/:token', async (ctx) => {
    const reader = await readerOf(ctx, deps);
    if (reader) await page(ctx, deps, reader, 200);
  });

  router.post('/r/campaign/:token', async (ctx) => {
    const reader = await readerOf(ctx, deps);
    if (!reader) return;
    const form = new URLSearchParams((await readRawBody(ctx, 64 * 1024)).toString('utf8'));
    const typed = text.safeParse(form.get('text') ?? '');
    if (!typed.success) return page(ctx, deps, reader, 400, { error: '请写下指导意见。' });
    try {
      await deps.guidance.give({ campaignId: reader.campaignId, week: reader.week, by: reader.staffId, text: typed.data, staffId: form.get('staffId') || null });
      await page(ctx, deps, reader, 200, { saved: true });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      await page(ctx, deps, reader, err.status, { error: err.status === 403 ? '只有主管可以写指导意见。' : '无法保存：请检查所选的回访员。' });
    }
  });
  return router;
}

interface Reader {
  campaignId: string;
  week: string;
  staffId: string;
}

/** Who opened the page, from its signed link; answers 403/410 itself when the link is not good. */
async function readerOf(ctx: Context, deps: { clock: Clock; links: SignedLinks }): Promise<Reader | null> {
  const check = deps.links.check(String(ctx.params.token), deps.clock.now());
  if (!check.ok || check.grant.purpose !== 'campaign_report' || !check.grant.campaignId || !check.grant.week || !check.grant.staffId) {
    html(ctx, check.ok || check.reason !== 'expired' ? 403 : 410, campaignNoticePage('链接无效或已过期。'));
    return null;
  }
  return { campaignId: check.grant.campaignId, week: check.grant.week, staffId: check.grant.staffId };
}

async function page(ctx: Context, deps: { dataSource: DataSource; reports: CampaignReports }, reader: Reader, status: number, notice?: { error?: string; saved?: boolean }): Promise<void> {
  const found = await deps.reports.find(reader.campaignId).catch((err: unknown) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });
  if (!found) return html(ctx, 404, campaignNoticePage('找不到这个回访活动。'));
  const staff = await deps.dataSource.manager.findOneBy(StaffMember, { officeId: found.office.id, id: reader.staffId, active: true });
  const report = await deps.reports.report(found, reader.week);
  html(ctx, status, campaignReportPage({ report, mayGuide: staff?.roles.includes('supervisor') ?? false, notice }));
  ctx.set('Content-Security-Policy', CAMPAIGN_REPORT_PAGE_POLICY);
}

/** An HTML answer; the app's page headers keep it uncached, unframed and without referrer (the link is the token). */
function html(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}
