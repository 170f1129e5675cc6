import { createHash } from 'node:crypto';
import { quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits, type SharedFailureCounts } from '../login-limiter.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Failed logins counted in the database (`requests.login_failures`), so that every instance of every
 * service refuses an address or account that has used up its budget on any of them. Keys are digests.
 */
export class SharedLoginFailures {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {
    this.table = `${quoteIdent(schema)}.login_failures`;
  }

  private keys(address: string, username: string) {
    return [
      { scope: 'address', key: digest(address), windowMs: this.limits.perAddress.windowMs },
      {
        scope: 'pair',
        key: digest(`${address}\n${username}`),
        windowMs: this.limits.perAddressAccount.windowMs,
      },
      { scope: 'account', key: digest(username), windowMs: this.limits.perAccount.windowMs },
    ];
  }

  /** Failures within their windows, for `LoginLimiter.admit`. */
  async counts(address: string, username: string): Promise<SharedFailureCounts> {
    const keys = this.keys(address, username);
    const { rows } = await this.pool.query<{ scope: string; failures: number; left_ms: number }>(
      `SELECT t.scope, t.failures,
              extract(epoch FROM (t.window_start + make_interval(secs => k.window_ms / 1000.0) - now())) * 1000 AS left_ms
         FROM ${this.table} t
         JOIN unnest($1::text[], $2::text[], $3::float8[]) AS k(scope, key, window_ms)
           ON t.scope = k.scope AND t.key = k.key
        WHERE t.window_start + make_interval(secs => k.window_ms / 1000.0) > now()`,
      [keys.map((k) => k.scope), keys.map((k) => k.key), keys.map((k) => k.windowMs)],
    );
    const of = (scope: string) => rows.find((r) => r.scope === scope);
    const seconds = (scope: string) => Math.max(1, Math.ceil((of(scope)?.left_ms ?? 0) / 1000));
    return {
      address: { failures: of('address')?.failures ?? 0, retryAfterSeconds: seconds('address') },
      pair: { failures: of('pair')?.failures ?? 0, retryAfterSeconds: seconds('pair') },
      account: { failures: of('account')?.failures ?? 0 },
    };
  }

  /** One more failure for the address, the pair and the account (a window that has run out starts again). */
  async record(address: string, username: string): Promise<void> {
    const keys = this.keys(address, username);
    await this.pool.query(
      `INSERT INTO ${this.table} AS t (scope, key, window_start, failures)
       SELECT k.scope, k.key, now(), 1 FROM unnest($1::text[], $2::text[]) AS k(scope, key)
       ON CONFLICT (scope, key) DO UPDATE SET
         failures = CASE WHEN t.window_start + make_interval(secs => (
                            SELECT w FROM unnest($1::text[], $3::float8[]) AS x(s, w) WHERE x.s = t.scope) / 1000.0) <= now()
                         THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN t.window_start + make_interval(secs => (
                            SELECT w FROM unnest($1::text[], $3::float8[]) AS x(s, w) WHERE x.s = t.scope) / 1000.0) <= now()
                         THEN now() ELSE t.window_start END`,
      [keys.map((k) => k.scope), keys.map((k) => k.key), keys.map((k) => k.windowMs)],
    );
  }
}
