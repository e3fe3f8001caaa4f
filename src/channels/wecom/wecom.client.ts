import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { ChannelError } from '../channel';
import { Clock } from '../../clock';
import { log } from '../../log';
import { WecomConfig } from './wecom.config';
import { WecomApi, wecomError, wecomHttpError } from './wecom-errors';
import { GettokenAnswer, WecomTokenCache } from './wecom-token';

/** The pino-like logger the client writes to; only codes and counts, never people or text. */
export interface WecomLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Successful answer of `message/send` (errcode 0). `|`-joined lists, lower-cased userids. */
export interface WecomSendAnswer {
  errcode: number;
  errmsg?: string;
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  msgid?: string;
  response_code?: string;
}

/** Answer of `externalcontact/get_groupmsg_send_result`. */
export interface GroupMsgSendResult {
  errcode: number;
  next_cursor?: string;
  send_list?: { external_userid?: string; chat_id?: string; userid: string; status: number; send_time?: number }[];
}

/** Successful answer of `message/update_template_card`; `invaliduser` is an array here. */
export interface WecomUpdateAnswer {
  errcode: number;
  errmsg?: string;
  invaliduser?: string[];
}

export interface WecomClientOptions {
  /** Share one cache between clients of the same app; default: a cache of its own. */
  tokens?: WecomTokenCache;
  /** Clock of the default token cache. */
  clock?: Clock;
  logger?: WecomLogger;
}

/** Token errcodes that a fresh token can cure. */
const TOKEN_LAPSED = new Set([40014, 42001]);

/**
 * Thin HTTP client of the WeCom server API: one axios instance with a timeout, the access
 * token in the query string, and every failure turned into a `ChannelError` by errcode.
 * Invariant: a call is sent at most twice — the second time only after WeCom rejected the
 * token (so the first copy was certainly not acted on). It never retries anything else;
 * back-off belongs to the outbox.
 */
export class WecomClient {
  private readonly http: AxiosInstance;
  private readonly tokens: WecomTokenCache;
  private readonly logger: WecomLogger;

  constructor(
    private readonly config: WecomConfig,
    options: WecomClientOptions = {},
  ) {
    this.http = axios.create({
      baseURL: config.apiBase.replace(/\/+$/, ''),
      timeout: config.timeoutMs ?? 10_000,
      // Every status is judged below, so axios never throws an error carrying our URL
      // (and with it the token) into someone's log.
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/json' },
    });
    this.tokens = options.tokens ?? new WecomTokenCache({ clock: options.clock });
    this.logger = options.logger ?? log.child({ channel: 'wecom' });
  }

  /** `POST /cgi-bin/message/send`. Throws `ChannelError`; resolves only on errcode 0. */
  sendMessage(body: Record<string, unknown>): Promise<WecomSendAnswer> {
    return this.withToken('message/send', body) as Promise<WecomSendAnswer>;
  }

  /** `POST /cgi-bin/message/update_template_card`. Throws `ChannelError` (60140 → `expired`). */
  updateTemplateCard(body: Record<string, unknown>): Promise<WecomUpdateAnswer> {
    return this.withToken('message/update_template_card', body) as Promise<WecomUpdateAnswer>;
  }

  /**
   * `POST` to a group robot's webhook URL (`…/cgi-bin/webhook/send?key=…`). No access
   * token: the key in the URL is the credential, so the URL is never logged.
   */
  /**
   * `POST /cgi-bin/externalcontact/add_msg_template`: a customer-contact message that the
   * sending staff member confirms in WeCom before it reaches the WeChat customer (docs/wecom.md §7).
   * Throws `ChannelError`; `fail_list` names customers it could not be addressed to.
   */
  addMsgTemplate(body: Record<string, unknown>): Promise<{ errcode: number; msgid?: string; fail_list?: string[] }> {
    return this.withToken('externalcontact/add_msg_template', body) as Promise<{ errcode: number; msgid?: string; fail_list?: string[] }>;
  }

  /**
   * `POST /cgi-bin/externalcontact/get_groupmsg_send_result` (docs/wecom.md §7.1): what became
   * of a mass-send task for one member's customers — per customer `status` 0 not sent,
   * 1 sent, 2 not a friend, 3 already received another mass message (the cap). One page of
   * up to 1000; a task for one customer fits in it.
   */
  groupMsgSendResult(msgid: string, userid: string): Promise<GroupMsgSendResult> {
    return this.withToken('externalcontact/get_groupmsg_send_result', { msgid, userid, limit: 1000 }) as Promise<GroupMsgSendResult>;
  }

  /** `POST /cgi-bin/externalcontact/remind_groupmsg_send`: WeCom notifies the member again (at most 3 times per task in 24 h). */
  async remindGroupMsgSend(msgid: string): Promise<void> {
    await this.withToken('externalcontact/remind_groupmsg_send', { msgid });
  }

  /**
   * A JS-SDK ticket for the chat sidebar: the company's (`GET /cgi-bin/get_jsapi_ticket`, signs
   * `wx.config`) or the app's (`GET /cgi-bin/ticket/get?type=agent_config`, signs `wx.agentConfig`).
   * Throws `ChannelError`; never logs the ticket.
   */
  async jsapiTicket(kind: 'corp' | 'agent'): Promise<{ ticket: string; expiresIn: number }> {
    const api = kind === 'corp' ? 'get_jsapi_ticket' : 'ticket/get';
    const answer = (await this.getWithToken(api, kind === 'corp' ? {} : { type: 'agent_config' })) as { ticket?: unknown; expires_in?: unknown };
    if (typeof answer.ticket !== 'string' || answer.ticket === '') throw new ChannelError('unavailable', `wecom ${api} answered without ticket`, true);
    return { ticket: answer.ticket, expiresIn: typeof answer.expires_in === 'number' ? answer.expires_in : 7200 };
  }

  /**
   * `GET /cgi-bin/auth/getuserinfo`: who opened a page through WeCom's OAuth, by the single-use
   * `code` (5 min). A member's `userid`, or null for someone outside the directory (WeCom then
   * answers an `openid`). An unknown or used code throws `bad_request` (errcode 40029).
   */
  async userIdOfCode(code: string): Promise<string | null> {
    const answer = (await this.getWithToken('auth/getuserinfo', { code })) as { userid?: unknown; UserId?: unknown };
    const userId = answer.userid ?? answer.UserId;
    return typeof userId === 'string' && userId !== '' ? userId : null;
  }

  async robotSend(webhookUrl: string, body: Record<string, unknown>): Promise<void> {
    const answer = await this.request('webhook/send', () => this.http.post(webhookUrl, body));
    if (answer.errcode !== 0) throw this.failed('webhook/send', answer);
  }

  private withToken(api: WecomApi, body: Record<string, unknown>): Promise<{ errcode: number }> {
    return this.tokenRetried(api, (token) => this.post(api, token, body));
  }

  /** A GET with the token in the query string, retried like `withToken`. */
  private getWithToken(api: WecomApi, params: Record<string, string>): Promise<{ errcode: number }> {
    return this.tokenRetried(api, (token) => this.request(api, () => this.http.get(`/cgi-bin/${api}`, { params: { access_token: token, ...params } })));
  }

  private async tokenRetried(api: WecomApi, call: (token: string) => Promise<{ errcode: number }>): Promise<{ errcode: number }> {
    const token = await this.token();
    const first = await call(token);
    if (first.errcode === 0) return first;
    // Why one refetch and one retry: 40014/42001 mean WeCom rejected the token before looking
    // at the message (it can revoke a token before expires_in), so resending cannot duplicate
    // it. A business-call 40001 gets the same single chance (in WeChat it means a bad token);
    // a second 40001 is then a real secret problem and maps to `configuration`.
    if (TOKEN_LAPSED.has(first.errcode) || first.errcode === 40001) {
      // Why compare-and-swap: of many calls failing with the same token, only the first
      // drops it; the rest find the fresh token and join the one refetch in flight.
      this.tokens.invalidate(this.app(), token);
      this.logger.info({ api, errcode: first.errcode }, 'wecom token rejected; refetching once');
      const fresh = await this.token();
      const second = await call(fresh);
      if (second.errcode === 0) return second;
      throw this.failed(api, second);
    }
    throw this.failed(api, first);
  }

  private post(api: WecomApi, token: string, body: Record<string, unknown>): Promise<{ errcode: number }> {
    return this.request(api, () => this.http.post(`/cgi-bin/${api}`, body, { params: { access_token: token } }));
  }

  private token(): Promise<string> {
    return this.tokens.token(this.app(), async () => {
      const answer = await this.request('gettoken', () =>
        this.http.get('/cgi-bin/gettoken', {
          params: { corpid: this.config.corpId, corpsecret: this.config.corpSecret },
        }),
      );
      if (answer.errcode === 0) {
        this.logger.info({ api: 'gettoken', expiresIn: (answer as GettokenAnswer).expires_in }, 'wecom token fetched');
      } else {
        this.logger.error({ api: 'gettoken', errcode: answer.errcode, hint: hintOf(answer) }, 'wecom gettoken failed');
      }
      return answer as GettokenAnswer;
    });
  }

  /**
   * Runs one HTTP exchange and returns a JSON answer carrying a numeric errcode, or throws
   * the `ChannelError` for a transport failure: timeouts, resets and 5xx are retryable.
   */
  private async request(
    api: WecomApi,
    exchange: () => Promise<AxiosResponse<unknown>>,
  ): Promise<{ errcode: number; errmsg?: string }> {
    let response: AxiosResponse<unknown>;
    try {
      response = await exchange();
    } catch (error) {
      // Why retryable: a timeout or a dropped connection says nothing about the request, and
      // the outbox backs off and tries again. WeCom may still have delivered it: a resent
      // card then fails on its used task_id (bad_request), a resent text shows twice.
      const code = axios.isAxiosError(error) ? (error.code ?? 'network') : 'network';
      this.logger.warn({ api, code }, 'wecom call did not complete');
      throw new ChannelError('unavailable', `wecom ${api} failed: ${code}`, true, code);
    }
    const data = response.data as { errcode?: unknown; errmsg?: unknown } | null;
    const hasErrcode = typeof data === 'object' && data !== null && typeof data.errcode === 'number';
    if (response.status < 200 || response.status >= 300 || !hasErrcode) {
      if (response.status >= 200 && response.status < 300) {
        // A 2xx without an errcode is a proxy or gateway page, not WeCom: treat as passing.
        this.logger.warn({ api, status: response.status }, 'wecom answered without errcode');
        throw new ChannelError('unavailable', `wecom ${api} answered without errcode`, true, `http_${response.status}`);
      }
      this.logger.warn({ api, status: response.status }, 'wecom answered an HTTP error');
      throw wecomHttpError(api, response.status);
    }
    return data as { errcode: number; errmsg?: string };
  }

  private failed(api: WecomApi, answer: { errcode: number; errmsg?: string }): ChannelError {
    const error = wecomError(api, answer.errcode);
    const level = error.retryable ? 'warn' : 'error';
    this.logger[level]({ api, errcode: answer.errcode, reason: error.reason, hint: hintOf(answer) }, 'wecom call failed');
    return error;
  }

  private app() {
    return { corpId: this.config.corpId, agentId: this.config.agentId };
  }
}

/** WeCom support's request id from errmsg (`… hint: [1700000000_1_abc]`); the rest of errmsg may name people. */
function hintOf(answer: { errmsg?: string }): string | undefined {
  return typeof answer.errmsg === 'string' ? /hint: \[([^\]]+)\]/.exec(answer.errmsg)?.[1] : undefined;
}
