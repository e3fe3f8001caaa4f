import { ChannelError } from '../channel';
import { Clock, systemClock } from '../../clock';

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

interface CachedToken {
  value: string;
  /** Instant (ms) from which the token is treated as stale and refreshed. */
  refreshAt: number;
}

interface AppState {
  cached: CachedToken | null;
  inflight: Promise<CachedToken> | null;
  configurationFailure: { error: ChannelError; until: number } | null;
}

/**
 * Access-token cache of the v1.0 token endpoint, keyed by AppKey (tokens are per app; a
 * v1.0 token also works on the oapi host, §2.1). Invariants:
 * - a token is reused until `expireIn − margin` by the injected clock;
 * - single flight: however many callers wait, at most one fetch per AppKey is in flight;
 * - `invalidate` is a compare-and-swap on the token that failed, so a burst of calls
 *   refused with the same token drops the cache once and causes one refetch;
 * - a failed fetch never triggers another fetch by itself (no loop).
 */
export class DingtalkTokenCache {
  private readonly apps = new Map<string, AppState>();
  private readonly clock: Clock;
  private readonly refreshMarginMs: number;
  private readonly configurationHoldMs: number;

  constructor(options: DingtalkTokenCacheOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.refreshMarginMs = options.refreshMarginMs ?? 300_000;
    this.configurationHoldMs = options.configurationHoldMs ?? 60_000;
  }

  /** A token valid for `appKey` now, fetched through `fetch` only when none is fresh. */
  async token(appKey: string, fetch: AccessTokenFetch): Promise<string> {
    const state = this.state(appKey);
    const now = this.clock.now().getTime();
    if (state.cached && now < state.cached.refreshAt) return state.cached.value;
    if (state.configurationFailure && now < state.configurationFailure.until) throw state.configurationFailure.error;
    // Why single flight: a burst of sends must not stampede the rate-limited token endpoint;
    // every waiter joins the one fetch in flight.
    if (!state.inflight) {
      state.inflight = this.fetch(state, fetch).finally(() => {
        state.inflight = null;
      });
    }
    return (await state.inflight).value;
  }

  /**
   * Drops the cached token if, and only if, it is still `failedToken`; returns whether it did.
   * Why compare-and-swap: when many calls fail with the same lapsed token, the first drops it;
   * the others must not drop the fresh token that replaced it (that would refetch again).
   */
  invalidate(appKey: string, failedToken: string): boolean {
    const state = this.state(appKey);
    if (state.cached?.value !== failedToken) return false;
    state.cached = null;
    return true;
  }

  private async fetch(state: AppState, fetch: AccessTokenFetch): Promise<CachedToken> {
    let answer: AccessTokenAnswer;
    try {
      answer = await fetch();
    } catch (error) {
      if (error instanceof ChannelError && error.reason === 'configuration') {
        state.configurationFailure = { error, until: this.clock.now().getTime() + this.configurationHoldMs };
      }
      throw error;
    }
    if (typeof answer.accessToken !== 'string' || answer.accessToken === '') {
      throw new ChannelError('unavailable', 'dingtalk oauth2/accessToken answered without accessToken', true);
    }
    const expiresInMs = (typeof answer.expireIn === 'number' && answer.expireIn > 0 ? answer.expireIn : 7200) * 1000;
    // Refresh ahead of expiry, but never so early that a short-lived token is stale at birth.
    const lifetimeMs = Math.max(expiresInMs - this.refreshMarginMs, expiresInMs / 2);
    const cached = { value: answer.accessToken, refreshAt: this.clock.now().getTime() + lifetimeMs };
    state.cached = cached;
    state.configurationFailure = null;
    return cached;
  }

  private state(appKey: string): AppState {
    let state = this.apps.get(appKey);
    if (!state) {
      state = { cached: null, inflight: null, configurationFailure: null };
      this.apps.set(appKey, state);
    }
    return state;
  }
}
