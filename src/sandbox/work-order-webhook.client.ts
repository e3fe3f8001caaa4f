import { Clock } from '../clock';
import { signWebhook } from '../workorders/webhook-signature';

/** What `POST /webhooks/work-orders` answered. */
export interface WebhookAnswer {
  status: number;
  body: unknown;
}

/**
 * Posts one work-order event to our own webhook the way the work-order system does: the exact
 * bytes, `X-Timestamp` from `clock` and `X-Signature` HMAC'd with the webhook secret. The sandbox
 * uses it for the demo week and for its form, so those events travel the real path.
 */
export async function postWorkOrderEvent(
  target: { url: string; secret: string; clock: Clock },
  event: unknown,
): Promise<WebhookAnswer> {
  const raw = JSON.stringify(event);
  // Why the app's clock: the webhook refuses timestamps more than 300 s from its own now.
  const timestamp = String(Math.floor(target.clock.now().getTime() / 1000));
  const res = await fetch(`${target.url}/webhooks/work-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signWebhook(target.secret, timestamp, raw) },
    body: raw,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}
