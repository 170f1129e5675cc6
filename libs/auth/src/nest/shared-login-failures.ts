import { createHash } from 'node:crypto';
import { quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits, type SharedFailureCounts } from '../login-limiter.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Failed logins counted in the database (`requests.login_failures`), so that every instance of every
 * service refuses an address or account that has used up its budget on any of them, attempts still being
 * checked included (`reserve`). Keys are digests.
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

  /**
   * Counts this attempt as a failure before its password is checked, for the address, the pair and the
   * account, in one statement, and returns the counts including it: attempts still being checked on any
   * instance count like failures, so a burst spread over several instances cannot slip past a limit before
   * the first failure is recorded. A wrong password leaves it counted; anything else gives it back
   * (`release`). A process that dies meanwhile leaves it counted: the safe side.
   */
  async reserve(address: string, username: string): Promise<SharedFailureCounts> {
    const keys = this.keys(address, username);
    const { rows } = await this.pool.query<{ scope: string; failures: number; left_ms: number }>(
      `INSERT INTO ${this.table} AS t (scope, key, window_start, failures)
       SELECT k.scope, k.key, now(), 1 FROM unnest($1::text[], $2::text[]) AS k(scope, key)
       ON CONFLICT (scope, key) DO UPDATE SET
         failures = CASE WHEN t.window_start + make_interval(secs => (
                            SELECT w FROM unnest($1::text[], $3::float8[]) AS x(s, w) WHERE x.s = t.scope) / 1000.0) <= now()
                         THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN t.window_start + make_interval(secs => (
                            SELECT w FROM unnest($1::text[], $3::float8[]) AS x(s, w) WHERE x.s = t.scope) / 1000.0) <= now()
                         THEN now() ELSE t.window_start END
       RETURNING t.scope, t.failures,
         extract(epoch FROM (t.window_start + make_interval(secs => (
           SELECT w FROM unnest($1::text[], $3::float8[]) AS x(s, w) WHERE x.s = t.scope) / 1000.0) - now())) * 1000 AS left_ms`,
      [keys.map((k) => k.scope), keys.map((k) => k.key), keys.map((k) => k.windowMs)],
    );
    return this.countsOf(rows);
  }

  /** Gives back what `reserve` counted (a right password, a refusal, a busy or failed check). */
  async release(address: string, username: string): Promise<void> {
    const keys = this.keys(address, username);
    await this.pool.query(
      `UPDATE ${this.table} t SET failures = GREATEST(t.failures - 1, 0)
         FROM unnest($1::text[], $2::text[]) AS k(scope, key)
        WHERE t.scope = k.scope AND t.key = k.key`,
      [keys.map((k) => k.scope), keys.map((k) => k.key)],
    );
  }

  /** Failures (and attempts being checked) within their windows, without counting one more. */
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
    return this.countsOf(rows);
  }

  private countsOf(rows: Array<{ scope: string; failures: number; left_ms: number }>): SharedFailureCounts {
    const of = (scope: string) => rows.find((r) => r.scope === scope);
    const seconds = (scope: string) => Math.max(1, Math.ceil((of(scope)?.left_ms ?? 0) / 1000));
    return {
      address: { failures: of('address')?.failures ?? 0, retryAfterSeconds: seconds('address') },
      pair: { failures: of('pair')?.failures ?? 0, retryAfterSeconds: seconds('pair') },
      account: { failures: of('account')?.failures ?? 0 },
    };
  }
}
