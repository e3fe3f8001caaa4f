import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../clock';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { quarterParam, weekParam } from '../http/calendar-params';
import { attachment } from './attachment';
import { Office } from '../../entities';
import { SignedLinks } from '../survey/signed-link';
import { noticePage, SURVEY_PAGE_POLICY } from '../survey/survey-page';
import { findOffice } from './find-office';
import { WEEKLY_PAGE_POLICY, weeklySummaryPage } from './weekly-summary.page';
import { QuarterlyReportService } from './quarterly-report.service';
import { QuarterlyReviewService } from './quarterly-review.service';
import { WeeklySummaryService } from './weekly-summary.service';

const officeId = z.string().min(1).max(64);

/** The reports' queries and bodies; weeks and quarters from 2000 to the one under way. */
function schemas(clock: Clock) {
  const quarter = quarterParam(clock);
  return {
    quarterlyQuery: z.object({ officeId, quarter }),
    weeklyQuery: z.object({ officeId, week: weekParam(clock) }),
    reviewBody: z.object({ officeId, quarter, reviewerId: z.string().min(1).max(64), opinion: z.string().trim().min(1).max(4000) }),
    decisionBody: z.object({
      officeId,
      quarter,
      managerId: z.string().min(1).max(64),
      decision: z.enum(['no_action', 'nonconformity', 'corrective_action']),
      note: z.string().max(4000).nullish(),
    }),
  };
}

/**
 * The reports of the admin API (docs/api.md): the weekly summary, the quarterly statistics
 * as JSON, CSV (`Accept: text/csv`) or XLSX (`.xlsx` suffix), and the statistics' review and
 * decision.
 */
export function reportsRoutes(deps: {
  dataSource: DataSource;
  clock: Clock;
  weekly: WeeklySummaryService;
  quarterly: QuarterlyReportService;
  reviews: QuarterlyReviewService;
  links?: SignedLinks;
}): Router {
  const router = new Router();
  const { quarterlyQuery, weeklyQuery, reviewBody, decisionBody } = schemas(deps.clock);

  // The weekly card's link: a signed, read-only page a supervisor opens without the admin token.
  router.get('/r/weekly/:token', async (ctx) => {
    const check = deps.links?.check(String(ctx.params.token), deps.clock.now());
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', SURVEY_PAGE_POLICY);
    if (!check?.ok || check.grant.purpose !== 'weekly' || !check.grant.officeId || !check.grant.week) {
      ctx.status = check && !check.ok && check.reason === 'expired' ? 410 : 404;
      ctx.body = noticePage(ctx.status === 410 ? 'expired' : 'invalid');
      return;
    }
    const office = await deps.dataSource.getRepository(Office).findOneBy({ id: check.grant.officeId });
    if (!office) {
      ctx.status = 404;
      ctx.body = noticePage('invalid');
      return;
    }
    const page = weeklySummaryPage(await deps.weekly.compute(office, check.grant.week, deps.clock.now()));
    ctx.set('Content-Security-Policy', WEEKLY_PAGE_POLICY);
    ctx.body = page;
  });

  router.get('/api/reports/weekly', async (ctx) => {
    const query = validate(weeklyQuery, ctx.query);
    const office = await findOffice(deps.dataSource.manager, query.officeId);
    ctx.body = await deps.weekly.compute(office, query.week, deps.clock.now());
  });

  router.get('/api/stats/quarterly.xlsx', async (ctx) => {
    const query = validate(quarterlyQuery, ctx.query);
    const bytes = await deps.quarterly.xlsx(query.officeId, query.quarter);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    attachment(ctx, `走访回访统计表-${query.officeId}-${query.quarter}.xlsx`);
    ctx.body = bytes;
  });

  router.get('/api/stats/quarterly', async (ctx) => {
    const query = validate(quarterlyQuery, ctx.query);
    if (ctx.accepts('application/json', 'text/csv') === 'text/csv') {
      const csv = await deps.quarterly.csv(query.officeId, query.quarter);
      ctx.type = 'text/csv; charset=utf-8';
      attachment(ctx, `走访回访统计表-${query.officeId}-${query.quarter}.csv`);
      ctx.body = csv;
      return;
    }
    ctx.body = (await deps.quarterly.report(query.officeId, query.quarter)).report;
  });

  router.post('/api/stats/quarterly/review', async (ctx) => {
    const body = validate(reviewBody, parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.status = 201;
    ctx.body = await deps.reviews.review(body);
  });

  router.post('/api/stats/quarterly/decision', async (ctx) => {
    const body = validate(decisionBody, parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.status = 201;
    ctx.body = await deps.reviews.decide(body);
  });

  return router;
}
