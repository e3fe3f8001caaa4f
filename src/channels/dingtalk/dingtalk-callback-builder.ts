import { createHmac, randomInt } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';

/** The three values of an app's event subscription (§5.1): signing token, AES key, owner key. */
export interface DingtalkEventKeys {
  token: string;
  /** 43 characters. */
  aesKey: string;
  /** AppKey for an internal app's event subscription (corpId / suiteKey elsewhere). */
  ownerKey: string;
}

/** An encrypted event push as it travels: query parameters and the JSON body. */
export interface EncryptedEvent {
  query: { msg_signature: string; timestamp: string; nonce: string } | { signature: string; timestamp: string; nonce: string };
  body: { encrypt: string };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random alphanumeric characters from a CSPRNG (nonces and the plaintext's random prefix). */
export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/**
 * Builds what DingTalk POSTs for one event (§5.2–5.3): the JSON encrypted with the owner key,
 * the SHA-1 signature over (token, timestamp, nonce, encrypt), timestamp in ms. The random
 * prefix is 16 alphanumeric ASCII bytes like the reference helpers; pass `random` for
 * byte-identical output. The fake DingTalk and the tests build their pushes with it, so they
 * travel the same path as real ones. `spelling` picks `signature` (default, §5.2) or
 * `msg_signature`.
 */
export function encryptEvent(
  keys: DingtalkEventKeys,
  event: Record<string, unknown> | string,
  at: { timestamp: number | string; nonce: string; random?: Buffer; spelling?: 'signature' | 'msg_signature' },
): EncryptedEvent {
  const message = typeof event === 'string' ? event : JSON.stringify(event);
  const encrypted = encrypt(keys.aesKey, message, keys.ownerKey, at.random ?? Buffer.from(randomAlnum(16)));
  const timestamp = String(at.timestamp);
  const signature = getSignature(keys.token, timestamp, at.nonce, encrypted);
  const query =
    at.spelling === 'msg_signature'
      ? { msg_signature: signature, timestamp, nonce: at.nonce }
      : { signature, timestamp, nonce: at.nonce };
  return { query, body: { encrypt: encrypted } };
}

/**
 * The card-callback signature DingTalk sends in `x-ddpaas-signature` (§4.5):
 * base64(HMAC-SHA256(key = apiSecret, message = the timestamp string)). The body is not signed.
 */
export function signCardCallback(apiSecret: string, timestamp: number | string): string {
  return createHmac('sha256', apiSecret).update(String(timestamp)).digest('base64');
}
