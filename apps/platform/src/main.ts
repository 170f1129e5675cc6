import 'reflect-metadata';
import path from 'node:path';
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
if (!config.DATABASE_URL && config.NODE_ENV === 'production') {
  // The embedded cluster lives in DATA_DIR beside the code, with no backups, replication or tuning.
  console.error(
    'Invalid configuration:\n  - DATABASE_URL: required in production (the embedded PostgreSQL is for trying the ' +
      'platform out); set DATABASE_URL (service role) and DATABASE_OWNER_URL (owner), README "Database roles"',
  );
  process.exit(1);
}
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
  // The superuser owns the tables and migrates; requests run as platform_service, which cannot alter
  // them, disable the append-only triggers or rewrite events (README, "Database roles").
  process.env.DATABASE_OWNER_URL = embedded.url;
  process.env.DATABASE_URL = embedded.serviceUrl;
  // The password stays in its file (mode 0600); the line shows how to use it.
  const passwordFile = path.join(path.resolve(config.DATA_DIR), 'platform_auditor.password');
  const auditorUrl = embedded.auditorUrl.replace(/:[^:@/]+@/, `:$(cat '${passwordFile}')@`);
  console.error(
    `[embedded-postgres] read-only access for npm run audit:verify: DATABASE_AUDITOR_URL=${auditorUrl}`,
  );
  // The quick start (`npm ci && npm start`) shows the demo city; everywhere else demo users are off
  // unless AUTH_DEMO_USERS=true, and production refuses them.
  if (!process.env.AUTH_DEMO_USERS && config.NODE_ENV !== 'production') {
    process.env.AUTH_DEMO_USERS = 'true';
    console.error(
      '[platform] embedded database: loading the demo city 巴彦淖尔市 (invented villages) and demo users ' +
        '(password Demo@2026); AUTH_DEMO_USERS=false loads the national division tree and no users instead',
    );
  }
}

try {
  const app = await bootstrapService(PlatformModule, {
    title: 'Social assistance platform',
    description:
      'All departments in one process: one-door intake, civil affairs, health, housing, education and oversight.',
    defaultPort: 3000,
    afterClose: async () => {
      await embedded?.stop();
    },
  });
  // Among the JSON log lines, one a person at a terminal reads: where to open the platform.
  const address = app.getHttpServer().address() as import('node:net').AddressInfo;
  const host = !config.HOST || config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const docs = config.DOCS_ENABLED === 'true' ? ' （API 文档 /docs）' : '';
  const line = `社会救助协同平台已启动：http://${host}:${address.port}/${docs}`;
  if (process.stderr.isTTY) console.error(`\n  ${line}\n`);
  else console.error(line);
} catch (e) {
  console.error(e);
  await embedded?.stop();
  process.exit(1);
}
