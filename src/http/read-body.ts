import { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { Context } from 'koa';
import { DomainError } from '../errors';
import { invalidFields } from './validation';

/** 1 MiB: larger webhook bodies are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How much of a refused body is still read (and thrown away) before answering 413: a socket
 * closed while the client is still sending is reset, and the client may lose the answer.
 * A client sending more than this is cut off.
 */
const DISCARDED_BYTES_MAX = 16 * MAX_BODY_BYTES;

/** Reads the request's exact bytes (signatures are computed over them), at most `limit`. */
export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limit) throw await tooLarge(ctx, limit);
  try {
    return await getRawBody(ctx.req, { limit });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') throw await tooLarge(ctx, limit);
    throw new DomainError('bad_body', 'the body could not be read', 400);
  }
}

/**
 * Parses a JSON body: 415 for a body whose type is not JSON, 400 `invalid_json` for one that
 * says JSON but does not parse, 400 `invalid_text` naming each field whose text is not valid
 * Unicode (a lone UTF-16 surrogate, or bytes that are not UTF-8): stored, it would turn into
 * replacement characters.
 */
export function parseJsonBody(ctx: Context, raw: Buffer): unknown {
  const type = ctx.get('content-type');
  if (type && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
    throw new DomainError('unsupported_media_type', 'the body must be JSON (Content-Type: application/json)', 415);
  }
  // Decoded once, strictly: bytes that are not UTF-8 are decoded again leniently (to U+FFFD),
  // and the fields holding one are the broken ones.
  let text: string;
  let brokenBytes = false;
  try {
    text = UTF8.decode(raw);
  } catch {
    brokenBytes = true;
    text = raw.toString('utf8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError('invalid_json', 'the body is not valid JSON', 400);
  }
  // A lone surrogate can only arrive as a \uD800–\uDFFF escape: without one, nothing to walk.
  if (!brokenBytes && !ESCAPED_SURROGATE.test(text)) return body;
  const fields = brokenText(body, '', brokenBytes);
  if (fields.length > 0) {
    throw invalidFields(
      fields.map((field) => ({ field, message: 'is not valid Unicode text' })),
      'invalid_text',
    );
  }
  return body;
}

const LONE_SURROGATE = /\p{Cs}/u;
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The paths of the strings (values or names) in `value` that are not valid text. */
function brokenText(value: unknown, path: string, brokenBytes: boolean): string[] {
  const broken = (text: string) => LONE_SURROGATE.test(text) || (brokenBytes && text.includes('\uFFFD'));
  if (typeof value === 'string') return broken(value) ? [path || '(body)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => brokenText(item, join(path, String(i)), brokenBytes));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      broken(key) ? [join(path, key.replace(/\p{Cs}/gu, '\uFFFD'))] : brokenText(item, join(path, key), brokenBytes),
    );
  }
  return [];
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/**
 * Refuses an oversized body so that the client reads the 413: the rest of the body is read
 * and thrown away (up to a bound), and the connection closes after the answer instead of
 * waiting for a next request that would start in the middle of this body.
 */
export async function tooLarge(ctx: Context, limit: number): Promise<DomainError> {
  ctx.set('Connection', 'close');
  await discard(ctx.req, DISCARDED_BYTES_MAX);
  return new DomainError('payload_too_large', `the body is larger than ${limit} bytes`, 413);
}

function discard(req: IncomingMessage, max: number): Promise<void> {
  return new Promise((resolve) => {
    // A client announcing more than the bound is not waited for: it is cut off after the answer.
    if (req.readableEnded || req.destroyed || Number(req.headers['content-length']) > max) return resolve();
    let seen = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > max) done();
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}
