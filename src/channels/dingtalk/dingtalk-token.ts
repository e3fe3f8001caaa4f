import { ChannelError } from '../channel';
import { Clock } from '../../clock';
import { AccessTokenCache } from '../access-token-cache';

/** The answer of `POST {apiBase}/v1.0/oauth2/accessToken` (§2.1), already known to be a 2xx. */
export interface AccessTokenAnswer {
  accessToken?: unknown;
  expireIn?: unknown;
}

/**
 * Performs one token fetch. Failures throw a `ChannelError` (the client maps HTTP status and
 * code: `invalidClientIdOrSecret` → `configuration`, 5xx → `unavailable`).
 */
export type AccessTokenFetch = () => Promise<AccessTokenAnswer>;

export interface DingtalkTokenCacheOptions {
  clock?: Clock;
  /** Refresh this long before `expireIn` runs out (default 300 s, §2.2). */
  refreshMarginMs?: number;
  /**
   * After a configuration failure (wrong secret), answer the same error without calling the
   * token endpoint for this long (default 60 s): the endpoint is itself rate-limited and a
   * wrong secret cannot start working without a restart.
   */
  configurationHoldMs?: number;
}

/**
 * DingTalk's access-token cache, keyed by AppKey: the shared `AccessTokenCache`, with the
 * answer of the token endpoint read here (configuration errors are held a minute).
 */
export class DingtalkTokenCache {
  private readonly cache: AccessTokenCache;

  constructor(options: DingtalkTokenCacheOptions = {}) {
    this.cache = new AccessTokenCache({ ...options, configurationHoldMs: options.configurationHoldMs ?? 60_000 });
  }

  /** A token valid for `appKey` now; `fetch` runs only when none is cached. */
  token(appKey: string, fetch: AccessTokenFetch): Promise<string> {
    return this.cache.token(appKey, async () => {
      const answer = await fetch();
      if (typeof answer.accessToken !== 'string' || answer.accessToken === '') {
        throw new ChannelError('unavailable', 'dingtalk oauth2/accessToken answered without accessToken', true);
      }
      return { value: answer.accessToken, expiresInSeconds: typeof answer.expireIn === 'number' ? answer.expireIn : 7200 };
    });
  }

  /** Drops the cached token only if it is `failedToken` (see AccessTokenCache.invalidate). */
  invalidate(appKey: string, failedToken: string): boolean {
    return this.cache.invalidate(appKey, failedToken);
  }
}
