import { ChannelError } from '../channel';

/** Which DingTalk call answered, for messages and logs. */
export type DingtalkApi =
  | 'oauth2/accessToken'
  | 'asyncsend_v2'
  | 'getsendresult'
  | 'card/createAndDeliver'
  | 'card/update'
  | 'robot/send';

/** How long a QPS rejection (90018, 90002, `QpsLimit*`) asks us to wait: §7 says 1 s + jitter. */
export const QPS_RETRY_MS = 1_000;
/** How long a throttled group robot waits: 20 messages a minute, then a block of 1 to 10 min (§6.2). */
export const ROBOT_RETRY_MS = 60_000;
/** The per-IP anti-abuse block (`status 1111`, `punish deny`) lasts 5 minutes (§7). */
export const IP_PUNISH_RETRY_MS = 5 * 60_000;

/** oapi errcodes that mean "the access token was not accepted" (§2.3); cured by one refetch. */
const OAPI_TOKEN_LAPSED = new Set([40014, 42001]);

/** oapi errcodes that mean our credentials or console settings are wrong (§1, §2.3, §6.2). */
const OAPI_CONFIGURATION = new Set([
  40089, // bad AppKey/AppSecret on gettoken
  60011, // the app lacks the permission of this API (seen as 88 + sub_code)
  60020, // calling IP not in the app's egress allow-list
  90020, // monthly API quota of the organisation used up: stop and alert until next month
  310000, // robot security check failed (keyword / sign / timestamp / IP)
  300005, // robot webhook token does not exist (observed)
  400101, // robot webhook token does not exist (documented)
  400102, // robot disabled
  400106, // robot does not exist
]);

/** oapi errcodes naming a user that does not exist in the organisation (unverified codes). */
const OAPI_UNKNOWN_USER = new Set([
  33012, // invalid userid
  60121, // user not found
]);

/** v1.0 codes of a configuration problem. */
const API_CONFIGURATION = new Set([
  'invalidClientIdOrSecret', // wrong AppKey/AppSecret on /v1.0/oauth2/accessToken (documented)
  'invalidClientId.notFound', // unknown AppKey (observed in third-party tests; unverified)
  'Forbidden.AccessDenied.ApiCountLimitForOrg', // monthly quota: retrying cannot help this month
  'Forbidden.AccessDenied.AccessTokenPermissionDenied', // API permission not granted (unverified)
  'Forbidden.AccessDenied.IpNotInWhiteList', // egress IP allow-list (unverified)
]);

/** v1.0 codes naming a user unknown to the organisation. */
const API_UNKNOWN_USER = new Set(['param.userIdNotExist']);

/** True when an oapi answer says the token was refused: 40014, 42001, or 88 wrapping 40014. */
export function oapiTokenLapsed(errcode: number, subCode?: string | number): boolean {
  if (OAPI_TOKEN_LAPSED.has(errcode)) return true;
  return errcode === 88 && subCode !== undefined && OAPI_TOKEN_LAPSED.has(Number(subCode));
}

/** True when a v1.0 answer says the token was refused: HTTP 400/401 `InvalidAuthentication`, or any 401. */
export function apiTokenLapsed(status: number, code: string | undefined): boolean {
  // Why any 401: official samples reset the token on a bare 401 too (§2.3); one refetch is cheap.
  return status === 401 || (status === 400 && code === 'InvalidAuthentication');
}

/**
 * The one mapping from a legacy-host `errcode` (never `errmsg`, whose wording changes) to a
 * `ChannelError`. `errcode 88` is judged by its numeric `sub_code`. Invariant: only codes
 * that can succeed unchanged later are `retryable`; everything unknown is a permanent
 * `bad_request`, so the outbox never hammers DingTalk with a request that cannot work.
 */
export function dingtalkOapiError(api: DingtalkApi, errcode: number, subCode?: string | number): ChannelError {
  const numericSub = subCode === undefined || subCode === '' ? NaN : Number(subCode);
  if (errcode === 88 && Number.isInteger(numericSub) && numericSub !== 88) {
    const inner = dingtalkOapiError(api, numericSub);
    return new ChannelError(inner.reason, `dingtalk ${api} answered errcode 88/${numericSub}`, inner.retryable, `88/${numericSub}`, inner.retryAfterMs);
  }
  const what = `dingtalk ${api} answered errcode ${errcode}`;
  // Why retryable: -1 is "system busy"; §7 advises 1 to 3 retries with back-off (robots: 30 s).
  if (errcode === -1) return new ChannelError('unavailable', what, true, errcode, api === 'robot/send' ? 30_000 : undefined);
  // Why retryable after 1 s: per-app/per-API QPS windows are one second long.
  if (errcode === 90018 || errcode === 90002) return new ChannelError('rate_limited', what, true, errcode, QPS_RETRY_MS);
  // Why retryable after 60 s: the robot limit is 20 per minute (the block may last 10 min).
  if (errcode === 130101 || errcode === 410100) return new ChannelError('rate_limited', what, true, errcode, ROBOT_RETRY_MS);
  // Why retryable: a token still refused after one refetch and retry (see the client) is
  // DingTalk's side being inconsistent, not our request.
  if (OAPI_TOKEN_LAPSED.has(errcode)) return new ChannelError('unavailable', what, true, errcode);
  if (OAPI_CONFIGURATION.has(errcode)) return new ChannelError('configuration', what, false, errcode);
  if (OAPI_UNKNOWN_USER.has(errcode)) return new ChannelError('unknown_recipient', what, false, errcode);
  // 40035 (bad parameter), 400105/43004 (bad msgtype / content type) and anything unknown:
  // our request is wrong and resending it cannot help.
  return new ChannelError('bad_request', what, false, errcode);
}

/**
 * The one mapping from a v1.0 answer (HTTP status + string `code`) to a `ChannelError`.
 * Same invariant as `dingtalkOapiError`: retryable only for what passes on its own.
 */
export function dingtalkApiError(api: DingtalkApi, status: number, code: string | undefined): ChannelError {
  const what = `dingtalk ${api} answered HTTP ${status}${code ? ` ${code}` : ''}`;
  const platformCode = code ?? `http_${status}`;
  // Why retryable after 1 s: QPS rejections (HTTP 403) clear within the second (§7).
  if (code !== undefined && code.startsWith('Forbidden.AccessDenied.QpsLimit')) {
    return new ChannelError('rate_limited', what, true, platformCode, QPS_RETRY_MS);
  }
  if (code !== undefined && API_CONFIGURATION.has(code)) return new ChannelError('configuration', what, false, platformCode);
  if (code !== undefined && API_UNKNOWN_USER.has(code)) return new ChannelError('unknown_recipient', what, false, platformCode);
  // Why retryable: `system.busy` and any 5xx are DingTalk's momentary trouble (§4.2, §7).
  if (code === 'system.busy' || status >= 500) return new ChannelError('unavailable', what, true, platformCode);
  if (status === 429) return new ChannelError('rate_limited', what, true, platformCode, QPS_RETRY_MS);
  // Why retryable: see `dingtalkOapiError` — a token refused even after a refetch.
  if (apiTokenLapsed(status, code)) return new ChannelError('unavailable', what, true, platformCode);
  // param.templateNotExist, param.cardAlreadyExist, param.contentUnsafe, other 4xx: permanent.
  return new ChannelError('bad_request', what, false, platformCode);
}

/**
 * A call that never produced an answer (timeout, reset, DNS). Retryable: it says nothing
 * about the request; DingTalk may still have acted on it, which the channel tolerates
 * (a resent card meets `param.cardAlreadyExist`, a resent notice is dropped as a duplicate).
 */
export function dingtalkTransportError(api: DingtalkApi, code: string): ChannelError {
  return new ChannelError('unavailable', `dingtalk ${api} did not complete: ${code}`, true, code);
}

/**
 * An answer that is not DingTalk's error format: the per-IP anti-abuse body
 * (`{"status":1111,"punish":"deny"}`, §7) or a proxy page. Both are retryable; the anti-abuse
 * block is a rate limit with its 5-minute window.
 */
export function dingtalkUnknownAnswer(api: DingtalkApi, status: number, body: unknown): ChannelError {
  const punished = typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 1111;
  if (punished) return new ChannelError('rate_limited', `dingtalk ${api} answered the anti-abuse block`, true, 'status_1111', IP_PUNISH_RETRY_MS);
  return new ChannelError('unavailable', `dingtalk ${api} answered HTTP ${status} in an unknown format`, true, `http_${status}`);
}
