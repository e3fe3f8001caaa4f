import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { Visit, VisitStatus } from '../../entities';
import { Clock } from '../clock';
import { ConflictError, DomainError } from '../errors';
import { readRawBody } from '../http/read-body';
import { log as rootLog, Logger } from '../log';
import { LinkGrant, SignedLinks } from '../survey/signed-link';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { FieldErrors, formValues, parseHandleForm, parseRecordForm, parseReviewForm } from './staff-form-input';
import { staffFormMode, StaffFormMode } from './staff-form-mode';
import { DoneKind, donePage, handleFormPage, recordFormPage, reviewFormPage, STAFF_FORM_PAGE_POLICY, staffNoticePage, StaffNoticeKind, viewPage } from './staff-form-page';
import { loadStaffFormView, STATUS_LABELS } from './staff-form-view';
import { parseWarrantyRecordForm } from './warranty-form-input';
import { warrantyRecordFormPage } from './warranty-form-page';

/** What the staff form needs from the composition root (src/server.ts has each of these). */
export interface StaffFormDeps {
  dataSource: DataSource;
  clock: Clock;
  links: SignedLinks;
  lifecycle: VisitLifecycle;
  /** TZ_DEFAULT: the zone of offices that name none, for the times the pages show. */
  defaultTimeZone: string;
  /** Defaults to the process logger. */
  log?: Logger;
  /** A campaign call's own form (docs/rules.md §8): its visits are handed to it. */
  campaignForm?: {
    show(ctx: Context, access: { visitId: number; canRecord: boolean }): Promise<void>;
    post(ctx: Context, access: { visitId: number; staffId: string }, form: URLSearchParams): Promise<void>;
  };
}

/** Form posts are a few kilobytes of text; anything larger is not from this form. */
const MAX_FORM_BYTES = 32 * 1024;

type Access = NonNullable<Awaited<ReturnType<typeof loadStaffFormView>>> & { grant: LinkGrant; mode: StaffFormMode };

/**
 * `GET /f/:token` and `POST /f/:token`: the staff web form behind the buttons of staff cards
 * (填写记录, the supervisor's 审核意见, the manager's 处理意见). The token is a signed link bound to
 * one visit and one staff member for 7 days. What the page offers follows the visit's status
 * and the person's roles (staffFormMode); the visit lifecycle checks both again when writing.
 * A forged link gets a 404 page, an expired one a 410 page, a step already taken a 409 page:
 * always a page in Chinese, never an error trace. Logs carry ids only: no names, no free text,
 * and not the token (it is a credential).
 */
export function staffFormRoutes(deps: StaffFormDeps): Router {
  const router = new Router();
  const log = (deps.log ?? rootLog).child({ route: 'staff-form' });

  const resolve = async (ctx: Context): Promise<Access | null> => {
    const check = deps.links.check(String(ctx.params.token), deps.clock.now());
    if (!check.ok) return refuse(ctx, check.reason === 'expired' ? 'expired' : 'invalid');
    // A survey link is the resident's: it opens nothing here.
    const { grant } = check;
    if (grant.purpose !== 'record' || typeof grant.staffId !== 'string' || grant.staffId === '') return refuse(ctx, 'invalid');
    const found = await loadStaffFormView(deps, grant.visitId, grant.staffId);
    if (!found) return refuse(ctx, 'invalid');
    // Someone no longer on the office's active staff keeps no access through old links.
    if (!found.staff) return refuse(ctx, 'forbidden');
    const mode = staffFormMode(await deps.lifecycle.allowedActions(found.visit.id, grant.staffId));
    return { ...found, grant, mode };
  };

  router.get('/f/:token', async (ctx) => {
    await guarded(ctx, log, async () => {
      const access = await resolve(ctx);
      if (!access) return;
      const { view, mode } = access;
      if (access.visit.kind === 'campaign' && deps.campaignForm) return deps.campaignForm.show(ctx, { visitId: access.visit.id, canRecord: mode === 'record' });
      html(ctx, 200, mode === 'view' ? viewPage(view) : formPage(mode, view)(view, ctx.path));
    });
  });

  router.post('/f/:token', async (ctx) => {
    await guarded(ctx, log, async () => {
      const access = await resolve(ctx);
      if (!access) return;
      const form = new URLSearchParams((await readRawBody(ctx, MAX_FORM_BYTES)).toString('utf8'));
      if (access.visit.kind === 'campaign' && deps.campaignForm) return deps.campaignForm.post(ctx, { visitId: access.visit.id, staffId: access.grant.staffId! }, form);
      const step = form.get('step');
      if (step !== 'record' && step !== 'review' && step !== 'handle') return notice(ctx, 'bad_request');
      const { view, visit, grant, mode } = access;
      const staffId = grant.staffId!;
      try {
        const outcome = await takeStep(deps.lifecycle, step, form, visit.id, staffId, view.warranty);
        if ('errors' in outcome) {
          // Show the form again only while the page still offers it; else the visit moved on.
          if (step !== mode) return notice(ctx, 'conflict', { statusLabel: view.statusLabel, viewUrl: ctx.path });
          return html(ctx, 400, formPage(step, view)(view, ctx.path, formValues(form), outcome.errors));
        }
        log.info({ visitId: visit.id, step, outcome: outcome.done }, 'staff form step taken');
        html(ctx, 200, donePage(outcome.done, ctx.path));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        // Another tap, person or instance got there first, or the step is not this person's.
        log.info({ visitId: visit.id, step, code: err.code }, 'staff form step refused');
        const current = await deps.dataSource.getRepository(Visit).findOneBy({ id: visit.id });
        const statusLabel = current ? STATUS_LABELS[current.status] : undefined;
        if (err instanceof ConflictError) return notice(ctx, conflictNotice(err.code), { statusLabel, viewUrl: ctx.path });
        if (err.status === 403) return notice(ctx, 'forbidden', { statusLabel, viewUrl: ctx.path });
        if (err.status === 404) return notice(ctx, 'invalid');
        throw err;
      }
    });
  });

  return router;
}

const STATUS_OF: Record<StaffNoticeKind, number> = {
  invalid: 404,
  expired: 410,
  forbidden: 403,
  conflict: 409,
  cancelled: 409,
  not_recordable: 409,
  archived: 409,
  too_large: 413,
  bad_request: 400,
  failed: 500,
};

type Step = 'record' | 'review' | 'handle';

const FORM_PAGES: Record<Step, typeof recordFormPage> = { record: recordFormPage, review: reviewFormPage, handle: handleFormPage };

/** The page of a step: a warranty visit is recorded with its own questions (docs/rules.md §7). */
function formPage(step: Step, view: { warranty: boolean }): typeof recordFormPage {
  return step === 'record' && view.warranty ? warrantyRecordFormPage : FORM_PAGES[step];
}

/**
 * Validates the posted step and takes it through the visit lifecycle, which checks the person's
 * role and the visit's status again under the row lock (a step offered a moment ago may be
 * refused now: 409). A step the page did not offer goes to the service too, so the refusal
 * says why (403 not theirs, 409 already done).
 */
async function takeStep(
  lifecycle: VisitLifecycle,
  step: Step,
  form: URLSearchParams,
  visitId: number,
  staffId: string,
  warranty: boolean,
): Promise<{ errors: FieldErrors } | { done: DoneKind }> {
  if (step === 'record') {
    const input = warranty ? parseWarrantyRecordForm(form) : parseRecordForm(form);
    if (!input.ok) return { errors: input.errors };
    const { visit } = await lifecycle.run(visitId, { type: 'record', ...input.value }, { kind: 'staff', id: staffId });
    return { done: visit.status === VisitStatus.Unqualified ? 'recorded_unqualified' : 'recorded' };
  }
  if (step === 'review') {
    const input = parseReviewForm(form);
    if (!input.ok) return { errors: input.errors };
    await lifecycle.run(visitId, { type: 'review', ...input.value }, { kind: 'staff', id: staffId });
    return { done: input.value.verdict === 'ok' ? 'reviewed_ok' : 'reviewed_unqualified' };
  }
  const input = parseHandleForm(form);
  if (!input.ok) return { errors: input.errors };
  await lifecycle.run(visitId, { type: 'handle', ...input.value }, { kind: 'staff', id: staffId });
  return { done: 'handled' };
}

function conflictNotice(code: string): StaffNoticeKind {
  if (code === 'visit_cancelled') return 'cancelled';
  if (code === 'not_recordable') return 'not_recordable';
  if (code === 'quarter_archived') return 'archived';
  return 'conflict';
}

function refuse(ctx: Context, kind: StaffNoticeKind): null {
  notice(ctx, kind);
  return null;
}

function html(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  // The form's own CSP; no-store, no-referrer and nosniff come with every HTML answer (pageHeaders).
  ctx.set('Content-Security-Policy', STAFF_FORM_PAGE_POLICY);
  ctx.body = body;
}

function notice(ctx: Context, kind: StaffNoticeKind, options: { statusLabel?: string; viewUrl?: string } = {}): void {
  html(ctx, STATUS_OF[kind], staffNoticePage(kind, options));
}

/**
 * Runs a handler so that whatever goes wrong ends as a page: an oversized body gets its page,
 * anything unexpected a 500 page. The log names the error, never the path (which holds the
 * token) nor anything posted.
 */
async function guarded(ctx: Context, log: Logger, handler: () => Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (err) {
    if (err instanceof DomainError && err.status === 413) return notice(ctx, 'too_large');
    if (err instanceof DomainError && err.status < 500) return notice(ctx, 'bad_request');
    log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'staff form failed');
    notice(ctx, 'failed');
  }
}
