/*
 * Measuring and cutting text the way the platforms count it: WeCom and DingTalk limits are
 * UTF-8 bytes (a CJK character is 3 bytes), display limits are characters. Cuts happen on
 * whole code points, so a result is never a broken character or a lone surrogate half.
 */

const ELLIPSIS = '…';

/** The UTF-8 length of `text` in bytes, as the platforms measure their limits. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, ending in `…` when something was cut.
 *
 * Invariant: `utf8Bytes(result) <= maxBytes`; the result is well-formed (whole code points
 * only); unchanged when it already fits.
 */
export function truncateBytes(text: string, maxBytes: number, ellipsis = ELLIPSIS): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const room = maxBytes - utf8Bytes(ellipsis);
  if (room < 0) return '';
  let used = 0;
  let out = '';
  // for…of walks code points, so a surrogate pair (emoji) is kept or dropped whole.
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > room) break;
    used += size;
    out += char;
  }
  return out + ellipsis;
}

/**
 * `text` cut to at most `maxChars` characters (code points), ending in `…` when cut.
 *
 * Invariant: `[...result].length <= maxChars`; well-formed; unchanged when it fits.
 */
export function truncateChars(text: string, maxChars: number, ellipsis = ELLIPSIS): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const keep = Math.max(0, maxChars - Array.from(ellipsis).length);
  return chars.slice(0, keep).join('') + ellipsis;
}

/** Length in characters (code points), the unit of the platforms' display guidance. */
export function charLength(text: string): number {
  return Array.from(text).length;
}
