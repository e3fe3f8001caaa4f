import { createHash } from 'node:crypto';

/**
 * Per-recipient limits the dispatcher holds to by queueing. WeCom drops app messages beyond
 * 30/min and 1,000/h per member without an error; DingTalk caps an internal app at 500 work
 * notices per user per day; group robots take 20/min. Ours sit a little under the platforms'
 * so that two dispatchers racing on the same person stay inside them.
 */
export interface RecipientLimit {
  windowMs: number;
  max: number;
}

export const RECIPIENT_LIMITS: Record<string, RecipientLimit[]> = {
  wecom: [
    { windowMs: 60_000, max: 25 },
    { windowMs: 3_600_000, max: 900 },
  ],
  dingtalk: [
    { windowMs: 60_000, max: 25 },
    { windowMs: 86_400_000, max: 450 },
  ],
  robot: [{ windowMs: 60_000, max: 18 }],
};

/**
 * Moves an instant that falls on minute :00 or :30 to 1–4 minutes later, spread by `key`:
 * WeCom advises against bulk sends exactly then, and reminders cluster at 08:00 and 09:00.
 */
export function offPeak(at: Date, key: string): Date {
  const minute = at.getUTCMinutes();
  // Why UTC minutes: every zone's offset is a whole number of half hours or quarter hours
  // (so :00/:30 local coincide with :00/:30 or :15/:45 UTC); the platforms' peaks are on
  // their own (China) clock, which is UTC+8, so :00 and :30 there are :00 and :30 in UTC.
  if (minute !== 0 && minute !== 30) return at;
  const spreadSeconds = 61 + (createHash('sha1').update(key).digest().readUInt16BE(0) % 180);
  return new Date(at.getTime() + spreadSeconds * 1000);
}

/**
 * Back-off before attempt `attempts + 1`: exponential from 10 s, capped at 30 min, with full
 * jitter so many failed rows do not retry in lockstep; never sooner than the platform asks.
 */
export function retryDelayMs(attempts: number, random: () => number, minimumMs = 0): number {
  const ceiling = Math.min(30 * 60_000, 10_000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(minimumMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** After this many failed attempts a retryable failure is given up as `failed`. */
export const MAX_ATTEMPTS = 10;

/**
 * Calls per second one instance makes to a platform's send APIs. DingTalk allows an app 20
 * calls per second per API (docs/dingtalk.md §7) and advises 10–15 from the client; WeCom allows a
 * company 10,000 calls a minute per API (≈ 166/s, docs/wecom.md §5). Each instance keeps to under
 * half, so two instances stay inside.
 */
export const APP_CALLS_PER_SECOND: Record<string, number> = { dingtalk: 8, wecom: 80, robot: 5 };

/**
 * Holds a process's calls to a platform under a rate by waiting, never by dropping: a small
 * sliding window in memory (it only smooths bursts; the guarantees live in the database).
 */
export class CallRateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perSecond: Record<string, number>,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async take(channel: string): Promise<void> {
    const limit = this.perSecond[channel];
    if (!limit) return;
    for (;;) {
      const now = this.now();
      const window = (this.recent.get(channel) ?? []).filter((t) => now - t < 1000);
      if (window.length < limit) {
        window.push(now);
        this.recent.set(channel, window);
        return;
      }
      this.recent.set(channel, window);
      await this.sleep(1000 - (now - window[0]) + 1);
    }
  }
}
