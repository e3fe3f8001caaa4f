import { Clock } from '../clock';
import { DingtalkTokenCache } from '../channels/dingtalk/dingtalk-token';
import { GettokenAnswer, WecomTokenCache } from '../channels/wecom/wecom-token';
import { DingtalkSettings, WecomSettings } from '../config/config';

/**
 * Signing in with a chat identity (docs/api.md §Console): the browser goes to the platform's
 * authorization page and comes back to `redirectUri` with a one-time code; we exchange the code
 * server to server for the person's userid. Codes are single-use and short-lived on both
 * platforms (WeCom: 5 minutes), so they are never retried; a refused code is a failed sign-in.
 * The app's own access token is cached (WeCom: the one cache the channel and the sidebar share): a stream of sign-ins, or
 * of forged codes, costs the platform's token endpoint nothing.
 */
export interface ChatSignIn {
  platform: 'wecom' | 'dingtalk';
  /** Where the browser is sent, with our `state` (CSRF) and the way back. */
  authorizeUrl(redirectUri: string, state: string): string;
  /** The userid behind a code; `code` when the platform refuses the code, `outsider` for someone not in the organisation. */
  userIdOf(code: string): Promise<string | 'code' | 'outsider'>;
}

const TIMEOUT_MS = 8_000;

async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  try {
    const body: unknown = JSON.parse(text);
    return { status: res.status, body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {} };
  } catch {
    return { status: res.status, body: {} };
  }
}

/**
 * WeCom web authorization (网页授权, snsapi_base): open.weixin.qq.com/connect/oauth2/authorize,
 * then `GET /cgi-bin/auth/getuserinfo?access_token&code` → `userid` (members only; a
 * non-member's `openid` is refused). The redirect's domain must be the app's trusted domain.
 */
export function wecomSignIn(settings: WecomSettings, tokens: WecomTokenCache): ChatSignIn {
  const app = { corpId: settings.corpId, agentId: settings.agentId };
  return {
    platform: 'wecom',
    authorizeUrl: (redirectUri, state) =>
      `https://open.weixin.qq.com/connect/oauth2/authorize?${new URLSearchParams({
        appid: settings.corpId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
        agentid: String(settings.agentId),
      })}#wechat_redirect`,
    async userIdOf(code) {
      const token = await tokens.token(app, async () => (await getJson(`${settings.apiBase}/cgi-bin/gettoken?${new URLSearchParams({ corpid: settings.corpId, corpsecret: settings.corpSecret })}`)).body as GettokenAnswer);
      const info = await getJson(`${settings.apiBase}/cgi-bin/auth/getuserinfo?${new URLSearchParams({ access_token: token, code })}`);
      if (info.body.errcode === 40014 || info.body.errcode === 42001) {
        tokens.invalidate(app, token);
        throw new Error(`wecom token refused (errcode ${String(info.body.errcode)})`);
      }
      if (info.body.errcode !== 0) return 'code';
      // A non-member (a WeChat user, say) gets an openid and no userid.
      return typeof info.body.userid === 'string' && info.body.userid !== '' ? info.body.userid : 'outsider';
    },
  };
}

/**
 * DingTalk's OAuth 2 (login.dingtalk.com/oauth2/auth, scope openid): the code becomes a user
 * token (`POST /v1.0/oauth2/userAccessToken`), the token the person's unionId
 * (`GET /v1.0/contact/users/me`), and the unionId their userid in our organisation
 * (`POST oapi /topapi/user/getbyunionid` with the app's token).
 */
export function dingtalkSignIn(settings: DingtalkSettings, clock: Clock): ChatSignIn {
  const tokens = new DingtalkTokenCache({ clock });
  return {
    platform: 'dingtalk',
    authorizeUrl: (redirectUri, state) =>
      `https://login.dingtalk.com/oauth2/auth?${new URLSearchParams({
        redirect_uri: redirectUri,
        response_type: 'code',
        client_id: settings.appKey,
        scope: 'openid',
        state,
        prompt: 'consent',
        ...(settings.corpId ? { org_type: 'management', corpId: settings.corpId } : {}),
      })}`,
    async userIdOf(code) {
      const json = { 'content-type': 'application/json' };
      const user = await getJson(`${settings.apiBase}/v1.0/oauth2/userAccessToken`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ clientId: settings.appKey, clientSecret: settings.appSecret, code, grantType: 'authorization_code' }),
      });
      if (user.status !== 200 || typeof user.body.accessToken !== 'string') return 'code';
      const me = await getJson(`${settings.apiBase}/v1.0/contact/users/me`, { headers: { 'x-acs-dingtalk-access-token': user.body.accessToken } });
      if (me.status !== 200 || typeof me.body.unionId !== 'string') return 'code';
      const appToken = await tokens.token(settings.appKey, async () => {
        const app = await getJson(`${settings.apiBase}/v1.0/oauth2/accessToken`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ appKey: settings.appKey, appSecret: settings.appSecret }),
        });
        if (app.status !== 200) throw new Error(`dingtalk app token failed (HTTP ${app.status})`);
        return app.body;
      });
      const found = await getJson(`${settings.oapiBase}/topapi/user/getbyunionid?${new URLSearchParams({ access_token: appToken })}`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ unionid: me.body.unionId }),
      });
      if (found.body.errcode === 40014 || found.body.errcode === 42001) {
        tokens.invalidate(settings.appKey, appToken);
        throw new Error(`dingtalk token refused (errcode ${String(found.body.errcode)})`);
      }
      const result = found.body.result as { userid?: unknown } | undefined;
      if (found.body.errcode !== 0 || typeof result?.userid !== 'string') return 'outsider';
      return result.userid;
    },
  };
}
