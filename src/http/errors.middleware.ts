import { Middleware } from 'koa';
import { DomainError } from '../errors';
import { Logger } from '../log';

/**
 * The one error middleware: domain errors become `{"error":{"code","message"}}` with their
 * status; anything else is a 500 whose details stay in the log, never in the answer.
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
      log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack }, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'internal error' } };
    }
  };
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
