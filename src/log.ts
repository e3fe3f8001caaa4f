import pino from 'pino';

/**
 * The process logger. Structured JSON; callers create children with ids
 * (`log.child({ job, runId })`). Never log names, phones, chat ids or free text.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: undefined,
  redact: { paths: ['*.phone', '*.name', '*.password', '*.secret', '*.token'], remove: true },
});

export type Logger = typeof log;
