import { createHmac, randomBytes } from 'node:crypto';
import { Context } from 'koa';
import { constantTimeEqual } from '../crypto/constant-time';

/**
 * Who a console session belongs to: the admin (signed in with ADMIN_TOKEN) or a chat identity
 * (`wecom:<userid>`, `dingtalk:<userid>`), resolved to staff records on every request, so a
 * person removed from the staff list loses the console at once.
 */
export type SessionSubject = 'admin' | `wecom:${string}` | `dingtalk:${string}`;

export interface Session {
  sub: SessionSubject;
  /** Unix seconds after which the cookie is refused. */
  exp: number;
}

/** A console session lasts one working day. */
export const SESSION_LIFETIME_SECONDS = 12 * 3600;
/** An OAuth round trip must come back within 10 minutes. */
const STATE_LIFETIME_SECONDS = 600;

export const SESSION_COOKIE = 'hf_console';
const STATE_COOKIE = 'hf_console_state';

/**
 * The console's cookies: `<payload>.<HMAC-SHA256>` in base64url (node:crypto), checked in
 * constant time. HttpOnly, SameSite=Lax (a cross-site POST carries no session, so forms need
 * no token of their own), Secure when the public URL is https.
 */
export class ConsoleSessions {
  private readonly secure: boolean;

  constructor(
    private readonly key: string,
    publicBaseUrl: string,
  ) {
    this.secure = publicBaseUrl.startsWith('https:');
  }

  /** Starts a session for `sub` (a new cookie replaces any other). */
  start(ctx: Context, sub: SessionSubject, now: Date): void {
    const session: Session = { sub, exp: Math.floor(now.getTime() / 1000) + SESSION_LIFETIME_SECONDS };
    this.setCookie(ctx, SESSION_COOKIE, this.seal(session), '/console', SESSION_LIFETIME_SECONDS);
  }

  /** The session the request carries, or null (none, tampered, expired). */
  read(ctx: Context, now: Date): Session | null {
    const session = this.open<Session>(cookieValue(ctx, SESSION_COOKIE));
    if (!session || typeof session.sub !== 'string' || typeof session.exp !== 'number') return null;
    if (session.exp * 1000 <= now.getTime()) return null;
    if (session.sub !== 'admin' && !/^(wecom|dingtalk):./.test(session.sub)) return null;
    return session;
  }

  end(ctx: Context): void {
    this.setCookie(ctx, SESSION_COOKIE, '', '/console', 0);
  }

  /** A fresh OAuth `state`, remembered in a signed cookie for the way back. */
  newState(ctx: Context, platform: string, now: Date): string {
    const state = randomBytes(18).toString('base64url');
    const exp = Math.floor(now.getTime() / 1000) + STATE_LIFETIME_SECONDS;
    this.setCookie(ctx, STATE_COOKIE, this.seal({ state, platform, exp }), '/console', STATE_LIFETIME_SECONDS);
    return state;
  }

  /** Whether `state` is the one this browser was sent off with (and forgets it: one use). */
  takeState(ctx: Context, platform: string, state: string, now: Date): boolean {
    const saved = this.open<{ state: string; platform: string; exp: number }>(cookieValue(ctx, STATE_COOKIE));
    this.setCookie(ctx, STATE_COOKIE, '', '/console', 0);
    if (!saved || typeof saved.state !== 'string' || saved.platform !== platform) return false;
    if (saved.exp * 1000 <= now.getTime()) return false;
    return constantTimeEqual(saved.state, state);
  }

  private seal(value: unknown): string {
    const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  private open<T>(token: string | null): T | null {
    if (!token) return null;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    if (!constantTimeEqual(signature, this.sign(payload))) return null;
    try {
      const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return typeof value === 'object' && value !== null ? (value as T) : null;
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private setCookie(ctx: Context, name: string, value: string, path: string, maxAgeSeconds: number): void {
    const parts = [`${name}=${value}`, `Path=${path}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
    if (this.secure) parts.push('Secure');
    ctx.append('Set-Cookie', parts.join('; '));
  }
}

/** The console's cookie key: its own purpose-bound HMAC of the links' key. */
export function sessionKeyFrom(linkKey: string): string {
  return createHmac('sha256', linkKey).update('huifang/console-sessions/v1').digest('hex');
}

function cookieValue(ctx: Context, name: string): string | null {
  const header = ctx.get('cookie');
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}
