import type { Pool } from 'pg';
import { quoteIdent } from './migrations.js';

/**
 * The SQL expression of this database's read horizon (migrations event-store/005, 006): every reader of
 * the global log reads only `transaction_id < (SELECT <it>)`, ordered by (transaction_id, global_position).
 * In a scalar subquery it is evaluated once per statement, with that statement's snapshot.
 */
export function readHorizonSql(quotedSchema: string): string {
  return `${quotedSchema}.read_horizon()`;
}

/** The backend (or prepared transaction) of this database whose transaction holds the horizon back. */
export interface HorizonHolder {
  /** The horizon: the holder's transaction id. */
  transactionId: bigint;
  /** How long it has held the horizon, as far as can be seen (see `heldMs` in the query). */
  heldMs: number;
  pid: number | null;
  applicationName: string | null;
  user: string | null;
  /** null when this role may not see it (another role's session, without pg_read_all_stats). */
  state: string | null;
  xactStart: Date | null;
  /** First 200 characters, whitespace collapsed; null when not visible to this role. */
  query: string | null;
  /** Set when the holder is a prepared transaction. */
  preparedGid: string | null;
}

interface HolderRow {
  horizon: string;
  pid: number | null;
  application_name: string | null;
  usename: string | null;
  state: string | null;
  xact_start: Date | null;
  query: string | null;
  gid: string | null;
  prepared: Date | null;
  owner: string | null;
  open_ms: number | null;
}

export interface ReadHorizonMonitorOptions {
  pool: Pool;
  schema: string;
  /** A horizon held longer than this by one transaction of this database is reported. */
  alertMs: number;
  now?: () => number;
}

/**
 * Finds what holds this database's read horizon back, in one query. Transactions of other databases
 * are already ignored by the horizon itself; one of this database still holds every relay, projection
 * and seal reading the log until it ends, by design (skipping it could lose its events).
 */
export class ReadHorizonMonitor {
  private readonly sql: string;
  /** The holder seen by the previous look and since when, for holders whose start is not visible. */
  private seen: { transactionId: bigint; since: number } | null = null;

  constructor(private readonly options: ReadHorizonMonitorOptions) {
    const s = quoteIdent(options.schema);
    // `open_ms` from xact_start (or PREPARE time): a backend's xid is assigned at or after xact_start, so
    // this is an upper bound of how long the horizon has been held — it is how long the transaction has
    // been open, which is what an operator acts on. xact_start is NULL for another role's session unless
    // this role has pg_read_all_stats; then the monitor counts from when it first saw the same holder.
    this.sql = `
      WITH h AS (SELECT ${s}.read_horizon_exact() AS horizon, pg_snapshot_xmax(pg_current_snapshot()) AS xmax)
      SELECT h.horizon::text AS horizon, a.pid, a.application_name, a.usename, a.state, a.xact_start,
             regexp_replace(left(a.query, 200), '\\s+', ' ', 'g') AS query,
             p.gid, p.prepared, p.owner,
             (extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, p.prepared)) * 1000)::float8 AS open_ms
        FROM h
        LEFT JOIN pg_stat_activity a ON a.backend_xid = h.horizon::xid AND a.datname = current_database()
        LEFT JOIN pg_prepared_xacts p ON p.transaction = h.horizon::xid AND p.database = current_database()
       WHERE h.horizon < h.xmax`;
  }

  /** The current holder, or null when no transaction of this database holds the horizon. */
  async holder(): Promise<HorizonHolder | null> {
    const now = (this.options.now ?? Date.now)();
    const { rows } = await this.options.pool.query<HolderRow>(this.sql);
    const r = rows[0];
    if (!r) {
      this.seen = null;
      return null;
    }
    const transactionId = BigInt(r.horizon);
    if (this.seen?.transactionId !== transactionId) this.seen = { transactionId, since: now };
    return {
      transactionId,
      heldMs: Math.round(r.open_ms ?? now - this.seen.since),
      pid: r.pid,
      applicationName: r.application_name,
      user: r.usename ?? r.owner,
      state: r.state,
      xactStart: r.xact_start ?? r.prepared,
      query: r.query === '<insufficient privilege>' ? null : r.query,
      preparedGid: r.gid,
    };
  }

  /**
   * Readiness: fails, naming the holder, once one transaction of this database has held the horizon
   * longer than `alertMs`. Down rather than a note on an "up": a held horizon stops this service's relay,
   * projections and seals while appends go on succeeding, the same kind of failure as an unreachable
   * broker (`transport:kafka`), and /ready is what operators watch; the cure is ending that one
   * transaction (or raising READ_HORIZON_ALERT_MS for workloads that legitimately write for longer).
   */
  async check(): Promise<void> {
    const h = await this.holder();
    // A running xid that is neither a backend's nor a prepared transaction's of this database ended
    // while we looked: nothing to report.
    if (!h || (h.pid === null && h.preparedGid === null) || h.heldMs <= this.options.alertMs) return;
    throw new Error(describeHolder(h));
  }
}

export function describeHolder(h: HorizonHolder): string {
  const held = `${Math.round(h.heldMs / 1000)} s`;
  const consequence = 'relays, projections and seals of this database wait until it ends';
  if (h.preparedGid !== null) {
    return (
      `read horizon held for ${held} by prepared transaction '${h.preparedGid}' (xid ${h.transactionId}, ` +
      `owner ${h.user ?? 'unknown'}, prepared at ${h.xactStart?.toISOString() ?? 'unknown'}): ${consequence}; ` +
      `COMMIT PREPARED or ROLLBACK PREPARED it`
    );
  }
  if (h.pid === null)
    return `read horizon held for ${held} by transaction ${h.transactionId}: ${consequence}`;
  const hidden = 'not visible to this role (pg_read_all_stats shows it)';
  return (
    `read horizon held for ${held} by pid ${h.pid} (application_name "${h.applicationName ?? ''}", ` +
    `user "${h.user ?? ''}", state ${h.state === null ? hidden : `"${h.state}"`}, ` +
    `transaction open since ${h.xactStart?.toISOString() ?? hidden}, xid ${h.transactionId}, ` +
    // The query text stays out: /ready is public and ad-hoc SQL may quote applicants' personal data.
    `its query in pg_stat_activity): ${consequence}; ` +
    `end that transaction (COMMIT/ROLLBACK, or SELECT pg_terminate_backend(${h.pid}))`
  );
}
