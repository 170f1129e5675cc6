import {
  cloudEventSourceOf,
  ContractRegistry,
  deadLetterTopicOf,
  schemaOf,
  topicOf,
  type IntegrationContract,
} from '@platform/contracts';
import { eventStoreMigrations, PostgresEventStore, runMigrations, uuidv7 } from '@platform/event-store';
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
import { InboxProcessor } from './inbox-processor.js';
import type { IntegrationMessage, MessageHandler } from './integration-message.js';
import { KafkaTransport } from './kafka/kafka-transport.js';
import { messagingMigrations } from './messaging.migrations.js';
import { OutboxRelay } from './outbox-relay.js';
import type { ConsumerHandle, IntegrationTransport } from './transport.port.js';

const { Kafka, logLevel } = kafkajs;
const brokers = () => requireKafkaBrokers();

/**
 * A publishing department, a second department whose types a forger borrows, and a consumer. The
 * publisher also publishes `NoticePosted`, which the consumer's (older) contracts do not know.
 */
interface World {
  pool: Pool;
  publisher: string;
  other: string;
  consumer: string;
  topic: string;
  type: string;
  unknownType: string;
  internalType: string;
  store: PostgresEventStore;
  /** What the consumer knows. */
  contracts: ContractRegistry;
  /** What the publisher publishes by. */
  publisherContracts: ContractRegistry;
  consumerSchema: string;
  group: string;
}

const grantSchema = z.object({ caseId: z.string().uuid(), seq: z.number().int(), amount: z.number() });

function contract(type: string, department: string, schema: z.ZodType = grantSchema): IntegrationContract {
  return { type, department, schemaVersion: 1, schema, subject: (d) => String(d.caseId) };
}

async function makeWorld(pool: Pool): Promise<World> {
  const publisher = uniqueName('pub');
  const other = uniqueName('oth');
  const consumer = uniqueName('con');
  const type = `${publisher}.AllowanceGranted`;
  const unknownType = `${publisher}.NoticePosted`;
  const known = [contract(type, publisher), contract(`${other}.AllowanceGranted`, other)];
  const consumerSchema = schemaOf(consumer);
  await runMigrations(pool, schemaOf(publisher), [...eventStoreMigrations, ...messagingMigrations]);
  await runMigrations(pool, consumerSchema, [
    ...messagingMigrations,
    {
      id: 'test/effects',
      sql: (s) =>
        `CREATE TABLE ${s}.effects (id bigint GENERATED ALWAYS AS IDENTITY, message_id text, seq int, amount numeric)`,
    },
  ]);
  return {
    pool,
    publisher,
    other,
    consumer,
    topic: topicOf(publisher),
    type,
    unknownType,
    internalType: `${publisher}.InternalNoteAdded`,
    store: new PostgresEventStore({ pool, schema: schemaOf(publisher) }),
    contracts: new ContractRegistry().register(...known),
    publisherContracts: new ContractRegistry().register(
      ...known,
      contract(unknownType, publisher, z.object({ caseId: z.string().uuid(), text: z.string() })),
    ),
    consumerSchema,
    group: `${consumer}.g`,
  };
}

function recordingHandler(w: World): MessageHandler {
  return async (m, { transaction }) => {
    const d = m.data as { seq: number; amount: number };
    await transaction.query(
      `INSERT INTO "${w.consumerSchema}".effects (message_id, seq, amount) VALUES ($1, $2, $3)`,
      [m.id, d.seq, d.amount],
    );
  };
}

async function effects(w: World): Promise<number[]> {
  const { rows } = await w.pool.query<{ seq: number }>(
    `SELECT seq FROM "${w.consumerSchema}".effects ORDER BY id`,
  );
  return rows.map((r) => r.seq);
}

/** A shared broker under load can take a while to seat a new group: wait generously. */
async function effectsReach(w: World, n: number): Promise<void> {
  await eventually(async () => ((await effects(w)).length >= n ? true : undefined), {
    timeoutMs: 45_000,
    what: `${n} effects`,
  });
}

async function inbox(w: World): Promise<Array<{ message_type: string; outcome: string }>> {
  const { rows } = await w.pool.query(
    `SELECT message_type, outcome FROM "${w.consumerSchema}".inbox ORDER BY handled_at, message_id`,
  );
  return rows as Array<{ message_type: string; outcome: string }>;
}

async function append(w: World, stream: string, events: Array<{ type: string; data: unknown }>) {
  const result = await w.store.appendToStream(
    stream,
    events.map((e) => ({ ...e, metadata: testMetadata() })),
    { expectedVersion: 'any' },
  );
  return result.events.map((e) => e.eventId);
}

const header = (m: kafkajs.KafkaMessage, name: string) => m.headers?.[name]?.toString();

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

/** Produces raw records, as anyone with access to the broker could. */
async function produceRaw(
  topic: string,
  records: Array<{ key: string; value: string; headers: Record<string, string> }>,
) {
  const producer = new Kafka({
    clientId: 'forger',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  try {
    await eventually(
      async () => {
        await producer.send({ topic, acks: -1, messages: records });
        return true;
      },
      { what: 'the raw records to be accepted by the broker' },
    );
  } finally {
    await producer.disconnect();
  }
}

function headersOf(m: kafkajs.KafkaMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]));
}

async function deadLetters(
  topic: string,
): Promise<Array<{ type?: string; reason?: string; error?: string }>> {
  const admin = new Kafka({ clientId: 'dlq-count', brokers: brokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(deadLetterTopicOf(topic));
  await admin.disconnect();
  const total = offsets.reduce((n, o) => n + Number(o.high), 0);
  if (total === 0) return [];
  return (await readTopic(deadLetterTopicOf(topic), total)).map((m) => ({
    type: header(m, 'ce_type'),
    reason: header(m, 'dlq_reason'),
    error: header(m, 'dlq_error'),
  }));
}

describe('Messages carry their origin’s proof and consumers refuse forgeries and replays', () => {
  let pool: Pool;
  const schemas: string[] = [];

  beforeAll(() => {
    pool = testPool(10);
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

  describe('over Kafka', () => {
    let w: World;
    let transport: KafkaTransport;
    let relay: OutboxRelay;
    let consumer: ConsumerHandle | null;

    beforeEach(async () => {
      w = await world();
      transport = new KafkaTransport({
        brokers: brokers(),
        clientId: `test-${w.consumer}`,
        pool,
        contracts: w.contracts,
        partitions: 2,
        replicationFactor: 1,
        maxRetries: 1,
        retryBaseMs: 10,
        sessionTimeoutMs: 6000,
      });
      await transport.ensureTopics([w.topic]);
      relay = new OutboxRelay({
        name: 'test',
        pool,
        store: w.store,
        transport,
        contracts: w.publisherContracts,
        pollIntervalMs: 10,
        batchSize: 2,
      });
      consumer = null;
    });
    afterEach(async () => {
      await consumer?.stop();
      await relay.stop();
      await transport.close();
    });

    const consume = async () => {
      consumer = await transport.consume({
        group: w.group,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
    };

    it('links each published event to the previous public one of its stream, across internal events and batches', async () => {
      const caseId = uuidv7();
      const grant = (seq: number) => ({ type: w.type, data: { caseId, seq, amount: seq } });
      const note = { type: w.internalType, data: { caseId, text: 'stays home' } };
      // Batches of two: the links of versions 3 and 5 come from the relay's look-up, those of the
      // other stream's second event from within its batch.
      await append(w, `allowance-${caseId}`, [grant(1), note]);
      await append(w, `allowance-${caseId}`, [grant(3), note, grant(5)]);
      await append(w, `other-${caseId}`, [grant(1), grant(2)]);
      await relay.start();
      const onWire = await readTopic(w.topic, 5);
      const stored = new Map(
        [
          ...(await w.store.readStream(`allowance-${caseId}`)),
          ...(await w.store.readStream(`other-${caseId}`)),
        ].map((e) => [`${e.streamId}@${e.streamVersion}`, e.hash]),
      );
      const links = onWire.map((m) => ({
        at: `${header(m, 'ce_sourcestream')}@${header(m, 'ce_sourceversion')}`,
        hash: header(m, 'ce_sourcehash'),
        previous: `${header(m, 'ce_previousversion')} ${header(m, 'ce_previoushash') ?? '-'}`,
      }));
      const a = `allowance-${caseId}`;
      const o = `other-${caseId}`;
      expect(links.sort((x, y) => x.at.localeCompare(y.at))).toEqual([
        { at: `${a}@1`, hash: stored.get(`${a}@1`), previous: '0 -' },
        { at: `${a}@3`, hash: stored.get(`${a}@3`), previous: `1 ${stored.get(`${a}@1`)}` },
        { at: `${a}@5`, hash: stored.get(`${a}@5`), previous: `3 ${stored.get(`${a}@3`)}` },
        { at: `${o}@1`, hash: stored.get(`${o}@1`), previous: '0 -' },
        { at: `${o}@2`, hash: stored.get(`${o}@2`), previous: `1 ${stored.get(`${o}@1`)}` },
      ]);
      // And a consumer accepts that chain: every public event has its effect.
      await consume();
      await effectsReach(w, 5);
      expect(await deadLetters(w.topic)).toEqual([]);
    });

    it('dead-letters another department’s type produced on this topic, and a foreign ce_source, with no effect', async () => {
      const caseId = uuidv7();
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 1, amount: 10 } }]);
      await relay.start();
      const [genuine] = await readTopic(w.topic, 1);
      const forgedType = `${w.other}.AllowanceGranted`;
      await produceRaw(w.topic, [
        {
          key: caseId,
          value: JSON.stringify({ caseId, seq: 2, amount: 9999 }),
          headers: {
            ...headersOf(genuine!),
            ce_id: uuidv7(),
            ce_type: forgedType,
            ce_source: cloudEventSourceOf(w.other),
            ce_sourcestream: `forged-${caseId}`,
            ce_sourceversion: '1',
            ce_previousversion: '0',
          },
        },
        {
          key: caseId,
          value: JSON.stringify({ caseId, seq: 3, amount: 9999 }),
          headers: {
            ...headersOf(genuine!),
            ce_id: uuidv7(),
            ce_source: cloudEventSourceOf(w.other),
            ce_sourcestream: `forged2-${caseId}`,
          },
        },
      ]);
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 4, amount: 40 } }]);
      await consume();
      await effectsReach(w, 2);
      const dead = await eventually(
        async () => {
          const d = await deadLetters(w.topic);
          return d.length >= 2 ? d : undefined;
        },
        { timeoutMs: 45_000 },
      );
      expect({ effects: await effects(w), dead, inbox: (await inbox(w)).map((r) => r.outcome) }).toEqual({
        effects: [1, 4],
        dead: [
          {
            type: forgedType,
            reason: 'proof',
            error: `${forgedType} on topic ${w.topic}: the type belongs to ${w.other}`,
          },
          {
            type: w.type,
            reason: 'proof',
            error: `${w.type} on topic ${w.topic}: ce_source ${cloudEventSourceOf(w.other)} is not ${cloudEventSourceOf(w.publisher)}`,
          },
        ],
        inbox: ['handled', 'handled'],
      });
    });

    it('dead-letters the same content under a new ce_id as a replay, while a redelivered identical record is a silent duplicate', async () => {
      const caseId = uuidv7();
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 1, amount: 10 } }]);
      await relay.start();
      await consume();
      await effectsReach(w, 1);
      const [genuine] = await readTopic(w.topic, 1);
      const replayId = uuidv7();
      await produceRaw(w.topic, [
        { key: caseId, value: genuine!.value!.toString(), headers: headersOf(genuine!) },
        {
          key: caseId,
          value: genuine!.value!.toString(),
          headers: { ...headersOf(genuine!), ce_id: replayId },
        },
      ]);
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 2, amount: 20 } }]);
      await effectsReach(w, 2);
      const dead = await eventually(
        async () => {
          const d = await deadLetters(w.topic);
          return d.length >= 1 ? d : undefined;
        },
        { timeoutMs: 45_000 },
      );
      expect({ effects: await effects(w), dead }).toEqual({
        effects: [1, 2],
        dead: [
          {
            type: w.type,
            reason: 'proof',
            error: `stream allowance-${caseId} of ${cloudEventSourceOf(w.publisher)} version 1 was already accepted (event ${header(genuine!, 'ce_id')}): replay under a new id ${replayId}`,
          },
        ],
      });
    });

    it('dead-letters a record whose previous link does not match the last accepted event of its stream', async () => {
      const caseId = uuidv7();
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 1, amount: 10 } }]);
      await relay.start();
      await consume();
      await effectsReach(w, 1);
      const [genuine] = await readTopic(w.topic, 1);
      const bogus = 'ab'.repeat(32);
      await produceRaw(w.topic, [
        {
          key: caseId,
          value: JSON.stringify({ caseId, seq: 2, amount: 9999 }),
          headers: {
            ...headersOf(genuine!),
            ce_id: uuidv7(),
            ce_sourceversion: '2',
            ce_sourcehash: 'cd'.repeat(32),
            ce_previousversion: '1',
            ce_previoushash: bogus,
          },
        },
      ]);
      const dead = await eventually(
        async () => {
          const d = await deadLetters(w.topic);
          return d.length >= 1 ? d : undefined;
        },
        { timeoutMs: 45_000 },
      );
      // The genuine version 2 still chains to what was accepted: the forgery moved nothing.
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 2, amount: 20 } }]);
      await effectsReach(w, 2);
      expect({ effects: await effects(w), dead }).toEqual({
        effects: [1, 2],
        dead: [
          {
            type: w.type,
            reason: 'proof',
            error: `stream allowance-${caseId} of ${cloudEventSourceOf(w.publisher)} version 2 does not chain: expected previous published version 1 hash ${header(genuine!, 'ce_sourcehash')!.slice(0, 16)}…, got version 1 hash ${bogus.slice(0, 16)}…`,
          },
        ],
      });
    });

    it('dead-letters a record without its proof headers as malformed', async () => {
      const caseId = uuidv7();
      await append(w, `allowance-${caseId}`, [{ type: w.type, data: { caseId, seq: 1, amount: 10 } }]);
      await relay.start();
      const [genuine] = await readTopic(w.topic, 1);
      const { ce_sourcehash: _h, ce_previousversion: _p, ...withoutProof } = headersOf(genuine!);
      await produceRaw(w.topic, [
        { key: caseId, value: genuine!.value!.toString(), headers: { ...withoutProof, ce_id: uuidv7() } },
      ]);
      await consume();
      const dead = await eventually(
        async () => {
          const d = await deadLetters(w.topic);
          return d.length >= 1 ? d : undefined;
        },
        { timeoutMs: 45_000 },
      );
      expect({ effects: await effects(w), dead }).toEqual({
        effects: [1],
        dead: [
          {
            type: w.type,
            reason: 'parse',
            error: 'missing proof headers: ce_sourcehash, ce_previousversion',
          },
        ],
      });
    });

    it('records an unknown type as seen, advances its stream’s chain past it and keeps consuming', async () => {
      const caseId = uuidv7();
      await append(w, `allowance-${caseId}`, [
        { type: w.unknownType, data: { caseId, text: 'posted' } },
        { type: w.type, data: { caseId, seq: 2, amount: 20 } },
      ]);
      await relay.start();
      await consume();
      await effectsReach(w, 1);
      expect({ effects: await effects(w), inbox: await inbox(w), dead: await deadLetters(w.topic) }).toEqual({
        effects: [2],
        inbox: [
          { message_type: w.unknownType, outcome: 'ignored' },
          { message_type: w.type, outcome: 'handled' },
        ],
        dead: [],
      });
    });
  });

  describe('over the event log', () => {
    let w: World;
    let transport: IntegrationTransport;
    let consumer: ConsumerHandle | null;

    beforeEach(async () => {
      w = await world();
      transport = new EventLogTransport({
        pool,
        contracts: w.contracts,
        publishedBy: w.publisherContracts,
        schemaOfTopic: (topic) => schemaOf(topic.replace(/\.events$/, '')),
        maxRetries: 1,
        retryBaseMs: 10,
        pollIntervalMs: 10,
      });
      consumer = null;
    });
    afterEach(async () => {
      await consumer?.stop();
      await transport.close();
    });

    it('records an unknown type as seen and keeps consuming', async () => {
      const caseId = uuidv7();
      await append(w, `allowance-${caseId}`, [
        { type: w.unknownType, data: { caseId, text: 'posted' } },
        { type: w.type, data: { caseId, seq: 2, amount: 20 } },
      ]);
      consumer = await transport.consume({
        group: w.group,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: recordingHandler(w),
      });
      await effectsReach(w, 1);
      expect({ effects: await effects(w), inbox: await inbox(w) }).toEqual({
        effects: [2],
        inbox: [
          { message_type: w.unknownType, outcome: 'ignored' },
          { message_type: w.type, outcome: 'handled' },
        ],
      });
    });

    it('gives handlers the same proof as Kafka and keeps only the contract’s fields in its dead letters', async () => {
      const caseId = uuidv7();
      const seen: IntegrationMessage[] = [];
      await append(w, `allowance-${caseId}`, [
        { type: w.type, data: { caseId, seq: 1, amount: 10 } },
        { type: w.internalType, data: { caseId } },
        // Fails its contract (seq is not a number) and carries a field the contract does not name.
        { type: w.type, data: { caseId, seq: 'two', amount: 20, household: '王小明 150802198001011234' } },
        { type: w.type, data: { caseId, seq: 4, amount: 40 } },
      ]);
      consumer = await transport.consume({
        group: w.group,
        topics: [w.topic],
        schema: w.consumerSchema,
        handler: async (m, ctx) => {
          seen.push(m);
          await recordingHandler(w)(m, ctx);
        },
      });
      await effectsReach(w, 2);
      const stored = await w.store.readStream(`allowance-${caseId}`);
      const { rows: dead } = await pool.query(
        `SELECT reason, payload FROM "${w.consumerSchema}".dead_letters ORDER BY id`,
      );
      expect({
        proof: seen.map((m) => [m.sourceVersion, m.sourceHash, m.previousPublished]),
        dead,
      }).toEqual({
        proof: [
          [1, stored[0]!.hash, null],
          [4, stored[3]!.hash, { version: 3, hash: stored[2]!.hash }],
        ],
        dead: [{ reason: 'schema', payload: { caseId, seq: 'two', amount: 20 } }],
      });
    });
  });

  describe('the inbox processor (both transports)', () => {
    it('refuses a message whose type belongs to another department than its topic, before any effect', async () => {
      const w = await world();
      const processor = new InboxProcessor({
        pool,
        schema: w.consumerSchema,
        group: w.group,
        contracts: w.contracts,
        handler: recordingHandler(w),
        maxRetries: 0,
        retryBaseMs: 1,
      });
      const caseId = uuidv7();
      const forged: IntegrationMessage = {
        id: uuidv7(),
        type: `${w.other}.AllowanceGranted`,
        source: cloudEventSourceOf(w.other),
        subject: caseId,
        time: new Date().toISOString(),
        schemaVersion: 1,
        data: { caseId, seq: 1, amount: 9999 },
        correlationId: uuidv7(),
        causationId: null,
        actor: testMetadata().actor,
        sourceStream: `allowance-${caseId}`,
        sourcePosition: '1',
        sourceVersion: 1,
        sourceHash: 'ab'.repeat(32),
        previousPublished: null,
        recordedAt: new Date().toISOString(),
        topic: w.topic,
      };
      const outcomes = [await processor.process(forged), ...(await processor.processBatch([forged]))];
      expect({ outcomes, effects: await effects(w), inbox: await inbox(w) }).toEqual({
        outcomes: [1, 2].map(() => ({
          status: 'dead',
          reason: 'proof',
          error: `${w.other}.AllowanceGranted on topic ${w.topic}: the type belongs to ${w.other}`,
          attempts: 0,
        })),
        effects: [],
        inbox: [],
      });
    });
  });
});
