import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { Office, Visit, VisitStatus, WorkOrder } from '../../entities';
import { DateTime } from 'luxon';
import { METHOD_LABELS, SERVICE_LABELS, VisitMethodCode } from '../../cards/components/labels';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import { readRawBody } from '../http/read-body';
import { officeZone } from '../offices/office-zone';
import { LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { WorkOrderKind } from '../rules/kinds';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS, ShortcomingCode } from '../rules/shortcomings';
import { visitAnswersSchema } from '../visits/visit-answers';
import { ActorRef, VisitLifecycle } from '../visits/visit-lifecycle.service';
import { SignedLinks } from './signed-link';
import { SURVEY_SCRIPT, SURVEY_SCRIPT_PATH } from './survey-assets';
import { AnswerRow, confirmRecordPage, noticePage, NoticeKind, resolutionPage, SURVEY_PAGE_POLICY, SurveyErrors, SurveyPageVisit, surveyFormPage, SurveyValues } from './survey-page';

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
  /** Learns the resident's Official Account openid when the page opens inside WeChat (src/wechat/web-auth.ts). */
  webAuthorisation?: { redirect(ctx: Context, visit: Visit): Promise<boolean> } | null;
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
    // Opened again after answering: the answers given (or the record confirmed) are shown.
    if (visit.status !== VisitStatus.Handled && visit.recordedAt && visit.residentConfirmedAt) {
      const byResident = visit.recordedBy?.startsWith('resident:') ?? false;
      notice(ctx, 'answered', { visit: await pageVisit(deps, visit), answersTitle: byResident ? '您的评价' : '您确认的回访记录', answers: answerRows(visit) });
      return null;
    }
    // A visit the staff make: the resident's own answers are kept as feedback, and shown.
    if (!visit.recordedAt && visit.residentFeedback?.via.startsWith('survey:')) {
      notice(ctx, 'answered', { visit: await pageVisit(deps, visit), answersTitle: '您的评价', answers: answerRows(visit.residentFeedback) });
      return null;
    }
    return { visit, grant: check.grant };
  };

  // The survey pages' one script, as a file: no inline script (see survey-assets.ts).
  router.get(SURVEY_SCRIPT_PATH, (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = SURVEY_SCRIPT;
  });

  router.get('/s/:token', async (ctx) => {
    ctx.set('Content-Security-Policy', SURVEY_PAGE_POLICY);
    const found = await resolve(ctx);
    if (!found) return;
    if (await deps.webAuthorisation?.redirect(ctx, found.visit)) return;
    const view = await pageVisit(deps, found.visit);
    ctx.type = 'html';
    ctx.body =
      found.visit.status === VisitStatus.Handled
        ? resolutionPage(view, found.visit.handlingOpinion ?? '', ctx.path)
        : found.visit.recordedAt
          ? confirmRecordPage(view, ctx.path)
          : surveyFormPage(view, ctx.path, valuesOf(found.visit));
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
          ctx.body = resolutionPage(await pageVisit(deps, found.visit), found.visit.handlingOpinion ?? '', ctx.path, '请选择「已解决」或「仍未解决」');
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
      const errors = surveyErrors(form);
      const parsed = visitAnswersSchema.safeParse({
        quality: Number(form.get('quality')) || undefined,
        effect: Number(form.get('effect')) || undefined,
        satisfaction: Number(form.get('satisfaction')) || undefined,
        shortcomings: form.getAll('shortcomings'),
        suggestions: form.get('suggestions')?.trim() || null,
        solved: form.get('solved') === 'yes' ? true : form.get('solved') === 'no' ? false : null,
      });
      if (Object.keys(errors).length > 0 || !parsed.success) {
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = surveyFormPage(await pageVisit(deps, found.visit), ctx.path, formValues(form), Object.keys(errors).length > 0 ? errors : { shortcomings: '请重新选择' });
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

/**
 * What is wrong with a submitted survey, per question, in the resident's words. The same rules
 * as the cards: every rating chosen, at least one shortcoming (or 无), and 无 alone.
 */
function surveyErrors(form: URLSearchParams): SurveyErrors {
  const errors: SurveyErrors = {};
  const level = (name: 'quality' | 'effect' | 'satisfaction', what: string) => {
    if (!/^[1-5]$/.test(form.get(name) ?? '')) errors[name] = `请选择${what}`;
  };
  level('quality', '质量评价');
  level('effect', '服务效果评价');
  level('satisfaction', '满意程度');
  const ticked = form.getAll('shortcomings').filter((c) => (SHORTCOMING_CODES as readonly string[]).includes(c));
  if (ticked.length === 0) errors.shortcomings = '请至少选一项；没有不足请选「无」';
  else if (ticked.includes('none') && ticked.length > 1) errors.shortcomings = '「无」不能和其他项同时选，请去掉「无」或其他项';
  if ((form.get('suggestions') ?? '').trim().length > 2000) errors.suggestions = '建议最多写 2000 字';
  return errors;
}

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

function notice(ctx: Context, kind: NoticeKind, shown?: Parameters<typeof noticePage>[1]): void {
  ctx.status = NOTICE_STATUS[kind] ?? 200;
  ctx.set('Content-Security-Policy', SURVEY_PAGE_POLICY);
  ctx.type = 'html';
  ctx.body = noticePage(kind, shown);
}

/** Answers given so far (in chat, say), as the form's values: the page starts from them. */
function valuesOf(visit: Visit): SurveyValues {
  const values: SurveyValues = {};
  if (visit.quality) values.quality = String(visit.quality);
  if (visit.effect) values.effect = String(visit.effect);
  if (visit.satisfaction) values.satisfaction = String(visit.satisfaction);
  if (visit.shortcomings?.length) values.shortcomings = visit.shortcomings;
  if (visit.solved !== null && visit.solved !== undefined) values.solved = visit.solved ? 'yes' : 'no';
  if (visit.suggestions) values.suggestions = visit.suggestions;
  return values;
}

type Answered = Pick<Visit, 'quality' | 'effect' | 'satisfaction' | 'shortcomings' | 'suggestions' | 'solved'>;

/** The five items and "solved?" as rows, in the labels of the paper form. */
function answerRows(a: Answered): AnswerRow[] {
  return [
    { label: '质量评价', value: LEVEL_LABELS[a.quality as 1] ?? '未填' },
    { label: '服务效果评价', value: LEVEL_LABELS[a.effect as 1] ?? '未填' },
    { label: '满意程度评价', value: SATISFACTION_LABELS[a.satisfaction as 1] ?? '未填' },
    { label: '缺点与不足', value: (a.shortcomings ?? []).map((c) => SHORTCOMING_LABELS[c as ShortcomingCode] ?? c).join('、') || '未填' },
    ...(a.solved === true || a.solved === false ? [{ label: '问题是否已解决', value: a.solved ? '已解决' : '未解决' }] : []),
    ...(a.suggestions ? [{ label: '建议', value: a.suggestions }] : []),
  ];
}

function formValues(form: URLSearchParams): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) values[key] = key === 'shortcomings' ? form.getAll(key) : (form.get(key) ?? '');
  return values;
}

async function pageVisit(deps: { dataSource: DataSource; defaultTimeZone: string; clock: Clock }, visit: Visit): Promise<SurveyPageVisit> {
  const order = visit.workOrderId ? await deps.dataSource.getRepository(WorkOrder).findOneBy({ id: visit.workOrderId }) : null;
  const office = await deps.dataSource.getRepository(Office).findOneBy({ id: visit.officeId });
  const zone = office ? officeZone(office, deps.defaultTimeZone) : deps.defaultTimeZone;
  const done = order?.completedAt ?? visit.opensAt;
  return {
    officeName: office?.name ?? '',
    whatHappened: `${whenDone(done, deps.clock.now(), zone)} 完成的${SERVICE_LABELS[visit.kind as WorkOrderKind] ?? '服务'}：${order?.title ?? order?.id ?? visit.workOrderId ?? ''}`,
    record: visit.recordedAt ? { methodLabel: METHOD_LABELS[(visit.method ?? 'phone') as VisitMethodCode] ?? '回访', answers: answerRows(visit) } : undefined,
  };
}

/**
 * When the work was done, as a resident says it, on the office's calendar: "3 日 09:40" within
 * this month, "11 月 26 日 15:10" within this year, with the year before that.
 */
export function whenDone(at: Date, now: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  const today = DateTime.fromJSDate(now, { zone });
  if (local.hasSame(today, 'month')) return local.toFormat('d 日 HH:mm');
  if (local.hasSame(today, 'year')) return local.toFormat('M 月 d 日 HH:mm');
  return local.toFormat('yyyy 年 M 月 d 日 HH:mm');
}
