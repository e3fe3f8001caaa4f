import { Clock, systemClock } from '../clock';
import { ChannelError } from './channel';

/** A token as a platform issued it. */
export interface IssuedToken {
  value: string;
  /** Its lifetime as the platform stated it (WeCom `expires_in`, DingTalk `expireIn`). */
  expiresInSeconds: number;
}

export interface AccessTokenCacheOptions {
  clock?: Clock;
  /** Refresh this long before the stated lifetime runs out (default 300 s). */
  refreshMarginMs?: number;
  /**
   * After a configuration failure (wrong secret, disabled app…), answer the same error for
   * this long without asking the platform again: retrying cannot succeed, and WeCom blocks
   * an IP that keeps presenting a wrong secret.
   */
  configurationHoldMs: number;
}

interface CachedToken {
  value: string;
  /** Instant (ms) from which the token is treated as stale and refreshed. */
  refreshAt: number;
}

interface KeyState {
  cached: CachedToken | null;
  inflight: Promise<CachedToken> | null;
  configurationFailure: { error: ChannelError; until: number } | null;
}

/**
 * The access-token cache both chat platforms need, keyed by app. Invariants:
 * - a token is reused until its lifetime minus the margin, by the injected clock;
 * - single flight: however many callers wait, at most one fetch per key is in flight;
 * - `invalidate` is a compare-and-swap on the token that failed, so a burst of "token
 *   invalid" answers drops the cache once and causes one refetch;
 * - a failed fetch never causes another fetch by itself (no loop).
 */
export class AccessTokenCache {
  private readonly keys = new Map<string, KeyState>();
  private readonly clock: Clock;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: AccessTokenCacheOptions) {
    this.clock = options.clock ?? systemClock;
    this.refreshMarginMs = options.refreshMarginMs ?? 300_000;
  }

  /** A token valid for `key` now; `fetch` (which throws `ChannelError`) runs only when none is cached. */
  async token(key: string, fetch: () => Promise<IssuedToken>): Promise<string> {
    const state = this.state(key);
    const now = this.clock.now().getTime();
    if (state.cached && now < state.cached.refreshAt) return state.cached.value;
    if (state.configurationFailure && now < state.configurationFailure.until) throw state.configurationFailure.error;
    // Why single flight: every waiter joins the one refresh in flight instead of starting its
    // own — both platforms rate-limit (WeCom: block) callers that fetch tokens often.
    if (!state.inflight) {
      state.inflight = this.fetch(state, fetch).finally(() => {
        state.inflight = null;
      });
    }
    return (await state.inflight).value;
  }

  /**
   * Drops the cached token if, and only if, it is `failedToken`. Returns whether it did.
   * Why compare-and-swap: when many calls fail with the same lapsed token, the first drops it
   * and refetches; the others must not drop the fresh token that replaced it.
   */
  invalidate(key: string, failedToken: string): boolean {
    const state = this.state(key);
    if (state.cached?.value !== failedToken) return false;
    state.cached = null;
    return true;
  }

  private async fetch(state: KeyState, fetch: () => Promise<IssuedToken>): Promise<CachedToken> {
    let issued: IssuedToken;
    try {
      issued = await fetch();
    } catch (error) {
      if (error instanceof ChannelError && error.reason === 'configuration') {
        state.configurationFailure = { error, until: this.clock.now().getTime() + this.options.configurationHoldMs };
      }
      throw error;
    }
    const expiresInMs = (issued.expiresInSeconds > 0 ? issued.expiresInSeconds : 7200) * 1000;
    // Refresh ahead of expiry, but never so early that a short-lived token is stale at birth.
    const lifetimeMs = Math.max(expiresInMs - this.refreshMarginMs, expiresInMs / 2);
    const cached = { value: issued.value, refreshAt: this.clock.now().getTime() + lifetimeMs };
    state.cached = cached;
    state.configurationFailure = null;
    return cached;
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { cached: null, inflight: null, configurationFailure: null };
      this.keys.set(key, state);
    }
    return state;
  }
}
