import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Project, WarrantyRepair } from '../../entities';
import { Clock } from '../clock';
import { ConflictError, NotFoundError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { SignedLinks } from '../survey/signed-link';
import { localDate } from './project-input';
import { repairView } from './project-view';
import { RepairCommand } from './repair-lifecycle';
import { repairSignOffPage, SIGNOFF_PAGE_POLICY, signOffRefusalPage } from './repair-signoff.page';
import { WarrantyRepairs } from './repair.service';

const text = (max: number) => z.string({ required_error: 'is required', invalid_type_error: 'must be text' }).trim().min(1, 'must not be empty').max(max);
const by = text(64);

const reportBody = z
  .object({
    reportedAt: z.string({ required_error: 'is required' }).datetime({ offset: true, message: 'must be an ISO instant, e.g. 2027-06-01T09:00:00+08:00' }),
    category: text(24),
    location: text(200),
    description: text(2000),
  })
  .strict();

const assessBody = z
  .object({
    by,
    cause: z.enum(['builder', 'misuse', 'other']),
    taskSheet: z.object({ cause: text(500), measures: text(2000), dueOn: localDate, approvedBy: text(100), responsible: text(100) }).strict(),
  })
  .strict();

/**
 * Warranty repairs through the admin API (report, on site, assess, done) and the owner's
 * sign-off page behind a signed link (`/w/:token`).
 */
export function repairRoutes(deps: { dataSource: DataSource; clock: Clock; links: SignedLinks; repairs: WarrantyRepairs }): Router {
  const router = new Router();
  router.post('/api/projects/:projectId/repairs', async (ctx) => {
    const body = validate(reportBody, parseJsonBody(ctx, await readRawBody(ctx)));
    const repair = await deps.repairs.report(ctx.params.projectId, { ...body, reportedAt: new Date(body.reportedAt) });
    ctx.status = 201;
    ctx.body = repairView(repair);
  });
  router.get('/api/warranty-repairs/:id', async (ctx) => {
    const repair = await deps.dataSource.getRepository(WarrantyRepair).findOneBy({ id: idOf(ctx.params.id) });
    if (!repair) throw new NotFoundError(`warranty repair ${ctx.params.id}`);
    ctx.body = repairView(repair);
  });
  const step = <S extends z.ZodTypeAny>(path: string, schema: S, command: (b: z.output<S>) => RepairCommand) =>
    router.post(`/api/warranty-repairs/:id/${path}`, async (ctx) => {
      const body = validate(schema, parseJsonBody(ctx, await readRawBody(ctx)));
      ctx.body = repairView(await deps.repairs.step(idOf(ctx.params.id), command(body)));
    });
  step('onsite', z.object({ by }).strict(), (b) => ({ type: 'onsite', by: b.by }));
  step('assess', assessBody, (b) => ({ type: 'assess', by: b.by, cause: b.cause, taskSheet: b.taskSheet }));
  step('done', z.object({ by }).strict(), (b) => ({ type: 'done', by: b.by }));

  router.get('/w/:token', async (ctx) => {
    const found = await signOffTarget(ctx, deps);
    if (found) page(ctx, 200, found);
  });
  router.post('/w/:token', async (ctx) => {
    const found = await signOffTarget(ctx, deps);
    if (!found) return;
    // 确认验收 posts verdict=accepted (and a post without it is taken as that); 不满意 not_accepted.
    const verdict = new URLSearchParams((await readRawBody(ctx, 4 * 1024)).toString('utf8')).get('verdict');
    if (verdict !== null && verdict !== 'accepted' && verdict !== 'not_accepted') return html(ctx, 400, signOffRefusalPage('unreadable'));
    try {
      const before = found.repair.status;
      const repair = await deps.repairs.step(found.repair.id, { type: 'sign_off', via: `link:${found.nonce}`, accepted: verdict !== 'not_accepted' });
      // Answered just now only when this post changed it; an earlier answer (card or page) is shown as it stands.
      page(ctx, 200, { ...found, repair }, repair.status !== before);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      page(ctx, 409, found);
    }
  });
  return router;
}

async function signOffTarget(ctx: Context, deps: { dataSource: DataSource; clock: Clock; links: SignedLinks }) {
  const check = deps.links.check(ctx.params.token, deps.clock.now());
  if (!check.ok || check.grant.purpose !== 'repair_signoff' || !Number.isSafeInteger(check.grant.repairId)) {
    html(ctx, check.ok ? 403 : check.reason === 'expired' ? 410 : 403, signOffRefusalPage('invalid'));
    return null;
  }
  const repair = await deps.dataSource.getRepository(WarrantyRepair).findOneBy({ id: check.grant.repairId! });
  const project = repair ? await deps.dataSource.getRepository(Project).findOneBy({ id: repair.projectId }) : null;
  if (!repair || !project) {
    html(ctx, 404, signOffRefusalPage('not_found'));
    return null;
  }
  return { repair, project, nonce: check.grant.nonce };
}

function page(ctx: Context, status: number, found: { repair: WarrantyRepair; project: Project }, justSigned = false): void {
  html(ctx, status, repairSignOffPage({ ...found, justSigned }));
}

/** An HTML answer with the sign-off pages' CSS allowed; the app's page headers keep it uncached, unframed and without referrer (the link is the token). */
function html(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', SIGNOFF_PAGE_POLICY);
  ctx.body = body;
}

function idOf(raw: string): number {
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}
