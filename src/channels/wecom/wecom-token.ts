import { ChannelError } from '../channel';
import { Clock } from '../../clock';
import { AccessTokenCache } from '../access-token-cache';
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

/**
 * WeCom's access-token cache, keyed by (corpId, agentId): the shared `AccessTokenCache` with
 * WeCom's answer judged here (an errcode becomes its `ChannelError`; configuration errors
 * are held 15 minutes, as a wrong secret presented repeatedly gets the IP blocked).
 */
export class WecomTokenCache {
  private readonly cache: AccessTokenCache;

  constructor(options: WecomTokenCacheOptions = {}) {
    this.cache = new AccessTokenCache({ ...options, configurationHoldMs: options.configurationHoldMs ?? 15 * 60_000 });
  }

  /** A token valid for `app` now, fetched through `gettoken` only when none is cached. */
  token(app: WecomApp, gettoken: GettokenCall): Promise<string> {
    return this.cache.token(keyOf(app), async () => {
      const answer = await gettoken();
      const errcode = answer.errcode ?? 0;
      if (errcode !== 0) throw wecomError('gettoken', errcode);
      if (typeof answer.access_token !== 'string' || answer.access_token === '') {
        throw new ChannelError('unavailable', 'wecom gettoken answered without access_token', true);
      }
      return { value: answer.access_token, expiresInSeconds: typeof answer.expires_in === 'number' ? answer.expires_in : 7200 };
    });
  }

  /** Drops the cached token only if it is `failedToken` (see AccessTokenCache.invalidate). */
  invalidate(app: WecomApp, failedToken: string): boolean {
    return this.cache.invalidate(keyOf(app), failedToken);
  }
}

const keyOf = (app: WecomApp): string => `${app.corpId}\u0000${app.agentId}`;
