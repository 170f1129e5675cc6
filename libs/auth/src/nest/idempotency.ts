import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PLATFORM_CONFIG, SERVICE_NAME, type PlatformConfig } from '@platform/config';
import { DomainError } from '@platform/contracts';
import {
  canonicalJson,
  idempotencyScope,
  MIGRATION_POOL,
  PG_POOL,
  quoteIdent,
  runMigrations,
  type IdempotencyMark,
  type Migration,
} from '@platform/event-store';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedActor } from '../tokens.js';

/** Where `@HttpCode()` keeps a route's status (Nest's HTTP_CODE_METADATA, not exported by the package). */
const HTTP_CODE_METADATA = '__httpCode__';

/** How long a key answers repeats (the 24 hours; after that the key may be used afresh). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** A request holds its key this long without renewal; a process killed mid-request frees it after this. */
export const IDEMPOTENCY_LEASE_MS = 10_000;
const LEASE_RENEWAL_MS = 3_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `requests`, or `<DATABASE_SCHEMA_PREFIX>_requests`: one table for every service of a database. */
export function requestsSchemaOf(prefix: string | undefined): string {
  return prefix ? `${prefix}_requests` : 'requests';
}

/** The `requests` schema every service of a database shares: idempotency keys, rate limits, login failures, refresh tokens. */
export const REQUESTS_MIGRATIONS: Migration[] = [
  {
    id: 'requests/001-idempotency-keys',
    sql: (s) => `
      CREATE TABLE ${s}.idempotency_keys (
        service text NOT NULL,
        user_id text NOT NULL,
        key text NOT NULL,
        -- sha256 of method, path and canonical body: the same key with another request is refused.
        fingerprint text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Held by the request being served; renewed while it runs.
        locked_until timestamptz NOT NULL,
        -- Set by the transaction that appends the request's events (same commit).
        committed_at timestamptz,
        response_status integer,
        response_body text,
        PRIMARY KEY (service, user_id, key)
      );
      CREATE INDEX idempotency_keys_created ON ${s}.idempotency_keys (created_at);`,
  },
  {
    id: 'requests/002-rate-limits',
    sql: (s) => `
      -- Per-address request counts of the public pages, shared by every instance of every service.
      CREATE TABLE ${s}.rate_limits (
        key text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        blocked_until timestamptz
      );`,
  },
  {
    id: 'requests/003-login-failures',
    sql: (s) => `
      -- Failed logins per address, (address, account) and account, shared by every instance; keys are
      -- sha256 digests (no addresses or usernames in clear).
      CREATE TABLE ${s}.login_failures (
        scope text NOT NULL,
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        failures integer NOT NULL,
        PRIMARY KEY (scope, key)
      );`,
  },
  {
    id: 'requests/004-refresh-tokens',
    sql: (s) => `
      -- One row per refresh token ever issued (sha256 of the token, never the token): single use, in
      -- families that start at a login and end together (logout, reuse of a spent token, expiry).
      CREATE TABLE ${s}.refresh_tokens (
        token_hash text PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id text NOT NULL,
        token_version integer NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX refresh_tokens_family ON ${s}.refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_expires ON ${s}.refresh_tokens (expires_at);`,
  },
];

interface KeyRow {
  fingerprint: string;
  committed_at: Date | null;
  locked_until: Date;
  response_status: number | null;
  response_body: string | null;
  inserted: boolean;
  now: Date;
}

type Claim =
  | { kind: 'run' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'refuse'; error: DomainError };

function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Idempotency keys (`Idempotency-Key` header) on every POST, PUT, PATCH and DELETE of a signed-in user:
 * a repeat with the same key and request gets the first answer (status and body) without running again,
 * the same key with another request 422, a repeat while the first still runs 409. Keys answer for 24
 * hours. The key is marked committed by the transaction that appends the request's events, so a crash
 * cannot leave events without their key (a retry would run the command twice) or a key without events.
 */
@Injectable()
export class IdempotencyKeys implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  readonly schemaName: string;
  readonly table: string;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    @Inject(SERVICE_NAME) readonly service: string,
  ) {
    this.schemaName = requestsSchemaOf(config.DATABASE_SCHEMA_PREFIX);
    this.table = `${quoteIdent(this.schemaName)}.idempotency_keys`;
  }

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schemaName, REQUESTS_MIGRATIONS);
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), 3600_000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Forgets keys older than 24 hours (expired keys are also replaced on use, so this only frees space). */
  async sweep(): Promise<number> {
    try {
      const { rowCount } = await this.pool.query(
        `DELETE FROM ${this.table} WHERE created_at < now() - make_interval(hours => $1)`,
        [IDEMPOTENCY_KEY_TTL_HOURS],
      );
      await this.pool.query(
        `DELETE FROM ${quoteIdent(this.schemaName)}.rate_limits
          WHERE window_start < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())`,
      );
      await this.pool.query(
        `DELETE FROM ${quoteIdent(this.schemaName)}.login_failures WHERE window_start < now() - interval '1 day'`,
      );
      return rowCount ?? 0;
    } catch (e) {
      this.logger.warn(`expired idempotency keys not removed: ${(e as Error).message}`);
      return 0;
    }
  }

  mark(userId: string, key: string): IdempotencyMark {
    return { table: this.table, service: this.service, userId, key };
  }

  /**
   * Takes the key for this request, or says what to answer instead. A new key, an expired one, and one
   * whose holder died before committing anything (lease run out) are taken.
   */
  async claim(
    userId: string,
    key: string,
    fingerprint: string,
    method: string,
    path: string,
  ): Promise<Claim> {
    const { rows } = await this.pool.query<KeyRow>(
      `INSERT INTO ${this.table} AS k (service, user_id, key, fingerprint, method, path, locked_until)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       ON CONFLICT (service, user_id, key) DO UPDATE
          SET fingerprint = EXCLUDED.fingerprint, method = EXCLUDED.method, path = EXCLUDED.path,
              created_at = now(), locked_until = EXCLUDED.locked_until, committed_at = NULL,
              response_status = NULL, response_body = NULL
        WHERE k.created_at < now() - make_interval(hours => $8)
           OR (k.fingerprint = EXCLUDED.fingerprint AND k.committed_at IS NULL
               AND k.response_status IS NULL AND k.locked_until < now())
       RETURNING true AS inserted`,
      [
        this.service,
        userId,
        key,
        fingerprint,
        method,
        path,
        IDEMPOTENCY_LEASE_MS / 1000,
        IDEMPOTENCY_KEY_TTL_HOURS,
      ],
    );
    if (rows[0]?.inserted) return { kind: 'run' };
    const found = await this.pool.query<KeyRow>(
      `SELECT fingerprint, committed_at, locked_until, response_status, response_body, now() AS now
         FROM ${this.table} WHERE service = $1 AND user_id = $2 AND key = $3`,
      [this.service, userId, key],
    );
    const row = found.rows[0];
    // Removed between the two statements (the first request failed and let the key go): try again.
    if (!row) return this.claim(userId, key, fingerprint, method, path);
    if (row.fingerprint !== fingerprint) {
      return {
        kind: 'refuse',
        error: new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'Idempotency-Key：此键已用于另一个请求（地址或内容不同）；重新提交新内容时请使用新的键',
          422,
          { field: 'Idempotency-Key' },
        ),
      };
    }
    if (row.response_status !== null) {
      return {
        kind: 'replay',
        status: row.response_status,
        body: row.response_body === null ? undefined : JSON.parse(row.response_body),
      };
    }
    // Committed, no answer yet: still being answered while its holder's lease runs; after that the
    // holder died between the commit and saving the answer.
    if (row.committed_at && row.locked_until <= row.now) {
      return {
        kind: 'refuse',
        error: new DomainError(
          'IDEMPOTENCY_ANSWER_LOST',
          `此请求已于 ${beijing(row.committed_at)}（北京时间）办理完成，但服务在答复前中断，答复未能保存。` +
            '请刷新页面查看办理结果，不要重复办理',
          409,
          { field: 'Idempotency-Key', committedAt: row.committed_at.toISOString() },
        ),
      };
    }
    return {
      kind: 'refuse',
      error: new DomainError(
        'IDEMPOTENCY_IN_PROGRESS',
        '同一请求（Idempotency-Key 相同）正在办理中，请稍候再试',
        409,
        {
          field: 'Idempotency-Key',
          retryAfterSeconds: Math.max(1, Math.ceil((row.locked_until.getTime() - row.now.getTime()) / 1000)),
        },
      ),
    };
  }

  async renew(userId: string, key: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.table} SET locked_until = now() + make_interval(secs => $4)
        WHERE service = $1 AND user_id = $2 AND key = $3 AND response_status IS NULL`,
      [this.service, userId, key, IDEMPOTENCY_LEASE_MS / 1000],
    );
  }

  async answer(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.table} SET response_status = $4, response_body = $5, locked_until = now()
        WHERE service = $1 AND user_id = $2 AND key = $3`,
      [this.service, userId, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /**
   * The request failed: a key that committed nothing is let go, so a retry runs afresh and meets the
   * same rules. A key whose events committed stays (a retry is told the request was done).
   */
  async release(userId: string, key: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.table}
        WHERE service = $1 AND user_id = $2 AND key = $3 AND committed_at IS NULL AND response_status IS NULL`,
      [this.service, userId, key],
    );
  }
}

/** sha256 over method, path with query, and the body in canonical JSON (key order does not matter). */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const text = `${method} ${url}\n${body === undefined ? '' : canonicalJson(body)}`;
  return createHash('sha256').update(text).digest('hex');
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { actor?: AuthenticatedActor }>();
    const header = req.headers['idempotency-key'];
    if (header === undefined || !UNSAFE_METHODS.has(req.method)) return next.handle();
    const key = Array.isArray(header) ? header[0]! : header;
    if (!KEY_PATTERN.test(key)) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_INVALID',
        'Idempotency-Key 请求头：应为 1–200 个可见 ASCII 字符（如 UUID）',
        400,
        { field: 'Idempotency-Key' },
      );
    }
    // Sign-in and the public pages have no user to keep keys for: they run as without a key.
    const userId = req.actor?.id;
    if (!userId) return next.handle();
    const res = http.getResponse<Response>();
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (req.method === 'POST' ? 201 : 200);
    return from(this.serve(req, res, userId, key, status, next));
  }

  private async serve(
    req: Request,
    res: Response,
    userId: string,
    key: string,
    status: number,
    next: CallHandler,
  ): Promise<unknown> {
    const fingerprint = requestFingerprint(req.method, req.originalUrl, req.body);
    const claim = await this.keys.claim(userId, key, fingerprint, req.method, req.path);
    if (claim.kind === 'refuse') {
      const wait = claim.error.details?.retryAfterSeconds;
      if (typeof wait === 'number') res.setHeader('Retry-After', String(wait));
      throw claim.error;
    }
    if (claim.kind === 'replay') {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(claim.status);
      return claim.body;
    }
    const renewal = setInterval(() => {
      this.keys.renew(userId, key).catch(() => undefined);
    }, LEASE_RENEWAL_MS);
    renewal.unref();
    let result: unknown;
    try {
      result = await idempotencyScope.run(this.keys.mark(userId, key), () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
    } catch (e) {
      clearInterval(renewal);
      await this.keys
        .release(userId, key)
        .catch((err: Error) => this.logger.warn(`idempotency key not released: ${err.message}`));
      throw e;
    }
    clearInterval(renewal);
    await this.keys.answer(userId, key, status, result);
    return result;
  }
}
