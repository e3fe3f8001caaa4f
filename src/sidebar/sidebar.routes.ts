import Router from '@koa/router';
import { Context } from 'koa';
import { z } from 'zod';
import { StaffMember } from '../../entities';
import { ChannelError } from '../channels/channel';
import { WecomClient } from '../channels/wecom/wecom.client';
import { WecomJsapiTickets } from '../channels/wecom/wecom-jsapi-tickets';
import { Clock } from '../clock';
import { DomainError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { SignedLinks } from '../survey/signed-link';
import { answersBody, recordBody } from '../visits/visit-actions.routes';
import { SIDEBAR_SCRIPT } from './sidebar-script';
import { SIDEBAR_NOTICE_POLICY, SIDEBAR_SCRIPT_PATH, sidebarNotice, sidebarPage, sidebarPolicy } from './sidebar-page';
import { SidebarService } from './sidebar.service';
import { SURVEY_LINK_PICTURE, SURVEY_LINK_PICTURE_PATH } from './survey-link-picture';

/** How long a sidebar session (the page's proof of who opened it) lasts: a working day. */
const SESSION_SECONDS = 12 * 3600;
export const SIDEBAR_PATH = '/sidebar';

const signature = z.object({ timestamp: z.number().int().nonnegative(), nonceStr: z.string().min(1).max(64), signature: z.string().regex(/^[0-9a-f]{40}$/, 'must be 40 hex digits') });
const signaturesBody = z.object({ url: z.string().min(1).max(2048), failed: signature.extend({ kind: z.enum(['corp', 'agent']) }).nullish() });
const sentBody = z.object({ sendId: z.string().min(1).max(64) });

export interface SidebarDeps {
  clock: Clock;
  links: SignedLinks;
  sidebar: SidebarService;
  client: WecomClient;
  tickets: WecomJsapiTickets;
  wecom: { corpId: string; agentId: number; jssdkUrl: string };
  publicBaseUrl: string;
}

/**
 * The WeCom chat sidebar (聊天工具栏, docs/api.md §2): `GET /sidebar` identifies the staff member
 * through WeCom's OAuth (`code` → `auth/getuserinfo`, never a userid from the query) and serves
 * the page with a signed session; the page's calls under `/sidebar/api/` carry that session.
 */
export function sidebarRoutes(deps: SidebarDeps): Router {
  const router = new Router();
  const publicSidebar = new URL(`${deps.publicBaseUrl.replace(/\/+$/, '')}${SIDEBAR_PATH}`);

  router.get(SIDEBAR_SCRIPT_PATH, (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = SIDEBAR_SCRIPT;
  });
  router.get(SURVEY_LINK_PICTURE_PATH, (ctx) => {
    ctx.type = 'image/png';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = SURVEY_LINK_PICTURE;
  });

  router.get(SIDEBAR_PATH, async (ctx) => {
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    if (code === '') return ctx.redirect(oauthUrl(deps.wecom, publicSidebar.toString(), 'hf'));
    let userId: string | null;
    try {
      userId = await deps.client.userIdOfCode(code);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      // A used or stale code (a reload, a page left open): ask WeCom for a fresh one, once.
      if (error.reason === 'bad_request' && state !== 'again') return ctx.redirect(oauthUrl(deps.wecom, publicSidebar.toString(), 'again'));
      return notice(ctx, error.reason === 'bad_request' ? 401 : 503, 'identity_unavailable', '无法确认你的身份', error.reason === 'bad_request' ? '企业微信没有确认这次打开，请关闭侧边栏后重新打开。' : '企业微信暂时无法确认身份，请稍后重新打开侧边栏。');
    }
    if (userId === null) return notice(ctx, 403, 'not_member', '你不是本企业的成员', '回访工具栏只供企业成员在与住户聊天时使用。');
    let staff: StaffMember[];
    try {
      staff = await deps.sidebar.staffOf(userId);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_staff') {
        return notice(ctx, 403, 'not_staff', '你不在回访人员名单中', '你不是任何服务中心的在职回访人员（可能已调离或离职）。如有疑问，请联系主管。');
      }
      throw error;
    }
    const session = deps.links.issue({ visitId: 0, purpose: 'sidebar', staffId: userId }, deps.clock.now(), SESSION_SECONDS);
    ctx.set('Content-Security-Policy', sidebarPolicy(deps.wecom.jssdkUrl));
    ctx.type = 'html';
    ctx.body = sidebarPage({ session, staffName: staff[0]!.name, jssdkUrl: deps.wecom.jssdkUrl });
  });

  router.post(`${SIDEBAR_PATH}/api/signatures`, async (ctx) => {
    await staffOf(ctx);
    const body = validate(signaturesBody, parseJsonBody(ctx, await readRawBody(ctx)));
    let page: URL;
    try {
      page = new URL(body.url);
    } catch {
      throw new DomainError('invalid_request', 'url: must be the sidebar page URL', 400, [{ field: 'url', message: 'must be the sidebar page URL' }]);
    }
    // Only our own sidebar page is signed, as WeCom opened it (behind a proxy: PUBLIC_BASE_URL).
    if (page.pathname !== publicSidebar.pathname || ![publicSidebar.origin, `${ctx.protocol}://${ctx.host}`].includes(page.origin)) {
      throw new DomainError('invalid_request', 'url: must be the sidebar page URL', 400, [{ field: 'url', message: 'must be the sidebar page URL' }]);
    }
    const url = body.url.split('#')[0]!;
    const failed = body.failed ?? null;
    try {
      const [corp, agent] = await Promise.all([
        deps.tickets.sign('corp', url, failed?.kind === 'corp' ? failed : undefined),
        deps.tickets.sign('agent', url, failed?.kind === 'agent' ? failed : undefined),
      ]);
      ctx.body = { corp: { appId: deps.wecom.corpId, ...corp }, agent: { corpid: deps.wecom.corpId, agentid: deps.wecom.agentId, ...agent } };
    } catch (error) {
      if (error instanceof ChannelError) throw new DomainError('wecom_unavailable', `WeCom did not issue a JS-SDK ticket (${error.reason})`, 503);
      throw error;
    }
  });

  router.get(`${SIDEBAR_PATH}/api/contacts/:externalUserId/visits`, async (ctx) => {
    const staff = await staffOf(ctx);
    const externalUserId = String(ctx.params.externalUserId);
    if (externalUserId.length === 0 || externalUserId.length > 64) throw new DomainError('contact_unknown', 'no resident of your offices has this WeCom customer id', 404);
    ctx.body = await deps.sidebar.contactVisits(staff, externalUserId);
  });

  router.post(`${SIDEBAR_PATH}/api/visits/:id/survey-link`, async (ctx) => {
    ctx.body = await deps.sidebar.surveyLink(await staffOf(ctx), Number(ctx.params.id));
  });

  router.post(`${SIDEBAR_PATH}/api/visits/:id/survey-link/sent`, async (ctx) => {
    const staff = await staffOf(ctx);
    const body = validate(sentBody, parseJsonBody(ctx, await readRawBody(ctx)));
    await deps.sidebar.linkSent(staff, Number(ctx.params.id), body.sendId);
    ctx.body = { sent: true };
  });

  router.post(`${SIDEBAR_PATH}/api/visits/:id/record`, async (ctx) => {
    const staff = await staffOf(ctx);
    const id = Number(ctx.params.id);
    const kind = await deps.sidebar.kindOf(staff, id);
    // The admin API's record body, by the visit's question set; the staff member is the session's.
    const body = validate(answersBody(recordBody, kind).omit({ staffId: true }), parseJsonBody(ctx, await readRawBody(ctx))) as Omit<z.output<typeof recordBody>, 'staffId'>;
    await deps.sidebar.record(staff, id, body);
    ctx.body = { recorded: true };
  });

  /** The staff rows of the session's WeCom userid, checked on every call. */
  async function staffOf(ctx: Context): Promise<StaffMember[]> {
    const token = ctx.get('x-sidebar-session');
    const check = token ? deps.links.check(token, deps.clock.now()) : null;
    if (!check?.ok || check.grant.purpose !== 'sidebar' || !check.grant.staffId) {
      throw new DomainError('session_expired', 'the sidebar session is missing or expired: open the sidebar again', 401);
    }
    return deps.sidebar.staffOf(check.grant.staffId);
  }

  return router;
}

/** WeCom's OAuth for a page inside WeCom (silent, `snsapi_base`): it returns to `redirect` with `code` and `state`. */
export function oauthUrl(app: { corpId: string; agentId: number }, redirect: string, state: string): string {
  const query = new URLSearchParams({ appid: app.corpId, redirect_uri: redirect, response_type: 'code', scope: 'snsapi_base', state, agentid: String(app.agentId) });
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${query}#wechat_redirect`;
}

function notice(ctx: Context, status: number, kind: string, title: string, text: string): void {
  ctx.status = status;
  ctx.set('Content-Security-Policy', SIDEBAR_NOTICE_POLICY);
  ctx.type = 'html';
  ctx.body = sidebarNotice({ title, text, kind });
}
