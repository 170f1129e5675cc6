/** Who did it: recorded on every event (docs/architecture.md, "Write path"). */
export interface Actor {
  id: string;
  role: string;
  department: string;
  jurisdiction: string;
  organisation?: string;
  onBehalfOf?: string;
}

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** ISO-8601 from the injected clock of the service that decided the event. */
  occurredAt: string;
  [extra: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: EventMetadata;
  /** Defaults to 1. */
  schemaVersion?: number;
  /** UUIDv7; generated when absent. Supplying it makes a retried append recognisable. */
  eventId?: string;
}

/** A position in the global log that no reader can skip: (transaction id, position) in commit-safe order. */
export interface Checkpoint {
  transactionId: bigint;
  globalPosition: bigint;
}

export const START: Checkpoint = Object.freeze({ transactionId: 0n, globalPosition: 0n });

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  streamId: string;
  streamVersion: number;
  globalPosition: bigint;
  transactionId: bigint;
  /** From the database clock at commit time, millisecond precision. */
  recordedAt: Date;
  /** Hex sha256 of this event chained to the previous event of its stream. */
  hash: string;
}

/** 'no_stream': the stream must not exist; 'any': no check; n: the stream must be at version n (0 = empty). */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Run inside this transaction (e.g. a consumer's inbox transaction) instead of a new one. */
  transaction?: DbExecutor;
}

export interface AppendResult {
  nextExpectedVersion: number;
  lastPosition: bigint;
  events: Array<{ eventId: string; streamVersion: number; globalPosition: bigint }>;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** Only events recorded at or before this instant: the stream as it stood then. */
  until?: Date;
  /** Read inside this transaction (sees its own uncommitted appends). */
  transaction?: DbExecutor;
}

export interface ReadAllOptions {
  after?: Checkpoint;
  limit?: number;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /** The position after the last returned event (unchanged when nothing was returned). */
  checkpoint: Checkpoint;
}

export interface SubscribeOptions {
  after?: Checkpoint;
  /** Receives each batch in checkpoint order; the next batch waits until it resolves. A throw retries the batch. */
  handler: (events: RecordedEvent[]) => Promise<void>;
  batchSize?: number;
  /**
   * Fallback poll while nothing is signalled (commits made by other processes are found this way).
   * Commits in this process wake the subscription at once (see `signalCommitted`).
   */
  pollIntervalMs?: number;
  /**
   * While fallback polls keep finding nothing, each waits twice as long as the last, up to this
   * (default 4 × `pollIntervalMs`); a signal or an event brings it back to `pollIntervalMs`. An idle
   * process with dozens of subscriptions then costs a quarter of the queries, and commits in this
   * process are still seen at once.
   */
  maxIdleMs?: number;
  /**
   * After a failed batch, waits double each time up to this (default 10 s). The outbox relay keeps it at
   * 1 s so that publishing resumes within a second of the broker's return.
   */
  maxRetryMs?: number;
  /**
   * After a wake-up that found nothing new, look again after this long, doubling up to
   * `pollIntervalMs`: a committed event stays invisible while an older transaction is still open.
   */
  retryIntervalMs?: number;
  /** After a commit is signalled, wait this long for more before reading (batches under load). */
  gatherMs?: number;
  onError?: (error: Error, attempt: number) => void;
}

export interface Subscription {
  /** Stops after the batch in hand; resolves when stopped. */
  stop(): Promise<void>;
  /** The checkpoint after the last handled batch. */
  readonly position: Checkpoint;
  /** Resolves once the subscription has caught up with the log at least once. */
  readonly caughtUp: Promise<void>;
}

export interface StreamVerification {
  streamId: string;
  ok: boolean;
  eventsChecked: number;
  /** First event whose stored hash does not match the recomputed chain. */
  firstBroken?: { streamVersion: number; eventId: string; globalPosition: bigint; reason: string };
}

/** Minimal query surface shared by a pool and a transaction client. */
export interface DbExecutor {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  /** A named (prepared) statement, see `prepared()`; `types` overrides how columns are decoded. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(query: {
    name: string;
    text: string;
    values: unknown[];
    types?: { getTypeParser: (oid: number, format?: 'text' | 'binary') => unknown };
  }): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface EventStore {
  readonly schema: string;
  appendToStream(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Several whole streams in one round trip, each in version order (missing streams are empty). */
  readStreams(
    streamIds: string[],
    options?: { transaction?: DbExecutor },
  ): Promise<Map<string, RecordedEvent[]>>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  verifyStream(streamId: string): Promise<StreamVerification>;
  /** The checkpoint of the last event every reader can see now. */
  head(): Promise<Checkpoint>;
  listStreams(options?: { after?: string; limit?: number; prefix?: string }): Promise<string[]>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
