import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { Office, Visit, VisitStatus, WorkOrder } from '../../entities';
import { METHOD_LABELS, visitKindLabel, VisitMethodCode } from '../../cards/components/labels';
import { formatLocalTime } from '../../cards/components/local-time';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import { readRawBody } from '../http/read-body';
import { fieldProblems } from '../http/validation';
import { officeZone } from '../offices/office-zone';
import { LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { VisitPurpose, WorkOrderKind } from '../rules/kinds';
import { SHORTCOMING_LABELS, ShortcomingCode } from '../rules/shortcomings';
import { visitAnswersSchema } from '../visits/visit-answers';
import { ActorRef, VisitLifecycle } from '../visits/visit-lifecycle.service';
import { SignedLinks } from './signed-link';
import { confirmRecordPage, noticePage, NoticeKind, resolutionPage, SURVEY_PAGE_POLICY, SurveyPageVisit, surveyFormPage } from './survey-page';

/**
 * `GET /s/:token` shows the survey (or a staff record to confirm); `POST /s/:token` records
 * the resident's answers with their confirmation. A used, expired or forged link gets a
 * clear page, never an error trace. A link answers once: after that the visit is recorded
 * and confirmed, and the page says so.
 */
export function surveyRoutes(deps: {
  dataSource: DataSource;
  clock: Clock;
  links: SignedLinks;
  lifecycle: VisitLifecycle;
  defaultTimeZone: string;
}): Router {
  const router = new Router();

  const resolve = async (ctx: Context) => {
    const check = deps.links.check(String(ctx.params.token), deps.clock.now());
    if (!check.ok || check.grant.purpose !== 'survey') {
      notice(ctx, check.ok ? 'invalid' : check.reason === 'expired' ? 'expired' : 'invalid');
      return null;
    }
    const visit = await deps.dataSource.getRepository(Visit).findOneBy({ id: check.grant.visitId });
    if (!visit) {
      notice(ctx, 'invalid');
      return null;
    }
    if (visit.status === VisitStatus.Cancelled) {
      notice(ctx, 'cancelled');
      return null;
    }
    // What waits for the resident: the questions, the staff record to confirm, or (after the
    // manager's handling) whether the problem is solved now; otherwise nothing.
    if (visit.status !== VisitStatus.Handled && visit.recordedAt && visit.residentConfirmedAt) {
      notice(ctx, 'answered');
      return null;
    }
    return { visit, grant: check.grant };
  };

  router.get('/s/:token', async (ctx) => {
    ctx.set('Content-Security-Policy', SURVEY_PAGE_POLICY);
    const found = await resolve(ctx);
    if (!found) return;
    const view = await pageVisit(deps, found.visit);
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body =
      found.visit.status === VisitStatus.Handled
        ? resolutionPage(view, found.visit.handlingOpinion ?? '', ctx.path)
        : found.visit.recordedAt
          ? confirmRecordPage(view, ctx.path)
          : surveyFormPage(view, ctx.path);
  });

  router.post('/s/:token', async (ctx) => {
    ctx.set('Content-Security-Policy', SURVEY_PAGE_POLICY);
    const found = await resolve(ctx);
    if (!found) return;
    const body = await readFormBody(ctx);
    if (!body) return;
    const form = new URLSearchParams(body.toString('utf8'));
    const resident: ActorRef = { kind: 'resident', via: `survey:${found.grant.nonce}` };
    try {
      if (found.visit.status === VisitStatus.Handled) {
        const answer = form.get('resolved');
        if (answer !== 'yes' && answer !== 'no') {
          ctx.status = 400;
          ctx.type = 'html';
          ctx.body = resolutionPage(await pageVisit(deps, found.visit), found.visit.handlingOpinion ?? '', ctx.path);
          return;
        }
        await deps.lifecycle.run(found.visit.id, { type: 'answer_resolution', solved: answer === 'yes' }, resident);
        notice(ctx, 'thanks');
        return;
      }
      if (found.visit.recordedAt) {
        await deps.lifecycle.run(found.visit.id, { type: 'confirm_by_resident' }, resident);
        notice(ctx, 'thanks');
        return;
      }
      const values = {
        quality: Number(form.get('quality')) || undefined,
        effect: Number(form.get('effect')) || undefined,
        satisfaction: Number(form.get('satisfaction')) || undefined,
        shortcomings: form.getAll('shortcomings'),
        suggestions: form.get('suggestions')?.trim() || null,
        solved: form.get('solved') === 'yes' ? true : form.get('solved') === 'no' ? false : null,
      };
      const parsed = visitAnswersSchema.safeParse(values);
      if (!parsed.success) {
        const missing = fieldProblems(parsed.error).map((p) => FIELD_LABELS[p.field.split('.')[0]] ?? p.field);
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = surveyFormPage(await pageVisit(deps, found.visit), ctx.path, formValues(form), `请完成：${[...new Set(missing)].join('、')}`);
        return;
      }
      await deps.lifecycle.run(found.visit.id, { type: 'submit_resident_answers', answers: parsed.data, method: 'survey' }, resident);
      notice(ctx, 'thanks');
    } catch (err) {
      if (err instanceof DomainError && err.status === 409) return notice(ctx, err.code === 'visit_cancelled' ? 'cancelled' : 'answered');
      throw err;
    }
  });
  return router;
}

const FIELD_LABELS: Record<string, string> = {
  quality: '质量评价',
  effect: '服务效果评价',
  satisfaction: '满意程度评价',
  shortcomings: '缺点与不足',
  suggestions: '建议',
};

/** The survey form posts a few kilobytes; a larger body gets a page saying so (413), not JSON. */
async function readFormBody(ctx: Context): Promise<Buffer | null> {
  try {
    return await readRawBody(ctx, MAX_FORM_BYTES);
  } catch (err) {
    if (err instanceof DomainError && err.status === 413) {
      notice(ctx, 'too_large');
      return null;
    }
    throw err;
  }
}

const MAX_FORM_BYTES = 16 * 1024;

const NOTICE_STATUS: Partial<Record<NoticeKind, number>> = { expired: 410, invalid: 404, too_large: 413 };

function notice(ctx: Context, kind: NoticeKind): void {
  ctx.status = NOTICE_STATUS[kind] ?? 200;
  ctx.set('Content-Security-Policy', SURVEY_PAGE_POLICY);
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = noticePage(kind);
}

function formValues(form: URLSearchParams): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) values[key] = key === 'shortcomings' ? form.getAll(key) : (form.get(key) ?? '');
  return values;
}

async function pageVisit(deps: { dataSource: DataSource; defaultTimeZone: string }, visit: Visit): Promise<SurveyPageVisit> {
  const order = visit.workOrderId ? await deps.dataSource.getRepository(WorkOrder).findOneBy({ id: visit.workOrderId }) : null;
  const office = await deps.dataSource.getRepository(Office).findOneBy({ id: visit.officeId });
  const zone = office ? officeZone(office, deps.defaultTimeZone) : deps.defaultTimeZone;
  const completed = order?.completedAt ?? visit.opensAt;
  return {
    title: order?.title ?? order?.id ?? '',
    kindLabel: visitKindLabel(visit.kind as WorkOrderKind, visit.purpose as VisitPurpose),
    completedOn: formatLocalTime({ at: completed, zone }),
    record: visit.recordedAt
      ? {
          methodLabel: METHOD_LABELS[(visit.method ?? 'phone') as VisitMethodCode] ?? '',
          answers: [
            { label: '质量评价', value: LEVEL_LABELS[visit.quality as 1] ?? '' },
            { label: '服务效果评价', value: LEVEL_LABELS[visit.effect as 1] ?? '' },
            { label: '满意程度评价', value: SATISFACTION_LABELS[visit.satisfaction as 1] ?? '' },
            { label: '缺点与不足', value: (visit.shortcomings ?? []).map((c) => SHORTCOMING_LABELS[c as ShortcomingCode] ?? c).join('、') || '无' },
            ...(visit.suggestions ? [{ label: '建议', value: visit.suggestions }] : []),
          ],
        }
      : undefined,
  };
}
