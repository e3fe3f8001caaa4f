import { ChannelError } from '../channel';
import { Clock, systemClock } from '../../clock';
import { wecomError } from './wecom-errors';

/** The app a token belongs to: WeCom issues one token per (corpid, app), usable by that app only. */
export interface WecomApp {
  corpId: string;
  agentId: number;
}

/** The raw JSON answer of `GET /cgi-bin/gettoken`. */
export interface GettokenAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

/**
 * Performs one `gettoken` call. Transport failures throw a `ChannelError` (the client maps
 * them); an answer with an errcode is returned as is and judged here.
 */
export type GettokenCall = () => Promise<GettokenAnswer>;

export interface WecomTokenCacheOptions {
  clock?: Clock;
  /** Refresh this long before WeCom's `expires_in` runs out (default 300 s). */
  refreshMarginMs?: number;
  /**
   * After a configuration failure (wrong secret, disabled app…), answer the same error
   * without calling `gettoken` for this long (default 15 min). Repeated calls with a wrong
   * secret can get our IP blocked for an hour, and the secret is only read at boot anyway.
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
 * Access-token cache, keyed by (corpId, agentId). Invariants:
 * - a token is reused until `expires_in − margin` by the injected clock;
 * - single flight: however many callers wait, at most one `gettoken` per app is in flight;
 * - `invalidate` is a compare-and-swap on the token that failed, so a burst of concurrent
 *   40014/42001 answers drops the cache once and causes one refetch;
 * - a `gettoken` errcode never causes another `gettoken` by itself (no loop).
 */
export class WecomTokenCache {
  private readonly apps = new Map<string, AppState>();
  private readonly clock: Clock;
  private readonly refreshMarginMs: number;
  private readonly configurationHoldMs: number;

  constructor(options: WecomTokenCacheOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.refreshMarginMs = options.refreshMarginMs ?? 300_000;
    this.configurationHoldMs = options.configurationHoldMs ?? 15 * 60_000;
  }

  /** A token valid for `app` now, fetched through `gettoken` only when none is cached. */
  async token(app: WecomApp, gettoken: GettokenCall): Promise<string> {
    const state = this.state(app);
    const now = this.clock.now().getTime();
    if (state.cached && now < state.cached.refreshAt) return state.cached.value;
    if (state.configurationFailure && now < state.configurationFailure.until) {
      throw state.configurationFailure.error;
    }
    // Why single flight: every waiter joins the one refresh in flight instead of starting
    // its own — WeCom rate-blocks callers that call gettoken often.
    if (!state.inflight) {
      state.inflight = this.fetch(state, gettoken).finally(() => {
        state.inflight = null;
      });
    }
    return (await state.inflight).value;
  }

  /**
   * Drops the cached token if, and only if, it is `failedToken`. Returns whether it did.
   * Why compare-and-swap: when many calls fail with the same lapsed token, the first drops
   * it and refetches; the others must not drop the fresh token that replaced it.
   */
  invalidate(app: WecomApp, failedToken: string): boolean {
    const state = this.state(app);
    if (state.cached?.value !== failedToken) return false;
    state.cached = null;
    return true;
  }

  private async fetch(state: AppState, gettoken: GettokenCall): Promise<CachedToken> {
    const answer = await gettoken();
    const errcode = answer.errcode ?? 0;
    if (errcode !== 0) {
      const error = wecomError('gettoken', errcode);
      if (error.reason === 'configuration') {
        // Why hold it: retrying a wrong secret cannot succeed and risks an IP block.
        state.configurationFailure = { error, until: this.clock.now().getTime() + this.configurationHoldMs };
      }
      throw error;
    }
    if (typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw new ChannelError('unavailable', 'wecom gettoken answered without access_token', true);
    }
    const expiresInMs = (typeof answer.expires_in === 'number' ? answer.expires_in : 7200) * 1000;
    // Refresh ahead of expiry, but never so early that a short-lived token is stale at birth.
    const lifetimeMs = Math.max(expiresInMs - this.refreshMarginMs, expiresInMs / 2);
    const cached = { value: answer.access_token, refreshAt: this.clock.now().getTime() + lifetimeMs };
    state.cached = cached;
    state.configurationFailure = null;
    return cached;
  }

  private state(app: WecomApp): AppState {
    const key = `${app.corpId}\u0000${app.agentId}`;
    let state = this.apps.get(key);
    if (!state) {
      state = { cached: null, inflight: null, configurationFailure: null };
      this.apps.set(key, state);
    }
    return state;
  }
}
