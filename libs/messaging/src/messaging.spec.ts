import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  cloudEventSourceOf,
  ContractRegistry,
  deadLetterTopicOf,
  schemaOf,
  topicOf,
} from '@platform/contracts';
import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  StreamVersionConflict,
  uuidv7,
} from '@platform/event-store';
import {
  dropSchema,
  eventually,
  requireKafkaBrokers,
  testMetadata,
  testPool,
  uniqueName,
} from '@platform/testing';
import kafkajs from 'kafkajs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { EventLogTransport } from './event-log/event-log-transport.js';
import { loadOncePerBatch, type IntegrationMessage, type MessageHandler } from './integration-message.js';
import { InboxProcessor } from './inbox-processor.js';
import { KafkaTransport } from './kafka/kafka-transport.js';
import { messagingMigrations } from './messaging.migrations.js';
import { OutboxRelay } from './outbox-relay.js';
import type { ConsumerHandle, IntegrationTransport } from './transport.port.js';

const { Kafka, logLevel } = kafkajs;

/** One isolated world per test: a publishing and a consuming department with their own topic and schemas. */
interface World {
  pool: Pool;
  publisher: string;
  consumer: string;
  topic: string;
  type: string;
  internalType: string;
  store: PostgresEventStore;
  contracts: ContractRegistry;
  consumerSchema: string;
}

async function makeWorld(pool: Pool): Promise<World> {
  const publisher = uniqueName('pub');
  const consumer = uniqueName('con');
  const type = `${publisher}.AllowanceGranted`;
  const contracts = new ContractRegistry().register({
    type,
    department: publisher,
    schemaVersion: 1,
    schema: z.object({ caseId: z.string().uuid(), seq: z.number().int(), amount: z.number().nonnegative() }),
    subject: (d) => String(d.caseId),
  });
  const pubSchema = schemaOf(publisher);
  const consumerSchema = schemaOf(consumer);
  await runMigrations(pool, pubSchema, [...eventStoreMigrations, ...messagingMigrations]);
  await runMigrations(pool, consumerSchema, [
    ...messagingMigrations,
    {
      id: 'test/effects',
      sql: (s) =>
        `CREATE TABLE ${s}.effects (id bigint GENERATED ALWAYS AS IDENTITY, message_id text, case_id text, seq int, amount numeric)`,
    },
  ]);
  return {
    pool,
    publisher,
    consumer,
    topic: topicOf(publisher),
    type,
    internalType: `${publisher}.InternalNoteAdded`,
    store: new PostgresEventStore({ pool, schema: pubSchema }),
    contracts,
    consumerSchema,
  };
}

function recordingHandler(w: World, fail?: (m: IntegrationMessage) => boolean): MessageHandler {
  return async (m, { transaction }) => {
    if (fail?.(m)) throw new Error(`cannot grant ${JSON.stringify(m.data)}`);
    const d = m.data as { caseId: string; seq: number; amount: number };
    await transaction.query(
      `INSERT INTO "${w.consumerSchema}".effects (message_id, case_id, seq, amount) VALUES ($1, $2, $3, $4)`,
      [m.id, d.caseId, d.seq, d.amount],
    );
  };
}

async function effects(
  w: World,
): Promise<Array<{ message_id: string; case_id: string; seq: number; amount: string }>> {
  const { rows } = await w.pool.query(
    `SELECT message_id, case_id, seq, amount FROM "${w.consumerSchema}".effects ORDER BY id`,
  );
  return rows;
}

async function grant(w: World, caseId: string, seq: number, amount = 100): Promise<string> {
  const eventId = uuidv7();
  await w.store.appendToStream(
    `allowance-${caseId}`,
    [{ eventId, type: w.type, data: { caseId, seq, amount }, metadata: testMetadata() }],
    { expectedVersion: 'any' },
  );
  return eventId;
}

interface TransportHarness {
  name: 'kafka' | 'event-log';
  transport(w: World): IntegrationTransport;
  /** Makes what was committed reach consumers (the relay for Kafka; nothing for the event log). */
  startPublishing(w: World, t: IntegrationTransport): Promise<() => Promise<void>>;
  deadLetters(w: World): Promise<Array<{ reason: string; error: string }>>;
}

const brokers = () => requireKafkaBrokers();

function kafkaTransport(w: World): KafkaTransport {
  return new KafkaTransport({
    brokers: brokers(),
    clientId: `test-${w.consumer}`,
    pool: w.pool,
    contracts: w.contracts,
    partitions: 3,
    replicationFactor: 1,
    maxRetries: 2,
    retryBaseMs: 20,
    sessionTimeoutMs: 6000,
  });
}

// A new consumer group joins and fetches from the start: on a loaded machine that alone took over 20 s.
async function readTopic(topic: string, count: number, timeoutMs = 45_000) {
  const kafka = new Kafka({ clientId: 'raw-reader', brokers: brokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('raw') });
  const got: kafkajs.KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push(message);
    },
  });
  try {
    await eventually(async () => (got.length >= count ? true : undefined), {
      timeoutMs,
      what: `${count} messages on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

const header = (m: kafkajs.KafkaMessage, name: string) => m.headers?.[name]?.toString();

const kafkaHarness: TransportHarness = {
  name: 'kafka',
  transport: kafkaTransport,
  async startPublishing(w, t) {
    const relay = new OutboxRelay({
      name: 'test',
      pool: w.pool,
      store: w.store,
      transport: t,
      contracts: w.contracts,
      pollIntervalMs: 10,
    });
    await relay.start();
    return () => relay.stop();
  },
  async deadLetters(w) {
    const kafka = new Kafka({ clientId: 'dlq-reader', brokers: brokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(deadLetterTopicOf(w.topic));
    await admin.disconnect();
    const total = offsets.reduce((n, o) => n + Number(o.high), 0);
    if (total === 0) return [];
    const msgs = await readTopic(deadLetterTopicOf(w.topic), total);
    return msgs.map((m) => ({ reason: header(m, 'dlq_reason')!, error: header(m, 'dlq_error')! }));
  },
};

const eventLogHarness: TransportHarness = {
  name: 'event-log',
  transport: (w) =>
    new EventLogTransport({
      pool: w.pool,
      contracts: w.contracts,
      schemaOfTopic: (topic) => schemaOf(topic.replace(/\.events$/, '')),
      maxRetries: 2,
      retryBaseMs: 20,
      pollIntervalMs: 10,
    }),
  async startPublishing() {
    return async () => undefined;
  },
  async deadLetters(w) {
    const { rows } = await w.pool.query(
      `SELECT reason, error FROM "${w.consumerSchema}".dead_letters ORDER BY id`,
    );
    return rows;
  },
};

describe('Messaging', () => {
  let pool: Pool;
  const schemas: string[] = [];

  beforeAll(() => {
    pool = testPool(20);
    brokers(); // fail fast, with the reason, when Kafka is not there
  });
  afterAll(async () => {
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
  });

  async function world(): Promise<World> {
    const w = await makeWorld(pool);
    schemas.push(schemaOf(w.publisher), w.consumerSchema);
    return w;
  }

  describe.each([kafkaHarness, eventLogHarness])('consuming over the $name transport', (h) => {
    let w: World;
    let transport: IntegrationTransport;
    let stopPublishing: () => Promise<void>;
    let consumer: ConsumerHandle | null;

    beforeEach(async () => {
      w = await world();
      transport = h.transport(w);
      stopPublishing = await h.startPublishing(w, transport);
      consumer = null;
    });
    afterEach(async () => {
      await consumer?.stop();
      await stopPublishing();
      await transport.close();
    });

    it('gives each public event exactly one effect, in order per case, and never delivers internal events', async () => {
      const cases = [uuidv7(), uuidv7(), uuidv7()];
      for (let seq = 1; seq <= 5; seq++) {
        for (const c of cases) await grant(w, c, seq);
      }
      await w.store.appendToStream(
        'note-1',
        [{ type: w.internalType, data: { secret: 'stays home' }, metadata: testMetadata() }],
        {
          expectedVersion: 'no_stream',
        },
      );
      consumer = await transport.consume({
        group: `${w.consumer}.g`,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      const rows = await eventually(async () => {
        const r = await effects(w);
        return r.length >= 15 ? r : undefined;
      });
      expect(rows).toHaveLength(15);
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(15);
      for (const c of cases) {
        expect(rows.filter((r) => r.case_id === c).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      }
      const { rows: inbox } = await pool.query(`SELECT message_type FROM "${w.consumerSchema}".inbox`);
      expect(inbox.every((r) => r.message_type === w.type)).toBe(true);
    });

    it('records what the consumer has no use for as seen without handling it, and handles the rest once', async () => {
      const c = uuidv7();
      for (let seq = 1; seq <= 6; seq++) await grant(w, c, seq);
      consumer = await transport.consume({
        group: `${w.consumer}.g`,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
        accepts: (m) => (m.data as { seq: number }).seq % 2 === 0,
      });
      await eventually(async () => ((await effects(w)).length >= 3 ? true : undefined));
      await grant(w, c, 8); // a later wanted message proves the unwanted ones were passed, not stuck
      await eventually(async () => ((await effects(w)).length >= 4 ? true : undefined));
      const { rows: inbox } = await pool.query(
        `SELECT outcome, count(*)::int AS n FROM "${w.consumerSchema}".inbox GROUP BY outcome ORDER BY outcome`,
      );
      expect({ effects: (await effects(w)).map((r) => r.seq), inbox }).toEqual({
        effects: [2, 4, 6, 8],
        inbox: [
          { outcome: 'handled', n: 4 },
          { outcome: 'ignored', n: 3 },
        ],
      });
    });

    it('sends a message whose handler keeps failing to the dead letters, then handles the next one', async () => {
      const c = uuidv7();
      await grant(w, c, 1, 100);
      await grant(w, c, 2, 13); // the handler refuses this one every time
      await grant(w, c, 3, 300);
      consumer = await transport.consume({
        group: `${w.consumer}.g`,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w, (m) => (m.data as { amount: number }).amount === 13),
      });
      const rows = await eventually(async () => {
        const r = await effects(w);
        return r.length >= 2 ? r : undefined;
      });
      expect(rows.map((r) => r.seq)).toEqual([1, 3]);
      const dead = await eventually(async () => {
        const d = await h.deadLetters(w);
        return d.length >= 1 ? d : undefined;
      });
      expect(dead).toEqual([{ reason: 'handler', error: expect.stringContaining('cannot grant') }]);
    });

    it('dead-letters a message that fails its contract schema and keeps consuming', async () => {
      const c = uuidv7();
      await w.store.appendToStream(
        `bad-${c}`,
        [{ type: w.type, data: { caseId: c, seq: 'one', amount: -5 }, metadata: testMetadata() }],
        {
          expectedVersion: 'no_stream',
        },
      );
      await grant(w, c, 2);
      consumer = await transport.consume({
        group: `${w.consumer}.g`,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await eventually(async () => ((await effects(w)).length >= 1 ? true : undefined));
      expect((await effects(w)).map((r) => r.seq)).toEqual([2]);
      const dead = await eventually(async () => {
        const d = await h.deadLetters(w);
        return d.length >= 1 ? d : undefined;
      });
      expect(dead[0]).toEqual({ reason: 'schema', error: expect.stringMatching(/seq.*amount|amount.*seq/s) });
    });

    it('has no second effect when a consumer group starts over and sees everything again', async () => {
      const c = uuidv7();
      for (let seq = 1; seq <= 4; seq++) await grant(w, c, seq);
      const group = `${w.consumer}.g`;
      consumer = await transport.consume({
        group,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await eventually(async () => ((await effects(w)).length >= 4 ? true : undefined));
      await consumer.stop();
      consumer = null;
      // Rewind: Kafka redelivers the same records (reset offsets), the event log re-reads from position 0.
      if (h.name === 'kafka') {
        const admin = new Kafka({
          clientId: 'reset',
          brokers: brokers(),
          logLevel: logLevel.NOTHING,
        }).admin();
        await admin.connect();
        await admin.resetOffsets({ groupId: group, topic: w.topic, earliest: true });
        await admin.disconnect();
      } else {
        await pool.query(`DELETE FROM "${w.consumerSchema}".event_log_checkpoints`);
      }
      await grant(w, c, 5);
      consumer = await transport.consume({
        group,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await eventually(async () => ((await effects(w)).length >= 5 ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect((await effects(w)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('over Kafka', () => {
    let w: World;
    let transport: KafkaTransport;

    beforeEach(async () => {
      w = await world();
      transport = kafkaTransport(w);
    });
    afterEach(async () => {
      await transport.close();
    });

    it('publishes CloudEvents in the Kafka binary binding, keyed by case id', async () => {
      const caseId = uuidv7();
      const eventId = await grant(w, caseId, 1, 250);
      await transport.ensureTopics([w.topic]);
      const relay = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
      });
      await relay.start();
      const [m] = await readTopic(w.topic, 1);
      await relay.stop();
      expect(m!.key!.toString()).toBe(caseId);
      expect(JSON.parse(m!.value!.toString())).toEqual({ caseId, seq: 1, amount: 250 });
      expect(header(m!, 'ce_specversion')).toBe('1.0');
      expect(header(m!, 'ce_id')).toBe(eventId);
      expect(header(m!, 'ce_type')).toBe(w.type);
      expect(header(m!, 'ce_source')).toBe(`/social-assistance/departments/${w.publisher}`);
      expect(header(m!, 'ce_subject')).toBe(caseId);
      expect(new Date(header(m!, 'ce_time')!).toString()).not.toBe('Invalid Date');
      expect(header(m!, 'content-type')).toContain('application/json');
      expect(header(m!, 'traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(JSON.parse(header(m!, 'ce_actor')!)).toMatchObject({ role: 'township_officer' });
      expect(header(m!, 'ce_correlationid')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('dead-letters a record that is not a CloudEvent and handles the next good one', async () => {
      const kafka = new Kafka({ clientId: 'injector', brokers: brokers(), logLevel: logLevel.NOTHING });
      await transport.ensureTopics([w.topic]);
      const producer = kafka.producer({ retry: { retries: 10 } });
      await producer.connect();
      const caseId = uuidv7();
      // A freshly created topic may still be electing its leader: keep trying until the broker takes it.
      await eventually(
        async () => {
          await producer.send({
            topic: w.topic,
            acks: -1,
            messages: [{ key: caseId, value: '{not json', headers: { ce_type: w.type } }],
          });
          return true;
        },
        { what: 'the malformed record to be accepted by the broker' },
      );
      await producer.disconnect();
      await grant(w, caseId, 7);
      const relay = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
      });
      await relay.start();
      const consumer = await transport.consume({
        group: `${w.consumer}.g`,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await eventually(async () => ((await effects(w)).length >= 1 ? true : undefined));
      const [dead] = await readTopic(deadLetterTopicOf(w.topic), 1);
      await consumer.stop();
      await relay.stop();
      // One assertion over everything, so a failure shows the whole dead letter.
      expect({
        effects: (await effects(w)).map((r) => r.seq),
        reason: header(dead!, 'dlq_reason'),
        error: header(dead!, 'dlq_error'),
        originalTopic: header(dead!, 'dlq_original_topic'),
        value: dead!.value!.toString(),
      }).toEqual({
        effects: [7],
        reason: 'parse',
        error: expect.stringMatching(/missing CloudEvents headers/),
        originalTopic: w.topic,
        value: '{not json',
      });
    });

    it('republishes after a relay dies between publishing and checkpointing, and the effect happens once', async () => {
      const caseId = uuidv7();
      await grant(w, caseId, 1);
      await grant(w, caseId, 2);
      let died = false;
      const doomed: OutboxRelay = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
        afterPublish: async () => {
          died = true;
          void doomed.stop();
          throw new Error('relay process killed before storing its checkpoint');
        },
      });
      await doomed.start();
      await eventually(async () => (died ? true : undefined));
      await doomed.stop();
      const { rows } = await pool.query(`SELECT * FROM "${schemaOf(w.publisher)}".relay_checkpoints`);
      expect(rows).toEqual([]);
      const successor = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
      });
      await successor.start();
      await eventually(async () => (successor.publishedCount >= 2 ? true : undefined));
      const onWire = await readTopic(w.topic, 4);
      expect(onWire).toHaveLength(4); // each event twice: at-least-once
      const consumer = await transport.consume({
        group: `${w.consumer}.g`,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await eventually(async () => ((await effects(w)).length >= 2 ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      await consumer.stop();
      await successor.stop();
      expect((await effects(w)).map((r) => r.seq)).toEqual([1, 2]);
    }, 120_000);

    it('lets only one relay per service publish; a standby takes over when the leader stops', async () => {
      const a = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
        standbyRetryMs: 100,
      });
      const b = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
        standbyRetryMs: 100,
      });
      await a.start();
      await b.start();
      expect([a.isLeader, b.isLeader]).toEqual([true, false]);
      await a.stop();
      await eventually(async () => (b.isLeader ? true : undefined), { timeoutMs: 5000 });
      await grant(w, uuidv7(), 1);
      await eventually(async () => (b.publishedCount >= 1 ? true : undefined));
      await b.stop();
    });

    it('a relay whose lock connection is cut stands by and leads again; a frozen leader is replaced', async () => {
      const relay = (name: string) =>
        new OutboxRelay({
          name,
          pool,
          store: w.store,
          transport,
          contracts: w.contracts,
          pollIntervalMs: 10,
          standbyRetryMs: 100,
          leaseMs: 1000,
        });
      const lockHolder = async (name: string) =>
        (
          await pool.query<{ pid: number }>(
            `SELECT backend_pid AS pid FROM "${w.store.schema}".relay_leases WHERE relay = $1`,
            [name],
          )
        ).rows[0]?.pid;
      // Cut: the database ends the leader's session; it stands by, then leads again and publishes.
      const alone = relay('cut');
      await alone.start();
      expect(alone.isLeader).toBe(true);
      const first = await lockHolder('cut');
      await pool.query('SELECT pg_terminate_backend($1)', [first]);
      await eventually(async () => (!alone.isLeader ? true : undefined), { timeoutMs: 5000 });
      await eventually(async () => (alone.isLeader ? true : undefined), { timeoutMs: 10_000 });
      expect(await lockHolder('cut')).not.toBe(first);
      const before = alone.publishedCount;
      await grant(w, uuidv7(), 1);
      await eventually(async () => (alone.publishedCount > before ? true : undefined));
      await alone.stop();

      // Frozen: the leader keeps its connection but stops renewing and publishing (as under SIGSTOP).
      const a = relay('frozen');
      const b = relay('frozen');
      await a.start();
      await b.start();
      expect([a.isLeader, b.isLeader]).toEqual([true, false]);
      const frozen = a as unknown as {
        leaseTimer: NodeJS.Timeout;
        subscription: { stop(): Promise<void> };
        stopped: boolean;
      };
      clearInterval(frozen.leaseTimer);
      await frozen.subscription.stop();
      // A frozen process does not contend either.
      frozen.stopped = true;
      await eventually(async () => (b.isLeader ? true : undefined), { timeoutMs: 15_000 });
      const published = b.publishedCount;
      await grant(w, uuidv7(), 1);
      await eventually(async () => (b.publishedCount > published ? true : undefined));
      // The frozen one's session was ended: it is no longer the leader.
      await eventually(async () => (!a.isLeader ? true : undefined), { timeoutMs: 5000 });
      await Promise.all([a.stop(), b.stop()]);
    });

    it('resumes from the committed offset after a consumer process is killed mid-batch: nothing lost, nothing doubled', async () => {
      const caseId = uuidv7();
      const total = 40;
      for (let seq = 1; seq <= total; seq++) await grant(w, caseId, seq);
      const relay = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.contracts,
        pollIntervalMs: 10,
      });
      await relay.start();
      await eventually(async () => (relay.publishedCount >= total ? true : undefined));
      await relay.stop();
      const group = `${w.consumer}.g`;
      const child = spawn(process.execPath, [path.resolve('test/fixtures/slow-consumer.mjs')], {
        env: {
          ...process.env,
          TEST_TOPIC: w.topic,
          TEST_TYPE: w.type,
          TEST_PUBLISHER: w.publisher,
          TEST_SCHEMA: w.consumerSchema,
          TEST_GROUP: group,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let handledInChild = 0;
      child.stdout!.on('data', (d: Buffer) => {
        const m = /handled (\d+)\s*$/.exec(d.toString());
        if (m) handledInChild = Number(m[1]);
      });
      // Killed while its transaction holds about ten handled messages: none of them is committed yet.
      await eventually(async () => (handledInChild >= 10 ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 5,
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const atKill = (await effects(w)).length;
      expect(atKill).toBeLessThan(total);
      const consumer = await transport.consume({
        group,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await eventually(async () => ((await effects(w)).length >= total ? true : undefined), {
        timeoutMs: 30_000,
      });
      await new Promise((r) => setTimeout(r, 500));
      await consumer.stop();
      const rows = await effects(w);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    });
  });

  describe('one transaction per batch', () => {
    function message(w: World, caseId: string, seq: number, id = uuidv7()): IntegrationMessage {
      return {
        id,
        type: w.type,
        source: cloudEventSourceOf(w.publisher),
        subject: caseId,
        time: new Date().toISOString(),
        schemaVersion: 1,
        data: { caseId, seq, amount: 100 },
        correlationId: uuidv7(),
        causationId: null,
        actor: testMetadata().actor,
        sourceStream: `allowance-${caseId}`,
        sourcePosition: String(seq),
        sourceVersion: seq,
        sourceHash: createHash('sha256').update(id).digest('hex'),
        previousPublished: null,
        recordedAt: new Date().toISOString(),
        topic: w.topic,
      };
    }
    const processor = (w: World, fail?: (m: IntegrationMessage) => boolean) =>
      new InboxProcessor({
        pool,
        schema: w.consumerSchema,
        group: `${w.consumer}.g`,
        contracts: w.contracts,
        handler: recordingHandler(w, fail),
        maxRetries: 1,
        retryBaseMs: 1,
      });

    it('handles a message delivered twice in the same batch once', async () => {
      const w = await world();
      const c = uuidv7();
      const twice = message(w, c, 1);
      const outcomes = await processor(w).processBatch([twice, message(w, c, 2), twice]);
      expect(outcomes.map((o) => o.status)).toEqual(['handled', 'handled', 'duplicate']);
      expect((await effects(w)).map((r) => r.seq)).toEqual([1, 2]);
    });

    it('keeps what came before a failing message, dead-letters it alone and handles the rest in order', async () => {
      const w = await world();
      const c = uuidv7();
      const batch = [1, 2, 3, 4, 5].map((seq) => message(w, c, seq));
      const outcomes = await processor(w, (m) => (m.data as { seq: number }).seq === 3).processBatch(batch);
      expect(outcomes.map((o) => o.status)).toEqual(['handled', 'handled', 'dead', 'handled', 'handled']);
      expect((await effects(w)).map((r) => r.seq)).toEqual([1, 2, 4, 5]);
      const again = await processor(w).processBatch(batch.filter((_, i) => i !== 2));
      expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
      expect((await effects(w)).map((r) => r.seq)).toEqual([1, 2, 4, 5]);
    });

    it('shows handlers the batch they are in: its new messages and one memo per transaction attempt', async () => {
      const w = await world();
      const c = uuidv7();
      const seen = message(w, c, 1);
      await processor(w).processBatch([seen]);
      const calls: Array<{ seq: number; batch: number[] | null; memo: unknown }> = [];
      const p = new InboxProcessor({
        pool,
        schema: w.consumerSchema,
        group: `${w.consumer}.g`,
        contracts: w.contracts,
        handler: async (m, ctx) => {
          const seq = (m.data as { seq: number }).seq;
          const first = ctx.batch
            ? await loadOncePerBatch(
                ctx.batch,
                'first',
                async (all) => `${seq}@${calls.length} of ${all.length}`,
              )
            : null;
          calls.push({
            seq,
            batch: ctx.batch?.messages.map((b) => (b.data as { seq: number }).seq) ?? null,
            memo: first,
          });
          if (seq === 3) throw new Error('fails in the batch and alone');
        },
        maxRetries: 0,
        retryBaseMs: 1,
      });
      const outcomes = await p.processBatch([seen, message(w, c, 2), message(w, c, 3)]);
      expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'handled', 'dead']);
      expect(calls).toEqual([
        // First attempt: the duplicate is left out of the batch; the memo is shared by its messages.
        { seq: 2, batch: [2, 3], memo: '2@0 of 2' },
        { seq: 3, batch: [2, 3], memo: '2@0 of 2' },
        // Redone without the failing message: a new attempt, a new memo.
        { seq: 2, batch: [2], memo: '2@2 of 1' },
        // The failing message alone, outside any batch.
        { seq: 3, batch: null, memo: null },
      ]);
    });

    it('retries a concurrent write at once and quietly, outside the failure budget; a real failure warns', async () => {
      const w = await world();
      const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
      let conflicts = 3;
      const p = new InboxProcessor({
        pool,
        schema: w.consumerSchema,
        group: `${w.consumer}.g`,
        contracts: w.contracts,
        handler: async (m) => {
          if ((m.data as { seq: number }).seq === 1 && conflicts-- > 0)
            throw new StreamVersionConflict(`case-${m.subject}`, '7', 8);
          if ((m.data as { seq: number }).seq === 2) throw new Error('the register is unreachable');
        },
        maxRetries: 1,
        // A failure waits this long before its retry; a conflict does not.
        retryBaseMs: 1_000,
        log: (level, message, detail) => lines.push([level, message, detail]),
      });
      const c = uuidv7();
      const started = performance.now();
      // Three conflicts with a budget of one retry: still handled, each retried at once, at debug.
      expect((await p.process(message(w, c, 1))).status).toBe('handled');
      expect(performance.now() - started).toBeLessThan(900);
      expect((await p.process(message(w, c, 2))).status).toBe('dead');
      expect(lines.map(([level, text]) => [level, text])).toEqual([
        ['debug', 'concurrent write, retrying (1)'],
        ['debug', 'concurrent write, retrying (2)'],
        ['debug', 'concurrent write, retrying (3)'],
        ['warn', 'handler failed, retrying (1/1)'],
      ]);
      expect(lines[0]![2]).toMatchObject({ subject: c });
    });
  });
});
