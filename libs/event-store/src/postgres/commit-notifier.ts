import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { addRemoteCommitSignal, hasCommitListeners, wakeLocal } from '../commit-signal.js';

/** The NOTIFY channel every process of the platform listens on; the payload is `<schema> <sender>`. */
export const COMMIT_CHANNEL = 'sap_commits';

/**
 * Commit wake-ups across processes. After a commit, this process sends `NOTIFY sap_commits` on its pool
 * (outside the append's transaction: NOTIFY inside it would serialise every notifying commit of the
 * database on the notification queue's lock); one dedicated connection LISTENs and wakes this process's
 * subscriptions on the schema named. Signals coalesce: a schema is signalled at most once per `minGapMs`
 * (5 ms) and never twice at once; commits in between are covered by one more signal when the gap ends.
 * Under load that is a few hundred NOTIFYs a second, not one per commit (one per commit cost a sixth of
 * the append throughput on two cores). Its own signals come back and are dropped.
 * A lost connection is reopened with backoff; meanwhile the fallback poll finds the commits.
 */
export class CommitNotifier {
  private readonly sender = randomBytes(6).toString('hex');
  private readonly inFlight = new Set<string>();
  private readonly again = new Set<string>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();
  private readonly minGapMs: number;
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private reconnect: NodeJS.Timeout | null = null;
  private detach: (() => void) | null = null;
  /** Signals sent and received from other processes (tests, metrics). */
  sent = 0;
  received = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly o: { onError?: (e: Error) => void; minGapMs?: number } = {},
  ) {
    this.minGapMs = o.minGapMs ?? 5;
  }

  async start(): Promise<void> {
    this.detach = addRemoteCommitSignal((schema) => this.send(schema));
    await this.listen().catch((e: Error) => this.retry(e));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.detach?.();
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    if (this.reconnect) clearTimeout(this.reconnect);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Whether the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** The LISTEN connection's backend process id (null while it is down). */
  get listenerPid(): number | null {
    return (this.client as (pg.Client & { processID?: number }) | null)?.processID ?? null;
  }

  private send(schema: string): void {
    if (this.stopped) return;
    if (this.inFlight.has(schema) || this.waiting.has(schema)) {
      this.again.add(schema);
      return;
    }
    const wait = (this.lastSent.get(schema) ?? -Infinity) + this.minGapMs - performance.now();
    if (wait > 0) {
      // Within the gap after the last signal: one more signal when it ends covers every commit till then.
      const timer = setTimeout(() => {
        this.waiting.delete(schema);
        this.send(schema);
      }, wait);
      timer.unref();
      this.waiting.set(schema, timer);
      return;
    }
    this.inFlight.add(schema);
    this.lastSent.set(schema, performance.now());
    this.sent++;
    this.pool
      .query('SELECT pg_notify($1, $2)', [COMMIT_CHANNEL, `${schema} ${this.sender}`])
      .catch((e: Error) => this.o.onError?.(e))
      .finally(() => {
        this.inFlight.delete(schema);
        if (this.again.delete(schema)) this.send(schema);
      });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ ...this.pool.options, application_name: 'social-assistance-listen' });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('LISTEN connection closed')));
    client.on('notification', (n) => {
      if (n.channel !== COMMIT_CHANNEL || !n.payload) return;
      const space = n.payload.lastIndexOf(' ');
      const schema = n.payload.slice(0, space);
      if (n.payload.slice(space + 1) === this.sender || !hasCommitListeners(schema)) return;
      this.received++;
      wakeLocal(schema);
    });
    await client.connect();
    await client.query(`LISTEN ${COMMIT_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = 250;
  }

  private lost(client: pg.Client, e: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.retry(e);
  }

  private retry(e: Error): void {
    if (this.stopped) return;
    this.o.onError?.(e);
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      this.listen().catch((err: Error) => this.retry(err));
    }, this.retryMs);
    this.reconnect.unref();
    this.retryMs = Math.min(10_000, this.retryMs * 2);
  }
}
