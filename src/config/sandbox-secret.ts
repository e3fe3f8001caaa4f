import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sandbox's webhook (and so link) secret when none is configured: made once and kept in
 * `./data/sandbox-secret`, so survey and form links already shown in the sandbox's chats keep
 * working after a restart. Outside sandbox mode WEBHOOK_SECRET is required instead.
 */
export function sandboxSecret(dir = './data'): string {
  const path = join(dir, 'sandbox-secret');
  if (existsSync(path)) {
    const kept = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{48}$/.test(kept)) return kept;
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(24).toString('hex');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}
