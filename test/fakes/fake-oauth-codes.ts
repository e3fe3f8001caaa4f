import { randomBytes } from 'node:crypto';
import { Clock } from '../../src/clock';

/**
 * The one-time codes the fake DingTalk's login page hands the browser: each names one person,
 * works once, and expires in 5 minutes (the fake WeCom has its own, in fake-wecom-jsapi.ts).
 */
export class FakeOauthCodes {
  private readonly codes = new Map<string, { subject: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs = 5 * 60_000,
  ) {}

  /** A fresh code for `subject` (a userid, or a unionId on DingTalk). */
  issue(subject: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { subject, expiresAt: this.clock.now().getTime() + this.lifetimeMs });
    return code;
  }

  /** The subject of `code`, using it up; null for an unknown, used or expired code. */
  take(code: string): string | null {
    const found = this.codes.get(code);
    this.codes.delete(code);
    if (!found || this.clock.now().getTime() >= found.expiresAt) return null;
    return found.subject;
  }
}
