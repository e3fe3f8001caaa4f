import pino from 'pino';

/**
 * The process logger. Structured JSON; callers create children with ids
 * (`log.child({ job, runId })`). Never log names, phones, chat ids or free text.
 * Its level is `info` (silent under tests) until the configuration sets `LOG_LEVEL`
 * (`bootConfig`): read here, a bad value would stop the process with pino's stack trace
 * instead of the configuration's one line.
 */
export const log = pino({
  level: process.env.VITEST ? 'silent' : 'info',
  base: undefined,
  redact: { paths: ['*.phone', '*.name', '*.password', '*.secret', '*.token'], remove: true },
});

export type Logger = typeof log;
