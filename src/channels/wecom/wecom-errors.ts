import { ChannelError } from '../channel';

/** Which WeCom call answered: the same errcode can mean different things per call. */
export type WecomApi =
  | 'gettoken'
  | 'message/send'
  | 'message/update_template_card'
  | 'webhook/send'
  | 'externalcontact/add_msg_template'
  | 'externalcontact/get_groupmsg_send_result'
  | 'externalcontact/remind_groupmsg_send'
  | 'get_jsapi_ticket'
  | 'ticket/get'
  | 'auth/getuserinfo';

/** errcodes that say our credentials or the app's console settings are wrong. */
const CONFIGURATION = new Set([
  40001, // invalid secret (wrong, rotated, or the app is disabled)
  40013, // invalid corpid
  40091, // secret not valid (e.g. another company's)
  50003, // app disabled
  60020, // calling IP not in the app's trusted IP list
  48002, // API not permitted for this app
  93000, // robot webhook invalid / robot removed from the group
  93004, // robot disabled
  93008, // robot no longer in the group
]);

/** errcodes that pass on their own: WeCom is busy or throttling concurrency. */
const TRANSIENT = new Set([
  -1, // system busy — WeCom advises retrying with back-off
  45033, // too many concurrent calls to the same API
  45035, // concurrent modification of the same record
  45036, // data-access limit after abnormal traffic
  40014, // invalid token, still failing after one refetch and retry (see wecom.client.ts)
  42001, // expired token, same
]);

/** How long WeCom blocks a caller that exceeded a frequency limit: a minute-level block. */
export const RATE_LIMIT_BLOCK_MS = 60_000;

/**
 * The one mapping from a WeCom `errcode` (never `errmsg`, whose text changes) to a
 * `ChannelError`. Invariant: only codes that can succeed unchanged later are `retryable`;
 * everything else — configuration, bad payloads, unknown recipients, used response codes —
 * is permanent, so the outbox never hammers WeCom with a request that cannot work.
 */
export function wecomError(api: WecomApi, errcode: number): ChannelError {
  const what = `wecom ${api} answered errcode ${errcode}`;
  if (errcode === 45009) {
    // Why retryable with a hint: a frequency block lifts after its window (≥ 60 s).
    return new ChannelError('rate_limited', what, true, errcode, RATE_LIMIT_BLOCK_MS);
  }
  if (TRANSIENT.has(errcode)) return new ChannelError('unavailable', what, true, errcode);
  if (CONFIGURATION.has(errcode)) return new ChannelError('configuration', what, false, errcode);
  if (errcode === 81013) {
    // Every recipient unknown or outside the app's visible range: no retry can reach them.
    return new ChannelError('unknown_recipient', what, false, errcode);
  }
  if (errcode === 60140) {
    // The response_code was used already or is older than 72 h: single use, so permanent.
    return new ChannelError('expired', what, false, errcode);
  }
  // 41001 (token missing), 44004 (empty content), 45002 (too large), 82001 (no recipient),
  // 42014 (bad task_id), any other 4xxxx and anything unknown: our request is wrong and
  // sending it again cannot help.
  return new ChannelError('bad_request', what, false, errcode);
}

/**
 * The HTTP-level failure of a WeCom call (no usable `errcode`). 5xx, 408 and 429 pass;
 * any other status means we called something that is not WeCom's API as we know it.
 */
export function wecomHttpError(api: WecomApi, status: number): ChannelError {
  const what = `wecom ${api} answered HTTP ${status}`;
  if (status === 429) return new ChannelError('rate_limited', what, true, `http_${status}`, RATE_LIMIT_BLOCK_MS);
  if (status >= 500 || status === 408) return new ChannelError('unavailable', what, true, `http_${status}`);
  return new ChannelError('bad_request', what, false, `http_${status}`);
}
