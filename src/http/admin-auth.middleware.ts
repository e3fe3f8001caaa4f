import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { Middleware } from 'koa';
import { constantTimeEqual } from '../crypto/constant-time';
import { DomainError } from '../errors';

/** Marks the guard in a route's stack, so guarding a router twice does not stack it twice. */
const ADMIN_GUARD = Symbol('admin guard');
type Guard = Middleware & { [ADMIN_GUARD]?: true };

/**
 * The admin API's check: `Authorization: Bearer <ADMIN_TOKEN>`. Without a token configured
 * the API refuses everything, except in sandbox mode, where it is open by design.
 */
export function adminGuard(options: { token: string | null; sandbox: boolean }): Middleware {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const expected = options.token === null ? null : digest(options.token);
  const guard: Guard = async (ctx, next) => {
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
  guard[ADMIN_GUARD] = true;
  return guard;
}

/**
 * Puts `guard` first in the stack of every route of `router` under `/api`. The router's own
 * matcher (any case, an optional trailing slash) then decides both which handler runs and that
 * the guard runs before it: no spelling of a path reaches an admin handler unchecked.
 */
export function guardAdminRoutes(router: Router, guard: Middleware): void {
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string') {
      throw new Error(`a route with a non-string path cannot be classified as admin or public: ${String(layer.path)}`);
    }
    if (!/^\/api(\/|$)/i.test(layer.path)) continue;
    if ((layer.stack[0] as Guard | undefined)?.[ADMIN_GUARD]) layer.stack.shift();
    layer.stack.unshift(guard);
  }
}

/**
 * Whether a request path names the admin API however it is spelled: any case, percent-encoded
 * (even twice), doubled slashes or backslashes, dot segments. Such a request is refused with
 * 401 before routing, so a spelling no route matches answers like the API does, not with 404.
 */
export function isAdminPath(path: string): boolean {
  const segments: string[] = [];
  for (const segment of decodeFully(path).split(/[/\\]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments[0]?.toLowerCase() === 'api';
}

function decodeFully(path: string): string {
  let current = path;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
