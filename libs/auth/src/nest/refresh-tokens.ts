import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { quoteIdent, runMigrations, withClient } from '@platform/event-store';
import type { Pool, PoolClient } from 'pg';
import { REQUESTS_MIGRATIONS } from './idempotency.js';

/** A spent token shown again within this long is a client's own race (two requests refreshing at once), not theft. */
export const REFRESH_REUSE_GRACE_MS = 10_000;

export type RotateOutcome =
  | { kind: 'rotated'; userId: string; tokenVersion: number; familyId: string; expiresAt: Date }
  /** Unknown, expired, revoked, or the family was ended: log in again. */
  | { kind: 'invalid'; reason: 'unknown' | 'expired' | 'revoked' }
  /** A token already exchanged, shown again after the grace: the family is ended (someone else holds a copy). */
  | { kind: 'reused' }
  /** Already exchanged a moment ago by the same session: the client should use the newer tokens it holds. */
  | { kind: 'raced' };

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Refresh tokens (README, "Security"): an access token lives minutes; a login also gets a refresh token
 * that is exchanged, once, for a new pair. Tokens are stored only as sha256 digests. Each login starts
 * a family that ends together: at logout, when the session's absolute lifetime ends, and when a spent
 * token is shown again after a short grace — a copy is in someone else's hands, so neither copy may go
 * on. Rows live in the `requests` schema every service of the database shares.
 */
export class RefreshTokens {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly o: { ttlSeconds: number },
  ) {
    this.table = `${quoteIdent(schema)}.refresh_tokens`;
  }

  async migrate(migrationPool: Pool): Promise<void> {
    await runMigrations(migrationPool, this.schema, REQUESTS_MIGRATIONS);
  }

  /** A new refresh token for a session, in a new family (a login) or an existing one (a rotation). */
  async issue(
    userId: string,
    tokenVersion: number,
    family?: { id: string; expiresAt: Date },
    tx: Pool | PoolClient = this.pool,
  ): Promise<{ refreshToken: string; refreshExpiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const { rows } = await tx.query<{ expires_at: Date }>(
      `INSERT INTO ${this.table} (token_hash, family_id, user_id, token_version, expires_at)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now() + make_interval(secs => $6)))
       RETURNING expires_at`,
      [
        digest(token),
        family?.id ?? randomUUID(),
        userId,
        tokenVersion,
        family?.expiresAt ?? null,
        this.o.ttlSeconds,
      ],
    );
    return { refreshToken: token, refreshExpiresAt: rows[0]!.expires_at.toISOString() };
  }

  /**
   * Exchanges a refresh token: marks it spent and says whose session it continues; the caller checks the
   * user and issues the new pair with `issue(…, family)` in the same transaction (`tx`). One statement
   * locks the row, so two exchanges of one token at once give one `rotated`.
   */
  async rotate<T>(token: string, then: (outcome: RotateOutcome, tx: PoolClient) => Promise<T>): Promise<T> {
    return withClient(this.pool, async (client) => {
      try {
        await client.query('BEGIN');
        const outcome = await this.exchange(client, token);
        const result = await then(outcome, client);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  /** Locks the token's row and marks it spent, or says why it cannot be exchanged. */
  private async exchange(client: PoolClient, token: string): Promise<RotateOutcome> {
    const { rows } = await client.query<{
      family_id: string;
      user_id: string;
      token_version: number;
      expires_at: Date;
      used_at: Date | null;
      revoked_at: Date | null;
      now: Date;
    }>(
      `SELECT family_id, user_id, token_version, expires_at, used_at, revoked_at, now() AS now
         FROM ${this.table} WHERE token_hash = $1 FOR UPDATE`,
      [digest(token)],
    );
    const row = rows[0];
    if (!row) return { kind: 'invalid', reason: 'unknown' };
    if (row.revoked_at) return { kind: 'invalid', reason: 'revoked' };
    if (row.expires_at <= row.now) return { kind: 'invalid', reason: 'expired' };
    if (row.used_at) {
      if (row.now.getTime() - row.used_at.getTime() <= REFRESH_REUSE_GRACE_MS) return { kind: 'raced' };
      await this.endFamily(row.family_id, client);
      return { kind: 'reused' };
    }
    await client.query(`UPDATE ${this.table} SET used_at = now() WHERE token_hash = $1`, [digest(token)]);
    return {
      kind: 'rotated',
      userId: row.user_id,
      tokenVersion: row.token_version,
      familyId: row.family_id,
      expiresAt: row.expires_at,
    };
  }

  /** Ends the family a token belongs to (logout); false when the token is unknown. */
  async revoke(token: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ family_id: string }>(
      `SELECT family_id FROM ${this.table} WHERE token_hash = $1`,
      [digest(token)],
    );
    if (!rows[0]) return false;
    await this.endFamily(rows[0].family_id, this.pool);
    return true;
  }

  async endFamily(familyId: string, tx: Pool | PoolClient = this.pool): Promise<void> {
    await tx.query(
      `UPDATE ${this.table} SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }

  /** Forgets sessions that ended more than a day ago (expired families stay a day, for the reuse answer). */
  async sweep(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.table} WHERE expires_at < now() - interval '1 day'`,
    );
    return rowCount ?? 0;
  }
}
