import { Middleware } from 'koa';
import { DomainError } from '../errors';
import { isDatabaseUnavailable } from '../db/database-unavailable';
import { Logger, redactLinkTokens } from '../log';

/** How long a caller should wait before retrying while the database is unavailable. */
const RETRY_AFTER_SECONDS = 30;

/**
 * The one error middleware: domain errors become `{"error":{"code","message"}}` with their
 * status; a database that cannot be reached (or has lost its schema) is a 503 the caller
 * retries; anything else is a 500 whose details stay in the log, never in the answer. Logged
 * paths and messages have their link tokens redacted.
 */
export function errorsMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` } };
      }
    } catch (err) {
      if (err instanceof DomainError) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
        return;
      }
      const status = httpStatusOf(err);
      if (status !== undefined && status < 500) {
        ctx.status = status;
        ctx.body = { error: { code: codeForStatus(status), message: (err as Error).message } };
        return;
      }
      const logged = { err: describeError(err), path: redactLinkTokens(ctx.path) };
      if (isDatabaseUnavailable(err)) {
        log.warn(logged, 'request failed: database unavailable');
        ctx.status = 503;
        ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
        ctx.body = { error: { code: 'database_unavailable', message: 'the database is unavailable; retry later' } };
        return;
      }
      log.error(logged, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'internal error' } };
    }
  };
}

function describeError(err: unknown) {
  const e = err as Error | undefined;
  const redact = (text: string | undefined) => (text === undefined ? undefined : redactLinkTokens(text));
  return { name: e?.name, message: redact(e?.message), stack: redact(e?.stack) };
}

function httpStatusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return 'request_error';
  }
}
