export { constantTimeEqual } from '../../crypto/constant-time';

/** How far a callback's timestamp may be from now before we refuse it: 5 minutes. */
export const CALLBACK_MAX_SKEW_MS = 5 * 60_000;

/** Below this a timestamp is read as seconds, above as milliseconds (1e11 ms ≈ 1973; 1e11 s ≈ year 5138). */
const SECONDS_BELOW = 1e11;

/**
 * A callback timestamp in ms, reading its unit by magnitude (DingTalk's unit is not always
 * stated: event pushes use ms, the card signature's unit is unverified). Undefined unless it
 * is a plain non-negative integer.
 */
export function callbackTimestampMs(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value < SECONDS_BELOW ? value * 1000 : value;
}

/** Whether `raw` is a timestamp within `CALLBACK_MAX_SKEW_MS` of `now`, in either direction. */
export function isFreshTimestamp(raw: string | undefined, now: Date): boolean {
  const ms = callbackTimestampMs(raw);
  return ms !== undefined && Math.abs(now.getTime() - ms) <= CALLBACK_MAX_SKEW_MS;
}

