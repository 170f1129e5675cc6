import {
  quoteIdent,
  readModelPositions,
  START,
  type Checkpoint,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@platform/event-store';
import type { DataSource, EntityManager } from 'typeorm';

export interface Projection {
  /** Stable name: the checkpoint key. */
  name: string;
  /** Folds a batch into read tables through the transaction's `manager`; the checkpoint commits with it. */
  apply(events: RecordedEvent[], manager: EntityManager): Promise<void>;
  /** Empties the read tables, for a rebuild from position 0. */
  reset(manager: EntityManager): Promise<void>;
}

/**
 * Keeps a read model up to date from a service's event log. Effects and checkpoint commit together in
 * one transaction, so a crash neither skips nor repeats an event, and a rebuild from 0 gives the same
 * tables. The checkpoint table belongs to the event store (plain SQL, the storage engine's).
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private readonly table: string;

  constructor(
    private readonly o: {
      dataSource: DataSource;
      store: EventStore;
      projection: Projection;
      pollIntervalMs?: number;
      batchSize?: number;
      onError?: (e: Error) => void;
    },
  ) {
    this.table = `${quoteIdent(o.store.schema)}.projection_checkpoints`;
  }

  get name(): string {
    return this.o.projection.name;
  }

  async start(): Promise<void> {
    const after = await this.checkpoint();
    readModelPositions.register(this.o.store.schema, this, after);
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
    readModelPositions.unregister(this.o.store.schema, this);
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
    await this.inTransaction(async (manager) => {
      await this.o.projection.reset(manager);
      await manager.query(`DELETE FROM ${this.table} WHERE projection = $1`, [this.o.projection.name]);
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
    const rows: Array<{ transaction_id: string; global_position: string }> = await this.o.dataSource.query(
      `SELECT transaction_id::text, global_position FROM ${this.table} WHERE projection = $1`,
      [this.o.projection.name],
    );
    const r = rows[0];
    return r ? { transactionId: BigInt(r.transaction_id), globalPosition: BigInt(r.global_position) } : START;
  }

  private async applyBatch(events: RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1]!;
    await this.inTransaction(async (manager) => {
      // Several instances of a service each run this projection. The checkpoint row, locked for the
      // transaction, makes them take turns, and only events past the stored checkpoint are applied: an
      // event is folded once, whichever instance gets there first, and the checkpoint never moves back.
      await manager.query(
        `INSERT INTO ${this.table} (projection, transaction_id, global_position) VALUES ($1, '0'::xid8, 0)
         ON CONFLICT (projection) DO NOTHING`,
        [this.o.projection.name],
      );
      const [stored] = (await manager.query(
        `SELECT transaction_id::text, global_position::text FROM ${this.table} WHERE projection = $1 FOR UPDATE`,
        [this.o.projection.name],
      )) as Array<{ transaction_id: string; global_position: string }>;
      const done = {
        transactionId: BigInt(stored!.transaction_id),
        globalPosition: BigInt(stored!.global_position),
      };
      const fresh = events.filter(
        (e) =>
          e.transactionId > done.transactionId ||
          (e.transactionId === done.transactionId && e.globalPosition > done.globalPosition),
      );
      if (fresh.length === 0) return;
      await this.o.projection.apply(fresh, manager);
      await manager.query(
        `INSERT INTO ${this.table} (projection, transaction_id, global_position) VALUES ($1, $2::text::xid8, $3)
         ON CONFLICT (projection) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
           global_position = EXCLUDED.global_position, updated_at = clock_timestamp()`,
        [this.o.projection.name, last.transactionId.toString(), last.globalPosition.toString()],
      );
    });
    // Committed: reads waiting for a position up to here may go on (read-your-writes).
    readModelPositions.applied(this.o.store.schema, this, {
      transactionId: last.transactionId,
      globalPosition: last.globalPosition,
    });
  }

  private async inTransaction(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    const runner = this.o.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // A read model is derived from the durable log and its checkpoint commits with it: if a crash
      // loses the last few of these commits, the projection simply applies those events again. So it
      // need not wait for the disk, which leaves the log's own commits the fsyncs to themselves.
      await runner.query('SET LOCAL synchronous_commit = off');
      await work(runner.manager);
      await runner.commitTransaction();
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }
}
