import { createHash } from 'node:crypto';
import { Middleware } from 'koa';

/** The CSP source that allows exactly one inline block: our own constant CSS or script. */
const inlineHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * A page's Content-Security-Policy: nothing loads from anywhere; the only inline style and
 * script allowed are the page's own constant blocks, by hash (so no `unsafe-inline`, and
 * nothing injected could run); forms post back to us; the page is never framed.
 */
export function pagePolicy(
  inline: { styles?: string[]; scripts?: string[]; scriptFiles?: boolean; fetchesOwnApi?: boolean; scriptOrigins?: string[] } = {},
): string {
  const sources = (list: string[] | undefined) => (list?.length ? list.map(inlineHash).join(' ') : "'none'");
  // `scriptFiles`: the page loads its script from us (e.g. /sandbox/sandbox.js), never inline.
  // `scriptOrigins`: a platform's SDK the page must load from its host (the sidebar's WeCom JS-SDK).
  const scripts = inline.scriptFiles ? ["'self'", ...(inline.scriptOrigins ?? []), ...(inline.scripts ?? []).map(inlineHash)].join(' ') : sources(inline.scripts);
  return [
    "default-src 'none'",
    `style-src ${sources(inline.styles)}`,
    `script-src ${scripts}`,
    ...(inline.fetchesOwnApi ? ["connect-src 'self'"] : []),
    'img-src data:',
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For an HTML answer whose route named no policy of its own: no style, no script. */
const STRICT_POLICY = pagePolicy();

/**
 * The headers of every HTML answer: pages carry link tokens and residents' records, so they
 * are never cached (a re-render after a refused post included), never framed, never sniffed
 * into something else, and never send their URL (the token) on as a referrer.
 */
export function pageHeaders(): Middleware {
  return async (ctx, next) => {
    await next();
    // Why not `ctx.response.is('html')`: this runs on every answer, the webhook's included.
    if (ctx.response.type !== 'text/html') return;
    if (!ctx.response.get('Content-Security-Policy')) ctx.set('Content-Security-Policy', STRICT_POLICY);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-store');
  };
}
