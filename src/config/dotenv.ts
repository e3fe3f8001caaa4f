import { existsSync } from 'node:fs';
import { config as readDotEnv } from 'dotenv';

/** Loads `./.env` when present; variables already in the environment win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) readDotEnv({ path, override: false, quiet: true } as Parameters<typeof readDotEnv>[0]);
}
