import pino, { DestinationStream } from 'pino';

/**
 * Signed link tokens (`<payload>.<signature>`, base64url; the dot maybe percent-encoded) and
 * whatever follows the link routes (`/s/`, `/f/`, `/w/`, `/r/weekly/`, in any case or spelling the
 * router takes) are credentials: a logged path shows `[token]` in their place.
 */
const LINK_ROUTE = /^(\/+(?:s|f|w|r\/+weekly)\/+)[^/?#]+/i;
const LINK_TOKEN = /[A-Za-z0-9_-]{8,}(?:\.|%2e)[A-Za-z0-9_-]{16,}/gi;

/** A path (or any text quoting one) with its link tokens replaced by `[token]`. */
export function redactLinkTokens(text: string): string {
  return text.replace(LINK_ROUTE, '$1[token]').replace(LINK_TOKEN, '[token]');
}

/**
 * A logger as the process uses it, writing to `destination` (stdout by default; tests pass
 * their own to read what is logged). Structured JSON; callers create children with ids
 * (`log.child({ job, runId })`). Never log names, phones, chat ids or free text; paths and
 * URLs are logged with their link tokens redacted.
 */
export function createLogger(destination?: DestinationStream, level = process.env.VITEST ? 'silent' : 'info') {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['*.phone', '*.name', '*.password', '*.secret', '*.token'], remove: true },
      serializers: { path: redactedText, url: redactedText },
    },
    destination,
  );
}

const redactedText = (value: unknown): unknown =>
  typeof value === 'string' || value instanceof URL ? redactLinkTokens(String(value)) : value;

/**
 * The process logger. Its level is `info` (silent under tests) until the configuration sets
 * `LOG_LEVEL` (`bootConfig`): read here, a bad value would stop the process with pino's stack
 * trace instead of the configuration's one line.
 */
export const log = createLogger();

export type Logger = typeof log;
