import axios, { AxiosInstance } from 'axios';
import { AccessTokenCache } from '../channels/access-token-cache';
import { ChannelError } from '../channels/channel';
import { Clock } from '../clock';
import { log } from '../log';

/** A WeChat Official Account (公众号) as configured: `WECHAT_MP_APP_ID`, `WECHAT_MP_APP_SECRET`, `WECHAT_MP_API_BASE`. */
export interface OfficialAccountConfig {
  appId: string;
  appSecret: string;
  /** `https://api.weixin.qq.com` (a fake's URL in tests). */
  apiBase: string;
  /** Where WeChat's web authorisation page lives: `https://open.weixin.qq.com`. */
  oauthBase: string;
}

/** One template message (docs/wecom.md §11): to an openid, the template's fields, and the page it opens. */
export interface TemplateMessage {
  openId: string;
  templateId: string;
  url: string;
  data: Record<string, { value: string }>;
}

/** errcodes of the Official Account API (docs/wecom.md §11) and what they mean for us. */
const CONFIGURATION = new Set([40001, 40013, 40125, 40164, 41004, 48001, 61024]);
const TOKEN_LAPSED = new Set([40014, 42001]);
const NOT_REACHABLE = new Set([40003, 43004, 43101]);
const TEMPLATE_NOT_OWNED = new Set([40037]);

/**
 * The Official Account's server API as Huifang uses it: the access token (`cgi-bin/token`,
 * cached), template messages (`cgi-bin/message/template/send`) and the web authorisation's
 * code-for-openid exchange (`sns/oauth2/access_token`). Failures are `ChannelError`s, retried
 * only when they can pass; logs carry codes, never openids.
 */
export class OfficialAccountClient {
  private readonly http: AxiosInstance;
  private readonly tokens: AccessTokenCache;

  constructor(
    readonly config: OfficialAccountConfig,
    options: { clock?: Clock } = {},
  ) {
    this.http = axios.create({ baseURL: config.apiBase.replace(/\/+$/, ''), timeout: 10_000, validateStatus: () => true });
    this.tokens = new AccessTokenCache({ clock: options.clock, configurationHoldMs: 15 * 60_000 });
  }

  /** Sends a template message; its msgid. */
  async sendTemplate(message: TemplateMessage): Promise<string> {
    const body = { touser: message.openId, template_id: message.templateId, url: message.url, data: message.data };
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const answer = await this.call('POST', '/cgi-bin/message/template/send', { access_token: token }, body);
      if (answer.errcode === 0 || answer.errcode === undefined) return String(answer.msgid ?? '');
      if (TOKEN_LAPSED.has(answer.errcode) && attempt === 0) {
        this.tokens.invalidate(this.config.appId, token);
        continue;
      }
      throw mpError('template/send', answer.errcode);
    }
  }

  /** The openid behind a web-authorisation `code` (snsapi_base), or null when WeChat refuses the code. */
  async openIdOf(code: string): Promise<string | null> {
    const answer = await this.call('GET', '/sns/oauth2/access_token', { appid: this.config.appId, secret: this.config.appSecret, code, grant_type: 'authorization_code' });
    if (answer.errcode) {
      log.warn({ api: 'sns/oauth2/access_token', errcode: answer.errcode }, 'wechat web authorisation refused');
      return null;
    }
    return typeof answer.openid === 'string' && answer.openid !== '' ? answer.openid : null;
  }

  /** The address of WeChat's authorisation page that comes back to `redirectUri` with a code (silent, snsapi_base). */
  authorizeUrl(redirectUri: string, state: string): string {
    const query = new URLSearchParams({ appid: this.config.appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state });
    return `${this.config.oauthBase.replace(/\/+$/, '')}/connect/oauth2/authorize?${query}#wechat_redirect`;
  }

  private token(): Promise<string> {
    return this.tokens.token(this.config.appId, async () => {
      const answer = await this.call('GET', '/cgi-bin/token', { grant_type: 'client_credential', appid: this.config.appId, secret: this.config.appSecret });
      if (answer.errcode || typeof answer.access_token !== 'string') throw mpError('token', answer.errcode ?? -1);
      return { value: answer.access_token, expiresInSeconds: Number(answer.expires_in ?? 7200) };
    });
  }

  private async call(method: 'GET' | 'POST', path: string, params: Record<string, string>, body?: unknown): Promise<Record<string, any> & { errcode?: number }> {
    try {
      const res = await this.http.request({ method, url: path, params, data: body });
      if (res.status >= 500 || res.status === 429) throw new ChannelError('unavailable', `wechat ${path} answered HTTP ${res.status}`, true, `http_${res.status}`);
      if (typeof res.data !== 'object' || res.data === null) throw new ChannelError('unavailable', `wechat ${path} answered without JSON`, true, `http_${res.status}`);
      return res.data as Record<string, any>;
    } catch (err) {
      if (err instanceof ChannelError) throw err;
      throw new ChannelError('unavailable', `wechat ${path} failed: ${axios.isAxiosError(err) ? (err.code ?? 'network') : 'network'}`, true);
    }
  }
}

/** The one mapping from an Official Account errcode to a `ChannelError`. */
export function mpError(api: string, errcode: number): ChannelError {
  const what = `wechat ${api} answered errcode ${errcode}`;
  if (errcode === 45009 || errcode === 45047) return new ChannelError('rate_limited', what, true, errcode, 60_000);
  if (errcode === -1 || TOKEN_LAPSED.has(errcode)) return new ChannelError('unavailable', what, true, errcode);
  if (NOT_REACHABLE.has(errcode)) return new ChannelError('unknown_recipient', what, false, errcode);
  if (TEMPLATE_NOT_OWNED.has(errcode) || CONFIGURATION.has(errcode)) return new ChannelError('configuration', what, false, errcode);
  return new ChannelError('bad_request', what, false, errcode);
}
