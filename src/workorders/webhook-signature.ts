import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../crypto/constant-time';

/** Signed requests older or newer than this are refused: limits replay of a captured call. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<raw body>` (docs/api.md). */
export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/**
 * True when the signature matches and the timestamp is within ±300 s of `now`. The
 * comparison is constant-time so the signature cannot be guessed byte by byte.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  now: Date,
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  return constantTimeEqual(signature.trim(), signWebhook(secret, timestamp, rawBody));
}
