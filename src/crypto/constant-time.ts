import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two secrets or signatures (node's timingSafeEqual over their UTF-8
 * bytes), the one comparison every signature and token check uses. Why: `===` leaks, through
 * timing, how many leading characters a forger got right. Only the length may differ in
 * time, and lengths are public (fixed by each algorithm) — hash first where they are not.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  return left.length === right.length && timingSafeEqual(left, right);
}
