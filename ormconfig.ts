import { loadDotEnv } from './src/config/dotenv';
import { loadConfig } from './src/config/config';
import { createDataSource } from './src/db/data-source';

/**
 * The data source for the TypeORM CLI (`npx typeorm-ts-node-commonjs -d ormconfig.ts …`),
 * built from the same configuration as the server.
 */
loadDotEnv();
export default createDataSource(loadConfig(process.env).db);
