import { bootConfig } from './boot-config';

/**
 * The first step of `npm start`: the configuration checked before the build, so a mistake
 * shows in about a second — one line per problem, exit code 2 (bootConfig) — instead of after
 * the compiler's ten. Says nothing when the configuration is good.
 */
bootConfig();
