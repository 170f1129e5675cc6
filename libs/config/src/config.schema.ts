import { z } from 'zod';
import { trustProxyProblem } from './trust-proxy.js';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

const brokerList = z
  .string()
  .trim()
  .min(1)
  .refine((v) => v.split(',').every((b) => /^[\w.-]+:\d{1,5}$/.test(b.trim())), {
    message: 'expected a comma-separated list of host:port',
  });

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), { message: 'expected a postgres:// or postgresql:// URL' });

/** The KurrentDB client's own schemes (`esdb` still parses, with a deprecation warning from the client). */
const kurrentDbConnectionString = z
  .string()
  .trim()
  .refine((v) => /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/.test(v), {
    message: 'expected a kurrentdb:// or kurrentdb+discover:// connection string',
  });

/** Every setting the services read. Unknown variables are ignored; known ones are validated. */
export const platformConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_AUDITOR_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  DATABASE_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case SQL identifier')
    .optional(),
  /** Where the services' event logs live; PostgreSQL is required either way (README, "KurrentDB"). */
  EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  KURRENTDB_CONNECTION_STRING: kurrentDbConnectionString.optional(),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  EMBEDDED_PG_PORT: port.default(54329),
  TRANSPORT: z.enum(['kafka', 'event-log']).optional(),
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_CLIENT_ID: z.string().trim().min(1).default('social-assistance'),
  KAFKA_TOPIC_PARTITIONS: positiveInt.max(1000).default(6),
  KAFKA_NAME_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'expected letters, digits, dot, underscore or hyphen')
    .optional(),
  KAFKA_REPLICATION_FACTOR: positiveInt.max(10).default(1),
  KAFKA_FETCH_MAX_WAIT_MS: positiveInt.max(10_000).default(20),
  // A consumer restarted after a crash waits this long for its old member's session to end (the
  // broker's group.min.session.timeout.ms must be at most this; scripts/kafka.sh and compose set 1000).
  KAFKA_SESSION_TIMEOUT_MS: positiveInt.min(1_000).max(300_000).default(3_000),
  KAFKA_FETCH_MIN_BYTES: positiveInt.max(10_485_760).default(65_536),
  /**
   * How the services reach the brokers (Kafka's security.protocol): `sasl_ssl` (TLS and a user per service,
   * README "Security"), `ssl` (TLS, optionally a client certificate) or `plaintext`. Required in production.
   */
  KAFKA_SECURITY: z.enum(['plaintext', 'ssl', 'sasl_ssl']).optional(),
  /** PEM CA that signed the brokers' certificates (default: the system's CAs). */
  KAFKA_SSL_CA_FILE: z.string().trim().min(1).optional(),
  /** A client certificate and key (PEM) for brokers that want one (mutual TLS). */
  KAFKA_SSL_CERT_FILE: z.string().trim().min(1).optional(),
  KAFKA_SSL_KEY_FILE: z.string().trim().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).default('scram-sha-512'),
  KAFKA_SASL_USERNAME: z.string().trim().min(1).max(255).optional(),
  /** The service's Kafka password, or (better) a file holding it. */
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD_FILE: z.string().trim().min(1).optional(),
  CONSUMER_MAX_RETRIES: z.coerce.number().int().min(0).max(100).default(5),
  CONSUMER_RETRY_BASE_MS: positiveInt.max(60_000).default(200),
  POLL_INTERVAL_MS: positiveInt.max(60_000).default(250),
  /** Wake other processes' subscriptions after a commit through PostgreSQL NOTIFY (one LISTEN connection each). */
  COMMIT_NOTIFY: z.enum(['true', 'false']).default('true'),
  SUBSCRIPTION_GATHER_MS: z.coerce.number().int().min(0).max(1000).default(10),
  READ_HORIZON_ALERT_MS: positiveInt.max(86_400_000).default(60_000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Access tokens: minutes; a session goes on by exchanging its refresh token (REFRESH_TTL_SECONDS). */
  JWT_TTL_SECONDS: positiveInt.max(7 * 24 * 3600).default(15 * 60),
  /** A login's longest life: its refresh tokens are exchanged until then, then the user logs in again. */
  REFRESH_TTL_SECONDS: positiveInt.max(30 * 24 * 3600).default(8 * 3600),
  JWT_ISSUER: z.string().min(1).default('social-assistance-platform'),
  AUTH_IDP_JWKS_URL: z.string().url().optional(),
  AUTH_IDP_PUBLIC_KEY: z
    .string()
    .includes('BEGIN PUBLIC KEY', { message: 'expected a PEM public key' })
    .optional(),
  /** How the identity provider signs: from here, never from a token's own header. */
  AUTH_IDP_ALGORITHM: z.enum(['RS256', 'ES256', 'PS256', 'EdDSA']).default('RS256'),
  AUTH_IDP_ISSUER: z.string().min(1).optional(),
  AUTH_IDP_AUDIENCE: z.string().min(1).optional(),
  /**
   * Wraps the keys that seal personal values in events (32 bytes, base64). Required in production; without
   * it (development) the keys are stored bare. docs/personal-data.md.
   */
  PERSONAL_DATA_KEY: z
    .string()
    .trim()
    .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'expected 32 random bytes in base64 (openssl rand -base64 32)',
    })
    .optional(),
  /** How long a service trusts a personal-data key it has read: an erasure reaches it within this time. */
  PERSONAL_DATA_CACHE_MS: positiveInt.max(300_000).default(30_000),
  /** Sign-in through the identity provider in the browser (OpenID Connect code flow with PKCE). */
  AUTH_IDP_NAME: z.string().trim().min(1).max(40).default('政务服务统一身份认证'),
  AUTH_IDP_AUTHORIZE_URL: z.string().url().optional(),
  AUTH_IDP_TOKEN_URL: z.string().url().optional(),
  AUTH_IDP_CLIENT_ID: z.string().trim().min(1).max(200).optional(),
  AUTH_IDP_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  /** How the client secret travels to the token endpoint: HTTP Basic (OpenID Connect's default) or in the form. */
  AUTH_IDP_CLIENT_AUTH: z.enum(['basic', 'post']).default('basic'),
  AUTH_IDP_SCOPE: z.string().trim().min(1).max(500).default('openid'),
  /** Which token of the provider's answer the platform's API takes (its audience is AUTH_IDP_AUDIENCE). */
  AUTH_IDP_TOKEN_FIELD: z.enum(['access_token', 'id_token']).default('access_token'),
  /** The demo city and users; unset means false (apps/platform on its embedded database: true outside production). */
  AUTH_DEMO_USERS: z.enum(['true', 'false']).optional(),
  CLOCK_CONTROL: z.enum(['true', 'false']).default('false'),
  PUBLIC_RATE_LIMIT_PER_MINUTE: positiveInt.max(100_000).default(30),
  OVERDUE_SCAN_MS: positiveInt.max(3_600_000).default(60_000),
  SEAL_INTERVAL_MS: positiveInt.max(86_400_000).default(300_000),
  OVERSIGHT_SEAL_PRIVATE_KEY: z
    .string()
    .includes('PRIVATE KEY', { message: 'expected a PEM (PKCS#8) Ed25519 private key' })
    .optional(),
  SEAL_PRIVATE_KEY: z
    .string()
    .includes('PRIVATE KEY', { message: 'expected a PEM (PKCS#8) Ed25519 private key' })
    .optional(),
  SEAL_KEY_ID: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'expected 1-64 letters, digits, dot, colon, underscore or hyphen')
    .optional(),
  SEAL_TRUSTED_KEYS: z.string().min(2).optional(),
  SEAL_TRUSTED_KEYS_FILE: z.string().min(1).optional(),
  /** Express's `trust proxy`: unset trusts no proxy (see trust-proxy.ts). */
  TRUST_PROXY: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = trustProxyProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** Strict-Transport-Security (and CSP upgrade-insecure-requests): only when clients reach the service over HTTPS. */
  HSTS: z.enum(['true', 'false']).default('false'),
  /** Prometheus metrics at /metrics; unset: on outside production, and in production when METRICS_TOKEN is set. */
  METRICS_ENABLED: z.enum(['true', 'false']).optional(),
  /** Bearer token /metrics requires when set. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Notifications (docs/notifications.md): a signed webhook for the departments' and government's systems. */
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The provincial SMS gateway (HTTP contract in docs/notifications.md) and its shared secret. */
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Email: `smtp://…:587` (STARTTLS) or `smtps://user:pass@host:465`, and the sender address. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://host:port or smtps://user:password@host:port')
    .optional(),
  SMTP_FROM: z.string().trim().min(3).max(200).optional(),
  /** First retry of a failed notification after this long, doubling up to NOTIFY_RETRY_MAX_MS. */
  NOTIFY_RETRY_BASE_MS: positiveInt.max(3_600_000).default(5_000),
  NOTIFY_RETRY_MAX_MS: positiveInt.max(86_400_000).default(1_800_000),
  /** After this many attempts a notification goes to the dead-letter list. */
  NOTIFY_MAX_ATTEMPTS: positiveInt.max(100).default(12),
  NOTIFY_POLL_MS: positiveInt.max(60_000).default(1_000),
  /**
   * Traces (README, "Operations", "Traces"): spans go to this OTLP/HTTP endpoint (`/v1/traces` appended), or to
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given. Unset: no traces. Headers (e.g. a token) come from
   * OTEL_EXPORTER_OTLP_HEADERS, read by the exporter.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** The service name traces carry; default the application's (intake, health, platform, …). */
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'expected 1-64 letters, digits, dot, underscore or hyphen')
    .optional(),
  /** Share of new traces recorded (0–1, by trace id, so every service keeps the same ones). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** Spans are sent in batches at most this often (ms). */
  OTEL_BSP_SCHEDULE_DELAY: positiveInt.max(60_000).default(5_000),
  /** Swagger UI at /docs and its JSON/YAML; unset: on, except in production. */
  DOCS_ENABLED: z.enum(['true', 'false']).optional(),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema> & {
  TRANSPORT: 'kafka' | 'event-log';
  DOCS_ENABLED: 'true' | 'false';
  METRICS_ENABLED: 'true' | 'false';
};

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Settings whose values are never repeated in a refusal. */
const SECRET_SETTINGS = new Set([
  'KURRENTDB_CONNECTION_STRING',
  'KAFKA_SASL_PASSWORD',
  'AUTH_IDP_CLIENT_SECRET',
  'PERSONAL_DATA_KEY',
]);

/** Browser sign-in needs all three endpoints' settings and a way to check the tokens it brings back. */
function identityProviderSignInProblems(c: z.infer<typeof platformConfigSchema>): string[] {
  const signIn = {
    AUTH_IDP_AUTHORIZE_URL: c.AUTH_IDP_AUTHORIZE_URL,
    AUTH_IDP_TOKEN_URL: c.AUTH_IDP_TOKEN_URL,
    AUTH_IDP_CLIENT_ID: c.AUTH_IDP_CLIENT_ID,
  };
  const set = Object.entries(signIn).filter(([, v]) => v);
  if (set.length === 0) return [];
  const problems = Object.entries(signIn)
    .filter(([, v]) => !v)
    .map(
      ([k]) => `${k}: required with ${set.map(([n]) => n).join(' and ')} (browser sign-in needs all three)`,
    );
  if (!c.AUTH_IDP_JWKS_URL && !c.AUTH_IDP_PUBLIC_KEY)
    problems.push(
      'AUTH_IDP_JWKS_URL: required (or AUTH_IDP_PUBLIC_KEY) with browser sign-in: the tokens it brings back are checked with it',
    );
  if (c.NODE_ENV === 'production')
    for (const k of ['AUTH_IDP_AUTHORIZE_URL', 'AUTH_IDP_TOKEN_URL'] as const)
      if (c[k] && !c[k].startsWith('https://'))
        problems.push(`${k}: must be https:// in production (codes and tokens travel on it)`);
  return problems;
}

function kafkaSecurityProblems(c: z.infer<typeof platformConfigSchema>): string[] {
  const problems: string[] = [];
  const kafka = c.TRANSPORT === 'kafka' || (c.TRANSPORT === undefined && !!c.KAFKA_BROKERS);
  const security = c.KAFKA_SECURITY ?? 'plaintext';
  if (kafka && c.NODE_ENV === 'production' && !c.KAFKA_SECURITY)
    problems.push(
      'KAFKA_SECURITY: required in production with Kafka: sasl_ssl (TLS and a Kafka user per service with the ' +
        'grants of npm run kafka:setup), or plaintext only where the brokers are on a network nobody else reaches',
    );
  const sasl = c.KAFKA_SASL_USERNAME || c.KAFKA_SASL_PASSWORD || c.KAFKA_SASL_PASSWORD_FILE;
  if (security === 'sasl_ssl') {
    if (!c.KAFKA_SASL_USERNAME)
      problems.push("KAFKA_SASL_USERNAME: required with KAFKA_SECURITY=sasl_ssl (this service's Kafka user)");
    if (!c.KAFKA_SASL_PASSWORD && !c.KAFKA_SASL_PASSWORD_FILE)
      problems.push(
        'KAFKA_SASL_PASSWORD_FILE: required with KAFKA_SECURITY=sasl_ssl (or KAFKA_SASL_PASSWORD)',
      );
    if (c.KAFKA_SASL_PASSWORD && c.KAFKA_SASL_PASSWORD_FILE)
      problems.push('KAFKA_SASL_PASSWORD: set either it or KAFKA_SASL_PASSWORD_FILE, not both');
  } else if (sasl) {
    problems.push(
      `KAFKA_SASL_USERNAME: Kafka users need KAFKA_SECURITY=sasl_ssl (got ${security}: the password would not be used)`,
    );
  }
  if (security === 'plaintext' && (c.KAFKA_SSL_CA_FILE || c.KAFKA_SSL_CERT_FILE || c.KAFKA_SSL_KEY_FILE))
    problems.push(
      'KAFKA_SECURITY: KAFKA_SSL_* files are set but KAFKA_SECURITY is plaintext (set ssl or sasl_ssl)',
    );
  if (!!c.KAFKA_SSL_CERT_FILE !== !!c.KAFKA_SSL_KEY_FILE)
    problems.push(
      'KAFKA_SSL_KEY_FILE: a client certificate needs its key and the key its certificate (KAFKA_SSL_CERT_FILE)',
    );
  return problems;
}

export class ConfigurationError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Validates the environment. Throws a ConfigurationError that names each bad setting,
 * so a service refuses to start rather than run half-configured.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: { requireDatabaseUrl?: boolean } = {},
): PlatformConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = platformConfigSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      // A connection string may carry a password: name the setting, not its value.
      const got = SECRET_SETTINGS.has(key) ? undefined : cleaned[key];
      problems.push(`${key}: ${issue.message}${got !== undefined ? ` (got "${got}")` : ''}`);
    }
  }
  if (parsed.success) {
    const c = parsed.data;
    if (options.requireDatabaseUrl && !c.DATABASE_URL) {
      problems.push(
        'DATABASE_URL: required when a service runs on its own (only apps/platform embeds PostgreSQL)',
      );
    }
    // An unset NODE_ENV means development, which is safe only where nobody else can connect: a service
    // listening on a network address is a server, and a server must say which it is (README, "Security").
    if (cleaned.NODE_ENV === undefined && !isLoopback(c.HOST)) {
      problems.push(
        `NODE_ENV: not set while HOST=${c.HOST} listens beyond this machine; set NODE_ENV=production on a ` +
          'server (NODE_ENV=development only to try the platform out on a network address)',
      );
    }
    if (c.AUTH_IDP_JWKS_URL || c.AUTH_IDP_PUBLIC_KEY) {
      // Without them a token the same provider issued to any other application would be accepted here.
      if (!c.AUTH_IDP_ISSUER)
        problems.push('AUTH_IDP_ISSUER: required with an identity provider (the iss its tokens carry)');
      if (!c.AUTH_IDP_AUDIENCE)
        problems.push(
          'AUTH_IDP_AUDIENCE: required with an identity provider (the aud of tokens issued to this platform)',
        );
    }
    problems.push(...identityProviderSignInProblems(c));
    if (c.NODE_ENV === 'production' && !c.PERSONAL_DATA_KEY) {
      problems.push(
        'PERSONAL_DATA_KEY: required in production (32 random bytes in base64, openssl rand -base64 32): it wraps the keys that seal personal data in events',
      );
    }
    if (c.NODE_ENV === 'production' && !c.JWT_SECRET) {
      problems.push('JWT_SECRET: required in production (at least 32 characters)');
    }
    if (c.NODE_ENV === 'production' && !c.SEAL_PRIVATE_KEY && !c.OVERSIGHT_SEAL_PRIVATE_KEY) {
      problems.push(
        'SEAL_PRIVATE_KEY: required in production (PEM Ed25519 key that signs the seals of this service log)',
      );
    }
    if (c.NODE_ENV === 'production' && c.CLOCK_CONTROL === 'true') {
      problems.push('CLOCK_CONTROL: must not be enabled in production');
    }
    if (c.NODE_ENV === 'production' && c.AUTH_DEMO_USERS === 'true') {
      problems.push(
        'AUTH_DEMO_USERS: must not be true in production (the demo city has invented villages and its users ' +
          'share the published password Demo@2026); create the first administrator with npm run admin:create',
      );
    }
    if (c.NOTIFY_WEBHOOK_URL && !c.NOTIFY_WEBHOOK_SECRET)
      problems.push(
        "NOTIFY_WEBHOOK_SECRET: required with NOTIFY_WEBHOOK_URL (receivers check each message's signature with it)",
      );
    if (c.SMS_GATEWAY_URL && !c.SMS_GATEWAY_SECRET)
      problems.push(
        "SMS_GATEWAY_SECRET: required with SMS_GATEWAY_URL (the gateway checks each request's signature with it)",
      );
    if (c.SMTP_URL && !c.SMTP_FROM)
      problems.push(
        'SMTP_FROM: required with SMTP_URL (the sender address, e.g. 社会救助平台 <noreply@mzj.example.gov.cn>)',
      );
    if (c.TRANSPORT === 'kafka' && !c.KAFKA_BROKERS) {
      problems.push('KAFKA_BROKERS: required when TRANSPORT=kafka');
    }
    problems.push(...kafkaSecurityProblems(c));
    if (c.EVENT_STORE === 'kurrentdb' && !c.KURRENTDB_CONNECTION_STRING) {
      problems.push(
        'KURRENTDB_CONNECTION_STRING: required when EVENT_STORE=kurrentdb (e.g. kurrentdb://127.0.0.1:2113?tls=false)',
      );
    }
    if (c.NODE_ENV === 'production' && c.EVENT_STORE === 'kurrentdb') {
      // Seals, audit:verify and the relay's chain proofs still read PostgreSQL's event tables: on KurrentDB
      // they would find no events there and report nothing wrong.
      problems.push(
        'EVENT_STORE: kurrentdb is not supported in production yet: log seals, audit:verify and the chain ' +
          'proofs of published messages still read the PostgreSQL event tables (libs/event-store/README.md, "KurrentDB")',
      );
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  const c = parsed.data!;
  return {
    ...c,
    TRANSPORT: c.TRANSPORT ?? (c.KAFKA_BROKERS ? 'kafka' : 'event-log'),
    DOCS_ENABLED: c.DOCS_ENABLED ?? (c.NODE_ENV === 'production' ? 'false' : 'true'),
    METRICS_ENABLED:
      c.METRICS_ENABLED ?? (c.NODE_ENV === 'production' && !c.METRICS_TOKEN ? 'false' : 'true'),
  };
}
