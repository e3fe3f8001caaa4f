import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../crypto/constant-time';
import { Middleware } from 'koa';
import { DomainError } from '../errors';

/**
 * Guards `/api/*` with `Authorization: Bearer <ADMIN_TOKEN>`. Without a token configured
 * the API refuses everything, except in sandbox mode, where it is open by design.
 */
export function adminAuth(options: { token: string | null; sandbox: boolean }): Middleware {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const expected = options.token === null ? null : digest(options.token);
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') && ctx.path !== '/api') return next();
    if (options.sandbox && expected === null) return next();
    if (expected === null) {
      throw new DomainError('admin_disabled', 'the admin API is disabled until ADMIN_TOKEN is set', 401);
    }
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !constantTimeEqual(digest(match[1].trim()), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new DomainError('unauthorized', 'a valid bearer token is required', 401);
    }
    return next();
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
