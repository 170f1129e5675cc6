import type { ThrottlerStorage } from '@nestjs/throttler';
import { quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * The public pages' per-address limits, counted in PostgreSQL (`requests.rate_limits`): every instance
 * of every service sees the same count, so running N instances does not give an address N times the
 * limit. One statement per request: the window restarts when it has passed, and an address over the
 * limit is blocked for `blockDuration`.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.rate_limits`;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const { rows } = await this.pool.query<{ hits: number; expires_ms: number; blocked_ms: number }>(
      `WITH now AS (SELECT clock_timestamp() AS t)
       INSERT INTO ${this.table} AS r (key, window_start, hits, blocked_until)
       SELECT $1, now.t, 1, CASE WHEN 1 > $3 THEN now.t + make_interval(secs => $4 / 1000.0) END FROM now
       ON CONFLICT (key) DO UPDATE SET
         window_start = CASE WHEN r.window_start + make_interval(secs => $2 / 1000.0) <= EXCLUDED.window_start
                             AND (r.blocked_until IS NULL OR r.blocked_until <= EXCLUDED.window_start)
                        THEN EXCLUDED.window_start ELSE r.window_start END,
         hits = CASE WHEN r.window_start + make_interval(secs => $2 / 1000.0) <= EXCLUDED.window_start
                     AND (r.blocked_until IS NULL OR r.blocked_until <= EXCLUDED.window_start)
                THEN 1 ELSE r.hits + 1 END,
         blocked_until = CASE
           WHEN r.blocked_until > EXCLUDED.window_start THEN r.blocked_until
           WHEN r.window_start + make_interval(secs => $2 / 1000.0) > EXCLUDED.window_start AND r.hits + 1 > $3
             THEN EXCLUDED.window_start + make_interval(secs => $4 / 1000.0)
           ELSE NULL END
       RETURNING hits,
         greatest(0, extract(epoch FROM (window_start + make_interval(secs => $2 / 1000.0) - clock_timestamp())) * 1000)::float8 AS expires_ms,
         greatest(0, coalesce(extract(epoch FROM (blocked_until - clock_timestamp())) * 1000, 0))::float8 AS blocked_ms`,
      [`${throttlerName}:${key}`, ttl, limit, blockDuration],
    );
    const r = rows[0]!;
    return {
      totalHits: r.hits,
      timeToExpire: Math.ceil(r.expires_ms / 1000),
      isBlocked: r.blocked_ms > 0,
      timeToBlockExpire: Math.ceil(r.blocked_ms / 1000),
    };
  }
}
