import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { ChannelError } from '../channel';
import { Clock, systemClock } from '../../clock';
import { log } from '../../log';
import { DingtalkConfig } from './dingtalk.config';
import {
  DingtalkApi,
  apiTokenLapsed,
  dingtalkApiError,
  dingtalkOapiError,
  dingtalkTransportError,
  dingtalkUnknownAnswer,
  oapiTokenLapsed,
} from './dingtalk-errors';
import { signRobotWebhook } from './dingtalk-robot-sign';
import { AccessTokenAnswer, DingtalkTokenCache } from './dingtalk-token';

/** The pino-like logger the client writes to; only codes and counts, never people or text. */
export interface DingtalkLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DingtalkClientOptions {
  /** Share one cache between clients of the same app; default: a cache of its own. */
  tokens?: DingtalkTokenCache;
  /** Clock of the default token cache and of robot signatures. */
  clock?: Clock;
  logger?: DingtalkLogger;
}

/** What `getsendresult` says about one work-notice task (§3.2); lists of userIds. */
export interface WorkNoticeSendResult {
  /** Unknown to the organisation or outside the app's visible range. */
  invalid: string[];
  /** Silently dropped by flow control although the send answered 0 (duplicate content, daily cap). */
  forbidden: string[];
  /** Failed for another reason. */
  failed: string[];
  read: string[];
  unread: string[];
  /** `forbidden_list[].code` per dropped user: 143106 duplicate, 143105 daily cap, 143103/4 per minute (unverified). */
  forbiddenCodes: Record<string, string>;
}

/** One interactive card for one or more users' robot chats (§4.2). */
export interface CardDelivery {
  outTrackId: string;
  cardTemplateId: string;
  /** All values strings (§4.1). */
  cardParamMap: Record<string, string>;
  userIds: string[];
  /** Route key of the HTTP callback (§4.4); without it taps reach nobody. */
  callbackRouteKey?: string | null;
  /** Per-viewer data: userId → cardParamMap. */
  privateData?: Record<string, Record<string, string>>;
}

/**
 * A card whose delivery failed for some spaces (`deliverResults[].success === false`).
 * `reason` is `unknown_recipient`: an `IM_ROBOT` space is a userId, and a failed space means
 * that user cannot receive the app robot's card (unknown, or outside the visible range).
 */
export class CardDeliveryError extends ChannelError {
  constructor(
    message: string,
    /** The userIds whose space failed; never logged. */
    readonly failedUserIds: string[],
    /** The userIds whose space succeeded in the same call. */
    readonly deliveredUserIds: string[],
  ) {
    super('unknown_recipient', message, false, 'deliver_failed');
    this.name = 'CardDeliveryError';
  }
}

/** Largest `userid_list` of one `asyncsend_v2` call (§3.1). */
export const NOTICE_MAX_RECIPIENTS = 100;
/** Largest serialized `msg` of one work notice, in UTF-8 bytes (§3.1). */
export const NOTICE_MAX_MSG_BYTES = 2048;

/** A judged exchange: the value, or "the token was refused" (the only outcome worth a retry). */
type Judged<T> = { ok: true; value: T } | { ok: false; error: ChannelError };

/**
 * Thin HTTP client of DingTalk's two hosts: v1.0 calls carry the token in
 * `x-acs-dingtalk-access-token`, oapi calls in `?access_token=`; every failure becomes a
 * `ChannelError` by code (never by message text). Invariant: a call is sent at most twice —
 * the second time only after DingTalk refused the token (so the first copy was certainly not
 * acted on). Nothing else is retried here; back-off belongs to the outbox.
 */
export class DingtalkClient {
  private readonly http: AxiosInstance;
  private readonly tokens: DingtalkTokenCache;
  private readonly clock: Clock;
  private readonly logger: DingtalkLogger;
  private readonly apiBase: string;
  private readonly oapiBase: string;

  constructor(
    private readonly config: DingtalkConfig,
    options: DingtalkClientOptions = {},
  ) {
    this.http = axios.create({
      timeout: config.timeoutMs ?? 10_000,
      // Every status is judged below, so axios never throws an error carrying our URL
      // (and with it the token or the robot's webhook key) into someone's log.
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/json' },
    });
    this.clock = options.clock ?? systemClock;
    this.tokens = options.tokens ?? new DingtalkTokenCache({ clock: this.clock });
    this.logger = options.logger ?? log.child({ channel: 'dingtalk' });
    this.apiBase = config.apiBase.replace(/\/+$/, '');
    this.oapiBase = config.oapiBase.replace(/\/+$/, '');
  }

  /**
   * Sends one work notice (`asyncsend_v2`) to at most 100 users; resolves with the `task_id`.
   * Accepted is not delivered: DingTalk drops duplicates and over-quota messages silently, so
   * read the outcome with `getSendResult`.
   */
  async sendWorkNotice(userIds: string[], msg: Record<string, unknown>): Promise<string> {
    if (userIds.length === 0 || userIds.length > NOTICE_MAX_RECIPIENTS) {
      throw new ChannelError('bad_request', `dingtalk asyncsend_v2 takes 1 to ${NOTICE_MAX_RECIPIENTS} users, got ${userIds.length}`, false);
    }
    const bytes = Buffer.byteLength(JSON.stringify(msg), 'utf8');
    if (bytes > NOTICE_MAX_MSG_BYTES) {
      throw new ChannelError('bad_request', `dingtalk work notice is ${bytes} bytes (max ${NOTICE_MAX_MSG_BYTES})`, false);
    }
    const answer = await this.oapiPost('asyncsend_v2', '/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: this.config.agentId,
      userid_list: userIds.join(','),
      msg,
    });
    const taskId = answer.task_id;
    if (typeof taskId !== 'number' && typeof taskId !== 'string') {
      throw new ChannelError('unavailable', 'dingtalk asyncsend_v2 answered without task_id', true);
    }
    return String(taskId);
  }

  /** Reads the outcome of a work-notice task (queryable for about 24 h, §3.2). */
  async getSendResult(taskId: string): Promise<WorkNoticeSendResult> {
    const answer = await this.oapiPost('getsendresult', '/topapi/message/corpconversation/getsendresult', {
      agent_id: this.config.agentId,
      task_id: Number(taskId),
    });
    const result = (answer.send_result ?? {}) as Record<string, unknown>;
    const forbiddenCodes: Record<string, string> = {};
    for (const item of Array.isArray(result.forbidden_list) ? result.forbidden_list : []) {
      const { userid, code } = (item ?? {}) as { userid?: unknown; code?: unknown };
      if (typeof userid === 'string' && code !== undefined) forbiddenCodes[userid] = String(code);
    }
    return {
      invalid: stringList(result.invalid_user_id_list),
      forbidden: stringList(result.forbidden_user_id_list),
      failed: stringList(result.failed_user_id_list),
      read: stringList(result.read_user_id_list),
      unread: stringList(result.unread_user_id_list),
      forbiddenCodes,
    };
  }

  /**
   * Creates a card instance and delivers it to each user's chat with the app robot
   * (`IM_ROBOT`). Resolves only if EVERY space reports success — the top-level `success` can
   * be true while a space failed (§4.2); otherwise throws `CardDeliveryError`.
   */
  async createAndDeliverCard(card: CardDelivery): Promise<{ outTrackId: string; deliveredUserIds: string[] }> {
    if (card.userIds.length === 0) throw new ChannelError('bad_request', 'dingtalk card needs at least one user', false);
    const body: Record<string, unknown> = {
      cardTemplateId: card.cardTemplateId,
      outTrackId: card.outTrackId,
      callbackType: 'HTTP',
      userIdType: 1,
      cardData: { cardParamMap: card.cardParamMap },
      openSpaceId: card.userIds.map((userId) => `dtv1.card//IM_ROBOT.${userId}`).join(';'),
      // Both models, always: the deliver model alone reportedly fails with "spaces of card is empty".
      imRobotOpenSpaceModel: { supportForward: false },
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.config.appKey },
    };
    if (card.callbackRouteKey) body.callbackRouteKey = card.callbackRouteKey;
    if (card.privateData) body.privateData = wirePrivateData(card.privateData);
    const answer = await this.apiCall('card/createAndDeliver', 'POST', '/v1.0/card/instances/createAndDeliver', body);
    const result = (answer.result ?? {}) as { deliverResults?: unknown };
    const results = Array.isArray(result.deliverResults) ? (result.deliverResults as Record<string, unknown>[]) : [];
    const delivered: string[] = [];
    const failed: string[] = [];
    const reasons = new Set<string>();
    for (const userId of card.userIds) {
      const space = results.find((r) => r && r.spaceId === userId);
      if (space?.success === true) delivered.push(userId);
      else {
        failed.push(userId);
        reasons.add(typeof space?.errorMsg === 'string' ? space.errorMsg : space ? 'success is not true' : 'no deliver result');
      }
    }
    if (answer.success === false || failed.length > 0) {
      // The reason text is DingTalk's; it goes into the error for the supervisor, never the userIds.
      const error = new CardDeliveryError(
        `dingtalk card delivery failed for ${failed.length} of ${card.userIds.length} spaces: ${[...reasons].join('; ') || 'success false'}`,
        failed.length > 0 ? failed : [...card.userIds],
        answer.success === false ? [] : delivered,
      );
      this.logger.warn({ api: 'card/createAndDeliver', failed: failed.length, delivered: delivered.length }, 'dingtalk card not delivered everywhere');
      throw error;
    }
    return { outTrackId: card.outTrackId, deliveredUserIds: delivered };
  }

  /**
   * Updates a card instance by key (`PUT /v1.0/card/instances`, `updateCardDataByKey`):
   * the given keys are merged, the rest stay. `privateData` is userId → cardParamMap.
   */
  async updateCard(
    outTrackId: string,
    cardParamMap: Record<string, string>,
    privateData?: Record<string, Record<string, string>>,
  ): Promise<void> {
    const body: Record<string, unknown> = {
      outTrackId,
      cardData: { cardParamMap },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      userIdType: 1,
    };
    if (privateData) body.privateData = wirePrivateData(privateData);
    const answer = await this.apiCall('card/update', 'PUT', '/v1.0/card/instances', body);
    if (answer.success === false) throw new ChannelError('bad_request', 'dingtalk card/update answered success false', false);
  }

  /**
   * Posts to a custom group robot (§6). With `secret`, the URL is signed with the current
   * millisecond timestamp. Resolves only on `errcode` 0 or "0"; any other body — including the
   * anti-abuse `{status:1111, punish:'deny'}` without an errcode — is a failure, never "sent".
   * The webhook URL is a credential and is never logged.
   */
  async robotSend(webhookUrl: string, secret: string | undefined | null, body: Record<string, unknown>): Promise<void> {
    const url = signRobotWebhook(webhookUrl, secret, this.clock.now().getTime());
    const response = await this.exchange('robot/send', { method: 'POST', url, data: body });
    const data = response.data as Record<string, unknown> | null;
    const errcode = errcodeOf(data);
    if (response.status >= 200 && response.status < 300 && errcode === 0) return;
    throw this.failed('robot/send', response, errcode !== undefined ? dingtalkOapiError('robot/send', errcode) : undefined);
  }

  /** A v1.0 call with the token header, retried once only after the token was refused. */
  private apiCall(api: DingtalkApi, method: 'POST' | 'PUT', path: string, body: unknown): Promise<Record<string, unknown>> {
    return this.authorized(api, async (token) => {
      const response = await this.exchange(api, {
        method,
        url: `${this.apiBase}${path}`,
        data: body,
        headers: { 'x-acs-dingtalk-access-token': token },
      });
      if (response.status >= 200 && response.status < 300) return { ok: true, value: objectOf(response.data) };
      const code = codeOf(response.data);
      if (apiTokenLapsed(response.status, code)) return { ok: false, error: dingtalkApiError(api, response.status, code) };
      throw this.failed(api, response);
    });
  }

  /** An oapi POST with `?access_token=`, retried once only after the token was refused. */
  private oapiPost(api: DingtalkApi, path: string, body: unknown): Promise<Record<string, unknown>> {
    return this.authorized(api, async (token) => {
      const response = await this.exchange(api, {
        method: 'POST',
        url: `${this.oapiBase}${path}`,
        data: body,
        params: { access_token: token },
      });
      const data = objectOf(response.data);
      const errcode = errcodeOf(data);
      if (response.status >= 200 && response.status < 300 && errcode === 0) return { ok: true, value: data };
      if (errcode !== undefined && oapiTokenLapsed(errcode, subCodeOf(data))) {
        return { ok: false, error: dingtalkOapiError(api, errcode, subCodeOf(data)) };
      }
      throw this.failed(api, response, errcode !== undefined ? dingtalkOapiError(api, errcode, subCodeOf(data)) : undefined);
    });
  }

  private async authorized<T>(api: DingtalkApi, attempt: (token: string) => Promise<Judged<T>>): Promise<T> {
    const token = await this.token();
    const first = await attempt(token);
    if (first.ok) return first.value;
    // Why one refetch and one retry: DingTalk refused the token before looking at the request
    // (it can revoke a token before `expireIn`), so resending cannot duplicate anything. Why
    // compare-and-swap: of many calls refused with the same token only the first drops it;
    // the rest find the fresh token or join the one refetch in flight. Never a loop.
    this.tokens.invalidate(this.config.appKey, token);
    this.logger.info({ api, code: first.error.platformCode }, 'dingtalk token refused; refetching once');
    const second = await attempt(await this.token());
    if (second.ok) return second.value;
    this.logger.warn({ api, code: second.error.platformCode }, 'dingtalk token refused twice');
    throw second.error;
  }

  private token(): Promise<string> {
    return this.tokens.token(this.config.appKey, async (): Promise<AccessTokenAnswer> => {
      const response = await this.exchange('oauth2/accessToken', {
        method: 'POST',
        url: `${this.apiBase}/v1.0/oauth2/accessToken`,
        // JSON only: the endpoint rejects a form body with "body is mandatory" (§2.1).
        data: { appKey: this.config.appKey, appSecret: this.config.appSecret },
      });
      if (response.status < 200 || response.status >= 300) throw this.failed('oauth2/accessToken', response);
      const data = objectOf(response.data);
      this.logger.info({ api: 'oauth2/accessToken', expireIn: data.expireIn }, 'dingtalk token fetched');
      return data;
    });
  }

  /** One HTTP exchange; a timeout, reset or DNS failure becomes a retryable `unavailable`. */
  private async exchange(api: DingtalkApi, request: AxiosRequestConfig): Promise<AxiosResponse<unknown>> {
    try {
      return await this.http.request(request);
    } catch (error) {
      const code = axios.isAxiosError(error) ? (error.code ?? 'network') : 'network';
      this.logger.warn({ api, code }, 'dingtalk call did not complete');
      throw dingtalkTransportError(api, code);
    }
  }

  /** The `ChannelError` of a non-success answer, logged with its codes and request id only. */
  private failed(api: DingtalkApi, response: AxiosResponse<unknown>, byErrcode?: ChannelError): ChannelError {
    const data = response.data;
    const code = codeOf(data);
    let error: ChannelError;
    if (byErrcode) error = byErrcode;
    // No code at all: the anti-abuse JSON, a gateway page, or a 2xx that is not a success.
    else if (code === undefined && (isPunish(data) || response.status < 300)) error = dingtalkUnknownAnswer(api, response.status, data);
    else error = dingtalkApiError(api, response.status, code);
    const level = error.retryable ? 'warn' : 'error';
    this.logger[level](
      { api, status: response.status, code: error.platformCode, reason: error.reason, requestId: requestIdOf(data) },
      'dingtalk call failed',
    );
    return error;
  }
}

function wirePrivateData(privateData: Record<string, Record<string, string>>): Record<string, { cardParamMap: Record<string, string> }> {
  return Object.fromEntries(Object.entries(privateData).map(([userId, map]) => [userId, { cardParamMap: map }]));
}

function objectOf(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** `errcode` as a number, accepting the numeric string some answers use (`"0"`, §6.1). */
function errcodeOf(data: unknown): number | undefined {
  const raw = objectOf(data).errcode;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) return Number(raw);
  return undefined;
}

function subCodeOf(data: Record<string, unknown>): string | number | undefined {
  const raw = data.sub_code;
  return typeof raw === 'string' || typeof raw === 'number' ? raw : undefined;
}

function codeOf(data: unknown): string | undefined {
  const raw = objectOf(data).code;
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

function isPunish(data: unknown): boolean {
  return objectOf(data).status === 1111;
}

function requestIdOf(data: unknown): string | undefined {
  const body = objectOf(data);
  const id = body.requestid ?? body.request_id;
  return typeof id === 'string' ? id : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
