import type { ContractRegistry } from '@platform/contracts';
import { cloudEventSourceOf, ContractValidationError } from '@platform/contracts';
import {
  prepared,
  quoteIdent,
  signalCommitted,
  StreamVersionConflict,
  withClient,
  type DbExecutor,
} from '@platform/event-store';
import type { Pool, PoolClient } from 'pg';
import {
  MessageRefusedError,
  type IntegrationMessage,
  type MessageHandler,
  type PublishedLink,
} from './integration-message.js';
import type { MessageTracer } from './message-tracer.js';

export type Outcome =
  | { status: 'handled' | 'duplicate' | 'ignored' }
  | { status: 'dead'; reason: DeadReason; error: string; attempts: number };

/**
 * Why a message was dead-lettered: `proof` its origin does not check out (wrong topic or source for
 * its type, a replay, a broken chain), `refused` its handler refused it (MessageRefusedError),
 * `schema` it fails its contract, `handler` its handler kept failing.
 */
export type DeadReason = 'proof' | 'refused' | 'schema' | 'handler';

export interface InboxProcessorOptions {
  pool: Pool;
  schema: string;
  group: string;
  contracts: ContractRegistry;
  handler: MessageHandler;
  /** Messages the handler has no use for: recorded in the inbox as seen (outcome `ignored`), not handled. */
  accepts?: (message: IntegrationMessage) => boolean;
  /**
   * Check each fresh message's link to the last one accepted from its stream (Kafka, where anyone who
   * can produce could forge or replay; the event log is read at its source).
   */
  verifyChain?: boolean;
  maxRetries: number;
  retryBaseMs: number;
  /** Called while waiting between retries (Kafka heartbeats) so the group does not rebalance. */
  keepAlive?: () => Promise<void>;
  /** Extra work in the same transaction, handled or duplicate (the event-log checkpoint). */
  alsoInTransaction?: (tx: DbExecutor) => Promise<void>;
  isStopping?: () => boolean;
  log?: (level: 'debug' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
  /** Told every outcome once it is settled (metrics). */
  observe?: (outcomes: readonly Outcome[]) => void;
  /** Spans of each message's handling (traces), with the transport's name. */
  tracer?: { tracer: MessageTracer; transport: 'kafka' | 'event-log' };
}

export class ConsumerStoppingError extends Error {
  constructor() {
    super('consumer is stopping');
  }
}

/** What to do with a message once it is admitted. */
type Plan =
  | { message: IntegrationMessage; kind: 'handle' }
  | { message: IntegrationMessage; kind: 'ignore' }
  | { message: IntegrationMessage; kind: 'invalid'; error: string };

/** A message's standing against the inbox and its stream's chain. */
type Verdict =
  | { kind: 'duplicate' }
  | { kind: 'refused'; error: string }
  /** `advances`: false when it is the chain's head already (accepted before, then dead-lettered). */
  | { kind: 'fresh'; advances: boolean };

interface ChainHead {
  version: number;
  hash: string;
  eventId: string;
}

const chainKey = (m: IntegrationMessage) => `${m.source}\n${m.sourceStream}`;

function describeLink(link: PublishedLink | null): string {
  return link ? `version ${link.version} hash ${link.hash.slice(0, 16)}…` : 'none (first published event)';
}

/**
 * Checks a message's origin, then validates it against its contract and runs the handler with the
 * inbox row in one transaction: a redelivered message finds its id in the inbox and has no second
 * effect. Transient failures are retried with exponential backoff; after maxRetries the message is
 * dead. A message whose origin does not check out, or that its handler refuses, is dead at once.
 */
/** Version conflicts retried on fresh state before the message is dead-lettered (they are not failures). */
const MAX_CONFLICT_RETRIES = 50;

export class InboxProcessor {
  private readonly inbox: string;
  private readonly heads: string;

  constructor(private readonly o: InboxProcessorOptions) {
    this.inbox = `${quoteIdent(o.schema)}.inbox`;
    this.heads = `${quoteIdent(o.schema)}.inbox_chain_heads`;
  }

  async process(message: IntegrationMessage): Promise<Outcome> {
    const [outcome] = await this.traced([message], async () => [await this.processOne(message)]);
    this.o.observe?.([outcome!]);
    return outcome!;
  }

  /** Runs `work` inside one consumer span per message, each ended with its message's outcome. */
  private async traced(messages: IntegrationMessage[], work: () => Promise<Outcome[]>): Promise<Outcome[]> {
    const t = this.o.tracer;
    if (!t) return work();
    const ends = messages.map((m) => t.tracer.consume(m, this.o.group, t.transport));
    try {
      const outcomes = await work();
      outcomes.forEach((o, i) =>
        ends[i]!(o.status, o.status === 'dead' ? `${o.reason}: ${o.error}` : undefined),
      );
      return outcomes;
    } catch (e) {
      for (const end of ends) end('interrupted', (e as Error).message);
      throw e;
    }
  }

  private async processOne(message: IntegrationMessage): Promise<Outcome> {
    const problem = this.originProblem(message);
    if (problem) return { status: 'dead', reason: 'proof', error: problem, attempts: 0 };
    const plan = this.plan(message);
    // A version conflict (another writer appended to the same stream first) is retried at once on fresh
    // state, apart from the failure budget: several departments' answers to one verification meet on
    // one stream, and backing off 200, 400 ms… for each of them was most of their latency.
    let failures = 0;
    let conflicts = 0;
    for (let attempt = 1; ; attempt++) {
      const result = await this.tryInOneTransaction([plan], false);
      if (result.failedAt === null) return result.outcomes[0]!;
      const error = result.error!;
      const conflict = error instanceof StreamVersionConflict;
      if (conflict) conflicts++;
      else failures++;
      if (
        error instanceof MessageRefusedError ||
        failures > this.o.maxRetries ||
        conflicts > MAX_CONFLICT_RETRIES
      ) {
        await this.settleDead(message);
        return error instanceof MessageRefusedError
          ? { status: 'dead', reason: 'refused', error: error.message, attempts: attempt }
          : { status: 'dead', reason: 'handler', error: error.message, attempts: attempt };
      }
      // Two writers meeting on one stream is expected and retried: not something an operator must read.
      this.o.log?.(
        conflict ? 'debug' : 'warn',
        conflict
          ? `concurrent write, retrying (${conflicts})`
          : `handler failed, retrying (${failures}/${this.o.maxRetries})`,
        {
          group: this.o.group,
          messageId: message.id,
          type: message.type,
          subject: message.subject,
          error: error.message,
        },
      );
      if (conflict) {
        if (this.o.isStopping?.()) throw new ConsumerStoppingError();
        // A few milliseconds, jittered, so writers that met do not meet again in lockstep.
        await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 20)));
      } else await this.backoff(failures);
    }
  }

  /**
   * A whole batch in one transaction: one admission query, one inbox statement and one commit
   * instead of round trips per message. When a handler fails, the transaction is rolled back, the
   * messages before it are redone in a new one, and the rest go one at a time with retries (outside
   * any transaction, so a failing handler never holds back the readers' snapshot horizon). Outcomes
   * are in input order; nothing is durable until the returned promise resolves.
   */
  async processBatch(messages: IntegrationMessage[]): Promise<Outcome[]> {
    const outcomes = await this.traced(messages, () => this.processMany(messages));
    this.o.observe?.(outcomes);
    return outcomes;
  }

  private async processMany(messages: IntegrationMessage[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(messages.length);
    const planned: Array<{ index: number; plan: Plan }> = [];
    messages.forEach((message, index) => {
      const problem = this.originProblem(message);
      if (problem) outcomes[index] = { status: 'dead', reason: 'proof', error: problem, attempts: 0 };
      else planned.push({ index, plan: this.plan(message) });
    });
    let committed = 0;
    if (planned.length > 0) {
      let attempt = await this.tryInOneTransaction(
        planned.map((p) => p.plan),
        true,
      );
      if (attempt.failedAt === null) committed = planned.length;
      else if (attempt.failedAt > 0) {
        const failedAt = attempt.failedAt;
        attempt = await this.tryInOneTransaction(
          planned.slice(0, failedAt).map((p) => p.plan),
          true,
        );
        if (attempt.failedAt === null) committed = failedAt;
      }
      for (let k = 0; k < committed; k++) outcomes[planned[k]!.index] = attempt.outcomes[k]!;
    }
    // In order, so one case's events keep their order.
    for (const { index, plan } of planned.slice(committed)) {
      outcomes[index] = await this.processOne(plan.message);
    }
    return outcomes;
  }

  /**
   * Seen and dead-lettered (after the dead letter is written, so a crash in between sends it again
   * rather than losing it): a redelivery is then a duplicate. Not for `proof` refusals, whose id may
   * be a forger's copy of a genuine message still to come.
   */
  async recordDead(messages: IntegrationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.o.pool.query(
      prepared(
        `INSERT INTO ${this.inbox} (consumer_group, message_id, message_type, topic, source_position, kafka_partition, kafka_offset, outcome)
         SELECT $1, *, 'dead' FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])
         ON CONFLICT DO NOTHING`,
        [
          this.o.group,
          messages.map((m) => m.id),
          messages.map((m) => m.type),
          messages.map((m) => m.topic),
          messages.map((m) => m.sourcePosition),
          messages.map((m) => m.partition ?? null),
          messages.map((m) => m.offset ?? null),
        ],
      ),
    );
  }

  /**
   * The type's department must be the topic's, and the source must be that department: a record
   * produced on another department's topic, or claiming another source, is refused.
   */
  private originProblem(m: IntegrationMessage): string | null {
    const contract = this.o.contracts.get(m.type);
    // The topic's department (`<department>.events`, `.seals`…); an unknown type is judged by its
    // namespace, types being `<department>.<PastTense>`.
    const department = m.topic.slice(0, Math.max(0, m.topic.indexOf('.')));
    const owner = contract?.department ?? m.type.slice(0, Math.max(0, m.type.indexOf('.')));
    if (owner !== department) {
      return `${m.type} on topic ${m.topic}: the type belongs to ${owner || 'no department'}`;
    }
    if (contract && this.o.contracts.topicOf(m.type) !== m.topic) {
      return `${m.type} on topic ${m.topic}: the type travels on ${this.o.contracts.topicOf(m.type)}`;
    }
    if (m.source !== cloudEventSourceOf(department)) {
      return `${m.type} on topic ${m.topic}: ce_source ${m.source} is not ${cloudEventSourceOf(department)}`;
    }
    return null;
  }

  private plan(message: IntegrationMessage): Plan {
    // A newer publisher's type this service does not know, or one it has no use for: seen, not handled.
    if (!this.o.contracts.get(message.type) || (this.o.accepts && !this.o.accepts(message))) {
      return { message, kind: 'ignore' };
    }
    try {
      return {
        message: {
          ...message,
          data: this.o.contracts.validate(message.type, message.schemaVersion, message.data),
        },
        kind: 'handle',
      };
    } catch (e) {
      if (!(e instanceof ContractValidationError)) throw e;
      return { message, kind: 'invalid', error: e.message };
    }
  }

  /** All or nothing: commits and returns each message's outcome, or rolls back and names the first failure. */
  private async tryInOneTransaction(
    plans: Plan[],
    asBatch: boolean,
  ): Promise<{ failedAt: number | null; outcomes: Outcome[]; error?: Error }> {
    // withClient: a backend ended mid-batch (a database restart) fails the batch, not the process.
    return withClient(this.o.pool, (client) => this.inTransaction(client, plans, asBatch));
  }

  private async inTransaction(
    client: PoolClient,
    plans: Plan[],
    asBatch: boolean,
  ): Promise<{ failedAt: number | null; outcomes: Outcome[]; error?: Error }> {
    const outcomes: Outcome[] = [];
    try {
      await client.query('BEGIN');
      const messages = plans.map((p) => p.message);
      const verdicts = await this.admit(client, messages);
      const inserted = await this.record(client, plans, verdicts);
      const handled = plans.filter((p) => p.kind === 'handle' && inserted.has(p.message.id));
      const batch = asBatch
        ? { messages: handled.map((p) => p.message), memo: new Map<string, unknown>() }
        : undefined;
      for (const [k, plan] of plans.entries()) {
        const verdict = verdicts[k]!;
        if (verdict.kind === 'refused') {
          outcomes.push({ status: 'dead', reason: 'proof', error: verdict.error, attempts: 0 });
        } else if (plan.kind === 'invalid') {
          outcomes.push(
            verdict.kind === 'duplicate'
              ? { status: 'duplicate' }
              : { status: 'dead', reason: 'schema', error: plan.error, attempts: 0 },
          );
        } else if (!inserted.delete(plan.message.id)) {
          outcomes.push({ status: 'duplicate' });
        } else if (plan.kind === 'ignore') {
          outcomes.push({ status: 'ignored' });
        } else {
          try {
            await this.o.handler(plan.message, { transaction: client, batch });
          } catch (e) {
            await client.query('ROLLBACK');
            return { failedAt: k, outcomes, error: e instanceof Error ? e : new Error(String(e)) };
          }
          outcomes.push({ status: 'handled' });
        }
      }
      await this.o.alsoInTransaction?.(client);
      await client.query('COMMIT');
      // Handlers append to this service's log inside the transaction: wake its relay and projections.
      signalCommitted(this.o.schema);
      return { failedAt: null, outcomes };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * Each message's standing, in one query for the whole batch: already in the inbox (a redelivery),
   * refused (a replay or a link that does not match the last accepted event of its stream), or fresh.
   * Without chain checks the inbox insert alone tells redeliveries apart (see `record`).
   */
  private async admit(tx: DbExecutor, messages: IntegrationMessage[]): Promise<Verdict[]> {
    const seen = new Set<string>();
    if (!this.o.verifyChain) {
      return messages.map((m): Verdict => {
        if (seen.has(m.id)) return { kind: 'duplicate' };
        seen.add(m.id);
        return { kind: 'fresh', advances: false };
      });
    }
    const keys = [...new Map(messages.map((m) => [chainKey(m), m])).values()];
    const { rows } = await tx.query<{
      kind: 'inbox' | 'head';
      a: string;
      b: string | null;
      version: string | null;
      hash: string | null;
      event_id: string | null;
    }>(
      prepared(
        `SELECT 'inbox' AS kind, i.message_id AS a, NULL::text AS b, NULL::bigint AS version, NULL::text AS hash, NULL::text AS event_id
           FROM unnest($2::text[]) AS u(id) JOIN ${this.inbox} i ON i.consumer_group = $1 AND i.message_id = u.id
         UNION ALL
         SELECT 'head', h.source, h.source_stream, h.version, h.hash, h.event_id
           FROM ${this.heads} h JOIN unnest($3::text[], $4::text[]) AS k(source, stream)
             ON h.source = k.source AND h.source_stream = k.stream
          WHERE h.consumer_group = $1`,
        [this.o.group, messages.map((m) => m.id), keys.map((m) => m.source), keys.map((m) => m.sourceStream)],
      ),
    );
    const heads = new Map<string, ChainHead>();
    for (const r of rows) {
      if (r.kind === 'inbox') seen.add(r.a);
      else heads.set(`${r.a}\n${r.b}`, { version: Number(r.version), hash: r.hash!, eventId: r.event_id! });
    }
    return messages.map((m): Verdict => {
      if (seen.has(m.id)) return { kind: 'duplicate' };
      const key = chainKey(m);
      const head = heads.get(key);
      if (head && head.eventId === m.id && head.version === m.sourceVersion && head.hash === m.sourceHash) {
        // Accepted and dead-lettered, then redelivered before it was recorded as seen: redo it.
        seen.add(m.id);
        return { kind: 'fresh', advances: false };
      }
      const problem = this.chainProblem(m, head);
      if (problem) return { kind: 'refused', error: problem };
      seen.add(m.id);
      heads.set(key, { version: m.sourceVersion, hash: m.sourceHash, eventId: m.id });
      return { kind: 'fresh', advances: true };
    });
  }

  private chainProblem(m: IntegrationMessage, head: ChainHead | undefined): string | null {
    const stream = `stream ${m.sourceStream} of ${m.source}`;
    if (head && m.sourceVersion <= head.version) {
      const which =
        m.sourceVersion === head.version ? `event ${head.eventId}` : `accepted up to version ${head.version}`;
      return `${stream} version ${m.sourceVersion} was already accepted (${which}): replay under a new id ${m.id}`;
    }
    const expected = head ? { version: head.version, hash: head.hash } : null;
    const got = m.previousPublished;
    if (expected?.version !== got?.version || expected?.hash !== got?.hash) {
      return `${stream} version ${m.sourceVersion} does not chain: expected previous published ${describeLink(expected)}, got ${describeLink(got)}`;
    }
    return null;
  }

  /**
   * One statement: the inbox rows of the fresh messages to handle or ignore, and each stream's new
   * chain head. A head moves only from the one admission read (compare and set), so two members of a
   * group racing on a stream cannot both advance it; the loser's transaction fails and is redone.
   * Returns the ids inserted (a concurrent member may have inserted one first: a duplicate).
   */
  private async record(tx: DbExecutor, plans: Plan[], verdicts: Verdict[]): Promise<Set<string>> {
    const rows = plans.filter((p, k) => verdicts[k]!.kind === 'fresh' && p.kind !== 'invalid');
    const heads = new Map<string, { m: IntegrationMessage; replaced: number }>();
    if (this.o.verifyChain) {
      const start = new Map<string, number>();
      for (const [k, { message: m }] of plans.entries()) {
        const v = verdicts[k]!;
        if (v.kind !== 'fresh' || !v.advances) continue;
        const key = chainKey(m);
        // The head this batch found: the message's own previous link, for the stream's first here.
        if (!start.has(key)) start.set(key, m.previousPublished?.version ?? 0);
        heads.set(key, { m, replaced: start.get(key)! });
      }
    }
    if (rows.length === 0 && heads.size === 0) return new Set();
    const advancing = [...heads.values()];
    const result = await tx.query<{ k: string; message_id: string | null }>(
      prepared(
        `WITH inserted AS (
           INSERT INTO ${this.inbox} (consumer_group, message_id, message_type, topic, source_position, kafka_partition, kafka_offset, outcome)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[])
           ON CONFLICT DO NOTHING RETURNING message_id
         ), advanced AS (
           INSERT INTO ${this.heads} AS h (consumer_group, source, source_stream, version, hash, event_id, previous_version)
           SELECT $1, * FROM unnest($9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::bigint[])
           ON CONFLICT (consumer_group, source, source_stream) DO UPDATE
             SET version = EXCLUDED.version, hash = EXCLUDED.hash, event_id = EXCLUDED.event_id,
                 previous_version = EXCLUDED.previous_version, accepted_at = clock_timestamp()
             WHERE h.version = EXCLUDED.previous_version
           RETURNING 1
         )
         SELECT 'inbox' AS k, message_id FROM inserted UNION ALL SELECT 'head', NULL FROM advanced`,
        [
          this.o.group,
          rows.map((p) => p.message.id),
          rows.map((p) => p.message.type),
          rows.map((p) => p.message.topic),
          rows.map((p) => p.message.sourcePosition),
          rows.map((p) => p.message.partition ?? null),
          rows.map((p) => p.message.offset ?? null),
          rows.map((p) => (p.kind === 'ignore' ? 'ignored' : 'handled')),
          advancing.map((h) => h.m.source),
          advancing.map((h) => h.m.sourceStream),
          advancing.map((h) => h.m.sourceVersion),
          advancing.map((h) => h.m.sourceHash),
          advancing.map((h) => h.m.id),
          advancing.map((h) => h.replaced),
        ],
      ),
    );
    const moved = result.rows.filter((r) => r.k === 'head').length;
    if (moved !== advancing.length) {
      throw new Error(`another member of ${this.o.group} advanced a stream meanwhile; redoing the batch`);
    }
    return new Set(result.rows.filter((r) => r.k === 'inbox').map((r) => r.message_id!));
  }

  /**
   * A dead message was still published by its source: its stream's chain moves past it, or every
   * later event of the stream would be refused. (Its inbox row comes after the dead letter: recordDead.)
   */
  private async settleDead(message: IntegrationMessage): Promise<void> {
    if (!this.o.verifyChain) return;
    await this.tryInOneTransaction([{ message, kind: 'invalid', error: '' }], false);
  }

  private async backoff(attempt: number): Promise<void> {
    const total = Math.min(this.o.retryBaseMs * 2 ** (attempt - 1), 30_000);
    const deadline = Date.now() + total;
    while (Date.now() < deadline) {
      if (this.o.isStopping?.()) throw new ConsumerStoppingError();
      await new Promise((r) => setTimeout(r, Math.min(1000, deadline - Date.now())));
      await this.o.keepAlive?.();
    }
  }
}
