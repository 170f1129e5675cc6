import type { ContractRegistry } from '@platform/contracts';
import {
  prepared,
  quoteIdent,
  START,
  type Checkpoint,
  type EventStore,
  type Subscription,
} from '@platform/event-store';
import pg, { type Pool, type PoolClient } from 'pg';
import { toLinkedMessages } from './integration-message.js';
import type { IntegrationTransport } from './transport.port.js';

export interface OutboxRelayOptions {
  name: string;
  pool: Pool;
  store: EventStore;
  transport: IntegrationTransport;
  contracts: ContractRegistry;
  batchSize?: number;
  pollIntervalMs?: number;
  /** How often a standby relay retries the leadership lock. */
  standbyRetryMs?: number;
  /** How long the leader's lease lasts without renewal (renewed every second) before a standby ends it. */
  leaseMs?: number;
  log?: (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    detail?: Record<string, unknown>,
  ) => void;
  /** Test seam: runs after the broker acknowledged a batch and before the checkpoint is stored. */
  afterPublish?: (count: number) => Promise<void>;
}

/**
 * The event log is the outbox: tails the service's own log from its checkpoint, publishes the
 * events its contracts make public, and stores the checkpoint only after the broker acknowledged.
 * One relay per service publishes at a time (session advisory lock); the others stand by, retrying.
 * The leader renews a lease every second: a standby that finds it stale (a frozen process keeps its
 * lock connection open) ends the holder's session and takes over. A leader that loses its connection
 * stands by again. A crash between publish and checkpoint republishes; consumers' inboxes absorb the
 * duplicates.
 */
export class OutboxRelay {
  private lockClient: PoolClient | null = null;
  private subscription: Subscription | null = null;
  private standbyTimer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private published = 0;
  private lockPool: Pool | null = null;

  constructor(private readonly o: OutboxRelayOptions) {}

  /**
   * Leadership holds one session for as long as it lasts: it comes from a pool of its own, never from the
   * service's. A process running every department (apps/platform) has a relay per department, and their
   * held sessions once took the whole service pool, so that nothing else could reach the database.
   */
  private leadershipPool(): Pool {
    if (!this.lockPool) {
      this.lockPool = new pg.Pool({
        ...this.o.pool.options,
        max: 1,
        application_name: 'social-assistance-relay',
      });
      this.lockPool.on('error', () => undefined);
    }
    return this.lockPool;
  }

  get isLeader(): boolean {
    return this.subscription !== null;
  }

  get publishedCount(): number {
    return this.published;
  }

  async start(): Promise<void> {
    this.stopped = false;
    // The broker may be down at start: publishing creates the topics and retries until it is back.
    // Only the topics of this department's events (all of them where the relay is not a department's):
    // under ACLs a service may see no other topic, and publishers do not write dead letters.
    const own = this.o.contracts.list().filter((c) => c.department === this.o.name);
    const topics =
      own.length > 0
        ? [...new Set(own.map((c) => this.o.contracts.topicOf(c.type)))]
        : this.o.contracts.topics();
    void this.o.transport
      .ensureTopics(topics, { deadLetters: false })
      .catch((e: Error) =>
        this.o.log?.('warn', 'relay could not create topics yet', { relay: this.o.name, error: e.message }),
      );
    await this.tryLead();
  }

  /** Contends again after a while; a failed attempt (database away) schedules the next. */
  private scheduleLead(delayMs = this.o.standbyRetryMs ?? 2000): void {
    if (this.stopped) return;
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    this.standbyTimer = setTimeout(() => {
      this.standbyTimer = null;
      this.tryLead().catch((e: Error) => {
        this.o.log?.('warn', 'relay could not contend for leadership; retrying', {
          relay: this.o.name,
          error: e.message,
        });
        this.scheduleLead();
      });
    }, delayMs);
  }

  private get leaseSeconds(): number {
    return (this.o.leaseMs ?? 5000) / 1000;
  }

  /** The leader's lease has not been renewed for too long: end the session that holds the lock. */
  private async endStaleLeader(client: PoolClient): Promise<void> {
    const s = quoteIdent(this.o.store.schema);
    const { rows } = await client.query<{ pid: number }>(
      `SELECT l.pid FROM ${s}.relay_leases r
         JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext($1)::bigint AND l.pid = r.backend_pid
        WHERE r.relay = $2 AND r.renewed_at < clock_timestamp() - make_interval(secs => $3)`,
      [this.lockKey(), this.o.name, this.leaseSeconds],
    );
    for (const { pid } of rows) {
      this.o.log?.('warn', 'relay leader stopped renewing its lease; ending its session', {
        relay: this.o.name,
        pid,
      });
      await client.query('SELECT pg_terminate_backend($1)', [pid]);
    }
  }

  /** The lock connection is gone (or the lease could not be renewed): stop publishing, stand by. */
  private lostLeadership(client: PoolClient, why: string): void {
    if (this.lockClient !== client) return;
    this.o.log?.('warn', 'relay lost its leadership; standing by', { relay: this.o.name, why });
    this.lockClient = null;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    const sub = this.subscription;
    this.subscription = null;
    client.release(new Error(why));
    void sub?.stop().finally(() => this.scheduleLead());
  }

  private async tryLead(): Promise<void> {
    if (this.stopped || this.lockClient) return;
    const client = await this.leadershipPool().connect();
    // Until it holds the lock, a backend ended under it must not end the process (the pool stops
    // listening for a checked-out connection's errors): the next query fails instead.
    const early = () => undefined;
    client.on('error', early);
    let ok: boolean;
    try {
      ok =
        (
          await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
            this.lockKey(),
          ])
        ).rows[0]?.ok === true;
      if (!ok) await this.endStaleLeader(client);
    } catch (e) {
      client.removeListener('error', early);
      client.release(e as Error);
      throw e;
    }
    if (!ok || this.stopped) {
      try {
        if (ok) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey()]);
        client.removeListener('error', early);
        client.release();
      } catch (e) {
        client.removeListener('error', early);
        client.release(e as Error);
      }
      this.scheduleLead();
      return;
    }
    client.removeListener('error', early);
    this.lockClient = client;
    // Losing the lock connection means another relay may take over: stop publishing at once.
    client.on('error', (e: Error) => this.lostLeadership(client, e.message));
    const s = quoteIdent(this.o.store.schema);
    const renew = () =>
      client.query(
        `INSERT INTO ${s}.relay_leases (relay, backend_pid, renewed_at) VALUES ($1, pg_backend_pid(), clock_timestamp())
         ON CONFLICT (relay) DO UPDATE SET backend_pid = EXCLUDED.backend_pid, renewed_at = EXCLUDED.renewed_at`,
        [this.o.name],
      );
    await renew();
    this.leaseTimer = setInterval(() => {
      renew().catch((e: Error) => this.lostLeadership(client, e.message));
    }, 1000);
    this.leaseTimer.unref();
    // Checkpoints are written on this connection without waiting for the disk: a checkpoint lost in
    // a crash only means republishing what the consumers' inboxes already absorb.
    await client.query('SET synchronous_commit = off');
    const after = await this.loadCheckpoint();
    this.subscription = this.o.store.subscribeToAll({
      after,
      batchSize: this.o.batchSize ?? 500,
      pollIntervalMs: this.o.pollIntervalMs,
      maxRetryMs: 1_000,
      onError: (e, attempt) =>
        this.o.log?.(attempt > 3 ? 'error' : 'warn', 'relay retrying', {
          relay: this.o.name,
          error: e.message,
        }),
      handler: async (events) => {
        const last = events[events.length - 1]!;
        // Each message carries its origin's proof: its version, hash and the previous published link.
        const messages = await toLinkedMessages(this.o.pool, this.o.store.schema, events, this.o.contracts);
        await this.o.transport.publish(messages);
        await this.o.afterPublish?.(messages.length);
        await this.saveCheckpoint({ transactionId: last.transactionId, globalPosition: last.globalPosition });
        this.published += messages.length;
      },
    });
    this.o.log?.('info', 'relay is publishing', { relay: this.o.name, schema: this.o.store.schema });
  }

  private lockKey(): string {
    return `relay:${this.o.store.schema}:${this.o.name}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    const sub = this.subscription;
    this.subscription = null;
    await sub?.stop();
    const client = this.lockClient;
    this.lockClient = null;
    if (client) {
      await client
        .query(`DELETE FROM ${quoteIdent(this.o.store.schema)}.relay_leases WHERE relay = $1`, [this.o.name])
        .catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey()]).catch(() => undefined);
      await client.query('RESET synchronous_commit').catch(() => undefined);
      client.release();
    }
    const lockPool = this.lockPool;
    this.lockPool = null;
    await lockPool?.end();
  }

  /** Resolves once the relay has published everything committed so far. */
  async caughtUp(): Promise<void> {
    await this.subscription?.caughtUp;
  }

  private async loadCheckpoint(): Promise<Checkpoint> {
    const { rows } = await this.o.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text, global_position FROM ${quoteIdent(this.o.store.schema)}.relay_checkpoints WHERE relay = $1`,
      [this.o.name],
    );
    const row = rows[0];
    return row
      ? { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) }
      : START;
  }

  private async saveCheckpoint(c: Checkpoint): Promise<void> {
    await (this.lockClient ?? this.o.pool).query(
      prepared(
        `INSERT INTO ${quoteIdent(this.o.store.schema)}.relay_checkpoints (relay, transaction_id, global_position)
         VALUES ($1, $2::text::xid8, $3)
         ON CONFLICT (relay) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
           global_position = EXCLUDED.global_position, updated_at = clock_timestamp()
         -- Never back: a leader that lost its lease may still finish a batch after its successor.
         WHERE (relay_checkpoints.transaction_id, relay_checkpoints.global_position)
             < (EXCLUDED.transaction_id, EXCLUDED.global_position)`,
        [this.o.name, c.transactionId.toString(), c.globalPosition.toString()],
      ),
    );
  }
}
