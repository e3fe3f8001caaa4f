import { log } from '../log';
import { Config, ConfigError, loadConfig } from './config';
import { loadDotEnv } from './dotenv';

/**
 * The configuration of a command (`npm start`, `npm run demo`): `.env` and the environment,
 * validated; on problems, one line each on stderr and exit code 2. Sets the log level.
 */
export function bootConfig(): Config {
  loadDotEnv();
  try {
    const config = loadConfig(process.env);
    log.level = config.logLevel;
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(2);
  }
}
