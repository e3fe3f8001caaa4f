import getRawBody from 'raw-body';
import { Context } from 'koa';
import { DomainError } from '../errors';

/** 1 MiB: larger webhook bodies are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the request's exact bytes (signatures are computed over them), at most `limit`. */
export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limit) throw new DomainError('payload_too_large', `the body is larger than ${limit} bytes`, 413);
  try {
    return await getRawBody(ctx.req, { limit });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') {
      throw new DomainError('payload_too_large', `the body is larger than ${limit} bytes`, 413);
    }
    throw new DomainError('bad_body', 'the body could not be read', 400);
  }
}

/** Parses a JSON body; anything that is not JSON is refused with 415. */
export function parseJsonBody(ctx: Context, raw: Buffer): unknown {
  const type = ctx.get('content-type');
  if (type && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
    throw new DomainError('unsupported_media_type', 'the body must be JSON (Content-Type: application/json)', 415);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('unsupported_media_type', 'the body is not valid JSON', 415);
  }
}
