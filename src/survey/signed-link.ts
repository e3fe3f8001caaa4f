import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../crypto/constant-time';

/**
 * What a signed link grants: answering one visit (resident), recording it (one staff member),
 * reading one office's weekly summary (visitId 0), or an owner's sign-off of a warranty repair
 * (visitId 0, `repairId`), or a campaign's weekly report (visitId 0, `campaignId`, `week`, `staffId`).
 */
export interface LinkGrant {
  visitId: number;
  purpose: 'survey' | 'record' | 'weekly' | 'repair_signoff' | 'sidebar' | 'campaign_report';
  /** The staff member a record link is bound to; a chat-sidebar session's WeCom userid. */
  staffId?: string;
  /** The office and ISO week of a weekly-summary link. */
  officeId?: string;
  week?: string;
  /** The campaign of a campaign-report link (with `week`, and `staffId`: who reads it). */
  campaignId?: string;
  /** The warranty repair a sign-off link is bound to. */
  repairId?: number;
  /** Unix seconds after which the link is refused. */
  expiresAt: number;
  /** Random: makes each link distinct and names it in the single-use log. */
  nonce: string;
}

export type LinkCheck = { ok: true; grant: LinkGrant } | { ok: false; reason: 'forged' | 'expired' };

/** Links are valid 7 days (docs/api.md). */
export const LINK_LIFETIME_SECONDS = 7 * 86_400;

/**
 * Signed links for the survey page and the staff record form: `<payload>.<HMAC-SHA256>` in
 * base64url. Nothing is stored until the link is used; the signature makes it unforgeable.
 */
export class SignedLinks {
  constructor(private readonly secret: string) {}

  issue(grant: Omit<LinkGrant, 'expiresAt' | 'nonce'>, now: Date, lifetimeSeconds = LINK_LIFETIME_SECONDS): string {
    const full: LinkGrant = {
      ...grant,
      expiresAt: Math.floor(now.getTime() / 1000) + lifetimeSeconds,
      nonce: randomBytes(9).toString('base64url'),
    };
    const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The resident's survey page of a visit (`/s/:token`) under `publicBaseUrl`, valid 7 days from `now`. */
  surveyUrl(publicBaseUrl: string, visitId: number, now: Date): string {
    return `${publicBaseUrl}/s/${this.issue({ visitId, purpose: 'survey' }, now)}`;
  }

  check(token: string, now: Date): LinkCheck {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'forged' };
    // Constant-time: the signature must not be guessable byte by byte.
    if (!constantTimeEqual(signature, this.sign(payload))) return { ok: false, reason: 'forged' };
    let grant: LinkGrant;
    try {
      grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkGrant;
    } catch {
      return { ok: false, reason: 'forged' };
    }
    if (!Number.isSafeInteger(grant.visitId) || typeof grant.nonce !== 'string') return { ok: false, reason: 'forged' };
    if (grant.expiresAt * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** The key for links: LINK_SECRET, else one derived from the webhook secret. */
export function linkSecretFrom(linkSecret: string | null, webhookSecret: string): string {
  return linkSecret ?? createHmac('sha256', webhookSecret).update('huifang/signed-links/v1').digest('hex');
}
