import type { Pool } from 'pg';
import {
  START,
  type Checkpoint,
  type DbExecutor,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from './event-store.port.js';
import { quoteIdent } from './postgres/migrations.js';
import { prepared } from './postgres/prepared.js';
import { withTransaction } from './postgres/transaction.js';

export interface Projection {
  /** Stable name: the checkpoint key. */
  name: string;
  /** Folds a batch into read tables through `tx`; the checkpoint commits in the same transaction. */
  apply(events: RecordedEvent[], tx: DbExecutor): Promise<void>;
  /** Empties the read tables, for a rebuild from position 0. */
  reset(tx: DbExecutor): Promise<void>;
}

/**
 * Keeps a read model up to date from a service's event log. Effects and checkpoint commit together,
 * so a crash neither skips nor repeats an event, and a rebuild from 0 gives the same tables.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private readonly table: string;

  constructor(
    private readonly o: {
      pool: Pool;
      store: EventStore;
      projection: Projection;
      pollIntervalMs?: number;
      batchSize?: number;
      onError?: (e: Error) => void;
    },
  ) {
    this.table = `${quoteIdent(o.store.schema)}.projection_checkpoints`;
  }

  async start(): Promise<void> {
    const after = await this.checkpoint();
    this.subscription = this.o.store.subscribeToAll({
      after,
      batchSize: this.o.batchSize ?? 500,
      pollIntervalMs: this.o.pollIntervalMs,
      onError: (e) => this.o.onError?.(e),
      handler: (events) => this.applyBatch(events),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  /** Resolves once everything committed before the call has been applied. */
  async caughtUp(): Promise<void> {
    const target = await this.o.store.head();
    for (;;) {
      const c = await this.checkpoint();
      if (
        c.transactionId > target.transactionId ||
        (c.transactionId === target.transactionId && c.globalPosition >= target.globalPosition)
      )
        return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Empties the read model and replays the whole log into it, synchronously. */
  async rebuild(onProgress?: (applied: number) => void): Promise<number> {
    const running = this.subscription !== null;
    await this.stop();
    await this.inTransaction(async (tx) => {
      await this.o.projection.reset(tx);
      await tx.query(`DELETE FROM ${this.table} WHERE projection = $1`, [this.o.projection.name]);
    });
    let after: Checkpoint = START;
    let applied = 0;
    for (;;) {
      const page = await this.o.store.readAll({ after, limit: this.o.batchSize ?? 2000 });
      if (page.events.length === 0) break;
      await this.applyBatch(page.events);
      applied += page.events.length;
      after = page.checkpoint;
      onProgress?.(applied);
    }
    if (running) await this.start();
    return applied;
  }

  async checkpoint(): Promise<Checkpoint> {
    const { rows } = await this.o.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text, global_position FROM ${this.table} WHERE projection = $1`,
      [this.o.projection.name],
    );
    const r = rows[0];
    return r ? { transactionId: BigInt(r.transaction_id), globalPosition: BigInt(r.global_position) } : START;
  }

  private async applyBatch(events: RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1]!;
    await this.inTransaction(async (tx) => {
      await this.o.projection.apply(events, tx);
      await tx.query(
        prepared(
          `INSERT INTO ${this.table} (projection, transaction_id, global_position) VALUES ($1, $2::text::xid8, $3)
           ON CONFLICT (projection) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
             global_position = EXCLUDED.global_position, updated_at = clock_timestamp()`,
          [this.o.projection.name, last.transactionId.toString(), last.globalPosition.toString()],
        ),
      );
    });
  }

  private inTransaction(work: (tx: DbExecutor) => Promise<void>): Promise<void> {
    // A read model is derived from the durable log and its checkpoint commits with it: if a crash
    // loses the last few of these commits, the projection simply applies those events again. So it
    // need not wait for the disk, which leaves the log's own commits the fsyncs to themselves.
    return withTransaction(this.o.pool, work, 'BEGIN; SET LOCAL synchronous_commit = off');
  }
}
