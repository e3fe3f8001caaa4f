import { createHmac } from 'node:crypto';

/**
 * The signature of a custom group robot with "加签" (§6.1): base64(HMAC-SHA256(key = secret,
 * message = `${timestampMs}\n${secret}`)), NOT yet URL-encoded. The fake robot checks with it.
 */
export function robotSign(secret: string, timestampMs: number | string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/**
 * The webhook URL with `timestamp` (ms) and `sign` added. `URLSearchParams` encodes the
 * base64 exactly once (`+`, `/`, `=` escaped), which is what DingTalk requires; without a
 * secret the URL is returned unchanged (keyword/IP-secured robots).
 */
export function signRobotWebhook(webhookUrl: string, secret: string | undefined | null, timestampMs: number): string {
  if (!secret) return webhookUrl;
  const url = new URL(webhookUrl);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', robotSign(secret, timestampMs));
  return url.toString();
}
