import { randomBytes } from 'node:crypto';
import { getJsApiSignature } from '@wecom/crypto';

/**
 * The part of the fake WeCom the chat sidebar talks to (docs/wecom.md §10): OAuth's
 * `auth/getuserinfo`, and the two JS-SDK tickets (`get_jsapi_ticket` for `wx.config`,
 * `ticket/get?type=agent_config` for `wx.agentConfig`). It also checks a page's signatures the
 * way the WeCom client does, so a test's stand-in JS-SDK can refuse a stale ticket as WeCom would.
 */
export interface FakeJsapi {
  /** A single-use OAuth code (valid 5 minutes) for a member, as WeCom's redirect carries it. */
  oauthCode(userId: string): string;
  /** A code for someone outside the directory: `getuserinfo` answers an openid, no userid. */
  outsiderCode(): string;
  /** How many times each ticket was fetched. */
  ticketFetches(kind: 'corp' | 'agent'): number;
  /** Whether a page's signature of `url` was made with a ticket of `kind` that is still valid. */
  verify(kind: 'corp' | 'agent', input: { url: string; timestamp: number | string; nonceStr: string; signature: string }): boolean;
  /** Every ticket issued so far lapses (as when WeCom ends one early, mid-day). */
  expireTickets(): void;
}

export const JSAPI_PATHS = {
  getuserinfo: '/cgi-bin/auth/getuserinfo',
  corpTicket: '/cgi-bin/get_jsapi_ticket',
  agentTicket: '/cgi-bin/ticket/get',
} as const;

const CODE_LIFETIME_MS = 5 * 60_000;

/** The sidebar's endpoints on top of the fake's token check and directory. */
export function fakeJsapi(deps: {
  now: () => number;
  /** Throws the fake's refusal for a missing, invalid or expired access token. */
  checkToken: (url: URL) => void;
  member: (id: string) => string | undefined;
  refuse: (errcode: number, why: string) => never;
  ticketExpiresIn: () => number;
}): { api: FakeJsapi; handle: (path: string, url: URL) => Record<string, unknown> } {
  const codes = new Map<string, { userId: string | null; expiresAt: number; used: boolean }>();
  const tickets = new Map<string, { kind: 'corp' | 'agent'; expiresAt: number }>();
  const fetches = { corp: 0, agent: 0 };

  const issueCode = (userId: string | null) => {
    const code = randomBytes(16).toString('hex');
    codes.set(code, { userId, expiresAt: deps.now() + CODE_LIFETIME_MS, used: false });
    return code;
  };

  const ticket = (kind: 'corp' | 'agent') => {
    fetches[kind] += 1;
    // A new ticket on each fetch; earlier ones stay valid until their own expiry (unverified).
    const value = `${kind}_${randomBytes(24).toString('base64url')}`;
    const expiresIn = deps.ticketExpiresIn();
    tickets.set(value, { kind, expiresAt: deps.now() + expiresIn * 1000 });
    return { errcode: 0, errmsg: 'ok', ticket: value, expires_in: expiresIn };
  };

  function handle(path: string, url: URL): Record<string, unknown> {
    deps.checkToken(url);
    if (path === JSAPI_PATHS.corpTicket) return ticket('corp');
    if (path === JSAPI_PATHS.agentTicket) {
      if (url.searchParams.get('type') !== 'agent_config') deps.refuse(40058, 'type must be agent_config');
      return ticket('agent');
    }
    const code = url.searchParams.get('code') ?? '';
    const issued = codes.get(code);
    if (!issued || issued.used || deps.now() >= issued.expiresAt) deps.refuse(40029, 'invalid code');
    issued.used = true;
    if (issued.userId === null) return { errcode: 0, errmsg: 'ok', openid: `o_${randomBytes(8).toString('hex')}` };
    const user = deps.member(issued.userId);
    // Someone who left the company since the code was issued is no member any more.
    if (!user) return { errcode: 0, errmsg: 'ok', openid: `o_${randomBytes(8).toString('hex')}` };
    return { errcode: 0, errmsg: 'ok', userid: user };
  }

  const api: FakeJsapi = {
    oauthCode: (userId) => issueCode(userId),
    outsiderCode: () => issueCode(null),
    ticketFetches: (kind) => fetches[kind],
    verify: (kind, input) => {
      for (const [value, issued] of tickets) {
        if (issued.kind !== kind || deps.now() >= issued.expiresAt) continue;
        const { signature } = getJsApiSignature({ url: input.url, ticket: value, nonceStr: input.nonceStr, timestamp: input.timestamp });
        if (signature === input.signature) return true;
      }
      return false;
    },
    expireTickets: () => {
      for (const issued of tickets.values()) issued.expiresAt = Math.min(issued.expiresAt, deps.now());
    },
  };
  return { api, handle };
}
