import { randomBytes } from 'node:crypto';
import { getJsApiSignature } from '@wecom/crypto';
import { DataSource } from 'typeorm';
import { WecomTicket, WecomTicketKind } from '../../../entities';
import { Clock } from '../../clock';
import { ChannelError } from '../channel';
import { WecomApp } from './wecom-token';

/** How the sidebar's JS-SDK tickets are fetched (`WecomClient.jsapiTicket`). */
export type TicketFetch = (kind: WecomTicketKind) => Promise<{ ticket: string; expiresIn: number }>;

/** One JS-SDK signature: what `wx.config` / `wx.agentConfig` take besides the ids. */
export interface JsapiSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/**
 * The chat sidebar's two JS-SDK tickets (docs/wecom.md §10), cached in `wecom_tickets` so every
 * instance signs with the same ticket. Invariants:
 * - a ticket is reused until WeCom's `expires_in` less the margin, by the injected clock;
 * - within one process, at most one fetch per kind is in flight; two instances that both find
 *   the row stale may each fetch once, and the later write wins (WeCom keeps an earlier ticket
 *   valid until its own expiry, so a page signed with either works);
 * - `drop` is a compare-and-swap on the ticket a page reported failing: a burst of failures
 *   drops it once and causes one fetch, and never drops the fresh ticket that replaced it;
 * - a failed fetch is answered from memory for `failureHoldMs`, so pages opened meanwhile do not
 *   spend WeCom's ticket quota (100 per hour per app) on a call that is failing.
 * Signatures use WeCom's own algorithm (`getJsApiSignature` of `@wecom/crypto`) with a random
 * nonce from `crypto.randomBytes`.
 */
export class WecomJsapiTickets {
  private readonly inflight = new Map<WecomTicketKind, Promise<string>>();
  private readonly failures = new Map<WecomTicketKind, { error: unknown; until: number }>();
  private readonly appKey: string;

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      app: WecomApp;
      fetch: TicketFetch;
      /** Refresh this long before `expires_in` runs out (default 300 s). */
      refreshMarginMs?: number;
      /** After a failed fetch, answer the same error this long (default 30 s). */
      failureHoldMs?: number;
    },
  ) {
    this.appKey = `${deps.app.corpId}:${deps.app.agentId}`;
  }

  /** A valid ticket of `kind` now: from the database, or fetched once when none is fresh. */
  async ticket(kind: WecomTicketKind): Promise<string> {
    const now = this.deps.clock.now();
    const row = await this.repo().findOneBy({ app: this.appKey, kind });
    if (row && now < row.refreshAt) return row.value;
    const failure = this.failures.get(kind);
    if (failure && now.getTime() < failure.until) throw failure.error;
    let pending = this.inflight.get(kind);
    if (!pending) {
      pending = this.fetch(kind).finally(() => this.inflight.delete(kind));
      this.inflight.set(kind, pending);
    }
    return pending;
  }

  /**
   * Signs `url` with the current ticket of `kind`. `failed`: the signature a page reported
   * WeCom refused; when the current ticket made it, that ticket is dropped and a fresh one signs.
   */
  async sign(kind: WecomTicketKind, url: string, failed?: JsapiSignature): Promise<JsapiSignature> {
    let ticket = await this.ticket(kind);
    if (failed && signatureOf(ticket, url, failed) === failed.signature) {
      await this.drop(kind, ticket);
      ticket = await this.ticket(kind);
    }
    const nonceStr = randomBytes(12).toString('hex');
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    return { timestamp, nonceStr, signature: signatureOf(ticket, url, { timestamp, nonceStr }) };
  }

  /** Drops the cached ticket of `kind` only if it is `value`. Returns whether it did. */
  async drop(kind: WecomTicketKind, value: string): Promise<boolean> {
    const result = await this.repo().delete({ app: this.appKey, kind, value });
    return (result.affected ?? 0) > 0;
  }

  private async fetch(kind: WecomTicketKind): Promise<string> {
    let issued: { ticket: string; expiresIn: number };
    try {
      issued = await this.deps.fetch(kind);
    } catch (error) {
      const hold = this.deps.failureHoldMs ?? 30_000;
      if (error instanceof ChannelError && hold > 0) this.failures.set(kind, { error, until: this.deps.clock.now().getTime() + hold });
      throw error;
    }
    this.failures.delete(kind);
    const now = this.deps.clock.now();
    const lifetimeMs = (issued.expiresIn > 0 ? issued.expiresIn : 7200) * 1000;
    // Refresh ahead of expiry, but never so early that a short-lived ticket is stale at birth.
    const freshMs = Math.max(lifetimeMs - (this.deps.refreshMarginMs ?? 300_000), lifetimeMs / 2);
    await this.repo().upsert({ app: this.appKey, kind, value: issued.ticket, refreshAt: new Date(now.getTime() + freshMs), fetchedAt: now }, ['app', 'kind']);
    return issued.ticket;
  }

  private repo() {
    return this.deps.dataSource.getRepository(WecomTicket);
  }
}

/** WeCom's JS-SDK signature of `url` under `ticket` (SHA-1 per the official algorithm, never hand-rolled). */
export function signatureOf(ticket: string, url: string, sig: { timestamp: number; nonceStr: string }): string {
  return getJsApiSignature({ url, ticket, nonceStr: sig.nonceStr, timestamp: sig.timestamp }).signature;
}
