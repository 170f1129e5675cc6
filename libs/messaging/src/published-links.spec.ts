import { ContractRegistry, schemaOf } from '@platform/contracts';
import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@platform/event-store';
import { dropSchema, testMetadata, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { z } from 'zod';
import { publishedLinks } from './integration-message.js';

/**
 * A stream that publishes on two topics (a dibao application's milestones on the events topic, its
 * household's category on a topic of its own) keeps one chain per topic: a consumer of either topic sees
 * every link it is shown, and nothing it is not.
 */
describe('published links per topic', () => {
  let pool: Pool;
  let schema: string;

  beforeAll(async () => {
    pool = testPool(2);
    schema = schemaOf(uniqueName('links'));
    await runMigrations(pool, schema, eventStoreMigrations);
  });

  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('links each public event to the previous one of its stream on the same topic, across batches', async () => {
    const dept = 'pub';
    const contracts = new ContractRegistry().register(
      {
        type: `${dept}.Milestone`,
        department: dept,
        schemaVersion: 1,
        schema: z.object({}),
        subject: () => 'x',
      },
      {
        type: `${dept}.CategoryChanged`,
        department: dept,
        topic: `${dept}.recipients`,
        schemaVersion: 1,
        schema: z.object({}),
        subject: () => 'x',
      },
    );
    const store = new PostgresEventStore({ pool, schema });
    // Versions: 1 milestone, 2 internal, 3 category, 4 milestone, 5 category, 6 milestone.
    const types = ['Milestone', 'Internal', 'CategoryChanged', 'Milestone', 'CategoryChanged', 'Milestone'];
    await store.appendToStream(
      'app-1',
      types.map((t) => ({ type: `${dept}.${t}`, data: {}, metadata: testMetadata() })),
      { expectedVersion: 'no_stream' },
    );
    const events = await store.readStream('app-1');
    const link = (links: Map<string, { version: number } | null>, version: number) =>
      links.get(events[version - 1]!.eventId)?.version ?? null;

    const whole = await publishedLinks(pool, schema, events, contracts);
    expect([1, 3, 4, 5, 6].map((v) => [v, link(whole, v)])).toEqual([
      [1, null],
      [3, null],
      [4, 1],
      [5, 3],
      [6, 4],
    ]);
    expect(whole.has(events[1]!.eventId)).toBe(false);

    // The last two in a later batch: each looks back on its own topic only.
    const later = await publishedLinks(pool, schema, events.slice(4), contracts);
    expect([5, 6].map((v) => [v, link(later, v)])).toEqual([
      [5, 3],
      [6, 4],
    ]);
  });
});
