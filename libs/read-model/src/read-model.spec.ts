import { randomBytes } from 'node:crypto';
import {
  commitPositionScope,
  eventStoreMigrations,
  grantMigratedSchemasTo,
  readModelPositions,
  type CommitPositions,
  PostgresEventStore,
  runMigrations,
  type RecordedEvent,
} from '@platform/event-store';
import {
  dropSchema,
  eventually,
  requireDatabaseUrl,
  testEvent,
  testPool,
  uniqueName,
} from '@platform/testing';
import pg from 'pg';
import { EntitySchema, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationSchema, readModelDataSource, TYPEORM_MIGRATIONS_TABLE } from './data-source.js';
import { runReadModelMigrations } from './migrations.js';
import { ProjectionRunner, type Projection } from './projection-runner.js';

interface Tally {
  streamId: string;
  events: number;
}
const TallyEntity = new EntitySchema<Tally>({
  name: 'Tally',
  tableName: 'tallies',
  columns: {
    streamId: { name: 'stream_id', type: 'text', primary: true },
    events: { type: 'int' },
  },
});

class Tallies1764201600000 implements MigrationInterface {
  name = 'Tallies1764201600000';
  async up(q: QueryRunner) {
    await q.query(
      `CREATE TABLE IF NOT EXISTS ${migrationSchema(q)}.tallies (stream_id text PRIMARY KEY, events int NOT NULL)`,
    );
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE ${migrationSchema(q)}.tallies`);
  }
}

class TalliesNote1764201700000 implements MigrationInterface {
  name = 'TalliesNote1764201700000';
  async up(q: QueryRunner) {
    await q.query(`ALTER TABLE ${migrationSchema(q)}.tallies ADD COLUMN note text`);
  }
  async down(q: QueryRunner) {
    await q.query(`ALTER TABLE ${migrationSchema(q)}.tallies DROP COLUMN note`);
  }
}

/** Counts events per stream; an event typed `t.Poison` makes the batch fail after its rows were written. */
const tallyProjection: Projection = {
  name: 'tallies',
  async reset(manager) {
    await manager.createQueryBuilder().delete().from(TallyEntity).execute();
  },
  async apply(events: RecordedEvent[], manager) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.streamId, (counts.get(e.streamId) ?? 0) + 1);
    const repo = manager.getRepository(TallyEntity);
    for (const [streamId, n] of counts) {
      const row = await repo.findOneBy({ streamId });
      await repo.save({ streamId, events: (row?.events ?? 0) + n });
    }
    if (events.some((e) => e.type === 't.Poison')) throw new Error('poison');
  },
};

describe('read models on TypeORM', () => {
  const admin = testPool(6);
  const schemas: string[] = [];

  afterAll(async () => {
    for (const s of schemas) await dropSchema(admin, s);
    await admin.end();
  });

  async function fresh(): Promise<string> {
    const schema = uniqueName('rm');
    schemas.push(schema);
    await runMigrations(admin, schema, eventStoreMigrations);
    return schema;
  }

  it('applies each migration once, even when several processes start at the same moment', async () => {
    const schema = await fresh();
    const pools = [0, 1, 2].map(() => testPool(2));
    try {
      const runs = await Promise.all(
        pools.map((p) => runReadModelMigrations(p, schema, [Tallies1764201600000, TalliesNote1764201700000])),
      );
      expect(runs.flat().sort()).toEqual(['Tallies1764201600000', 'TalliesNote1764201700000']);
      expect(runs.filter((r) => r.length === 2)).toHaveLength(1);
      const { rows } = await admin.query(
        `SELECT name FROM "${schema}".${TYPEORM_MIGRATIONS_TABLE} ORDER BY id`,
      );
      expect(rows.map((r) => r.name)).toEqual(['Tallies1764201600000', 'TalliesNote1764201700000']);
      expect(
        await runReadModelMigrations(admin, schema, [Tallies1764201600000, TalliesNote1764201700000]),
      ).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a failing migration leaves nothing half-applied', async () => {
    const schema = await fresh();
    class Broken1764201800000 implements MigrationInterface {
      name = 'Broken1764201800000';
      async up(q: QueryRunner) {
        await q.query(`CREATE TABLE ${migrationSchema(q)}.half (x int)`);
        await q.query('SELECT 1/0');
      }
      async down() {}
    }
    await expect(
      runReadModelMigrations(admin, schema, [Tallies1764201600000, Broken1764201800000]),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await admin.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('tallies', 'half', $2)`,
      [schema, TYPEORM_MIGRATIONS_TABLE],
    );
    expect(rows).toEqual([]);
  });

  it('adopts a table created before read models moved to TypeORM', async () => {
    const schema = await fresh();
    await admin.query(`CREATE TABLE "${schema}".tallies (stream_id text PRIMARY KEY, events int NOT NULL)`);
    await admin.query(`INSERT INTO "${schema}".tallies VALUES ('kept', 3)`);
    expect(await runReadModelMigrations(admin, schema, [Tallies1764201600000])).toEqual([
      'Tallies1764201600000',
    ]);
    expect((await admin.query(`SELECT events FROM "${schema}".tallies`)).rows).toEqual([{ events: 3 }]);
  });

  it('the DataSource borrows the service pool and gives it back intact', async () => {
    const schema = await fresh();
    const pool = testPool(2);
    try {
      await runReadModelMigrations(pool, schema, [Tallies1764201600000]);
      const ds = await readModelDataSource({ pool, schema, entities: [TallyEntity] }).initialize();
      await ds.getRepository(TallyEntity).save({ streamId: 's', events: 1 });
      expect(pool.totalCount).toBeLessThanOrEqual(2);
      await ds.destroy();
      // Destroying the DataSource must not end the pool the service still uses.
      expect((await pool.query(`SELECT events FROM "${schema}".tallies`)).rows).toEqual([{ events: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('read-your-writes: a read waits until the running read model has applied the change, bounded', async () => {
    const schema = await fresh();
    await runReadModelMigrations(admin, schema, [Tallies1764201600000]);
    const store = new PostgresEventStore({ pool: admin, schema });
    const dataSource = await readModelDataSource({
      pool: admin,
      schema,
      entities: [TallyEntity],
    }).initialize();
    // The projection is held at a gate: nothing is applied until the test opens it.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: Projection = {
      ...tallyProjection,
      async apply(events, manager) {
        await gate;
        await tallyProjection.apply(events, manager);
      },
    };
    const runner = new ProjectionRunner({ dataSource, store, projection: gated, pollIntervalMs: 20 });
    try {
      await runner.start();
      const positions: CommitPositions = new Map();
      await commitPositionScope.run(positions, () =>
        store.appendToStream('ryw', [testEvent('t.A', {})], { expectedVersion: 'no_stream' }),
      );
      const at = positions.get(schema)!;
      expect(at.globalPosition).toBeGreaterThan(0n);
      // Held back: the wait ends in vain after its bound.
      expect(await readModelPositions.waitFor(positions, 300)).toBe(false);
      let done = false;
      const waiting = readModelPositions.waitFor(positions, 30_000).then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, 200));
      expect(done).toBe(false);
      open();
      expect(await waiting).toBe(true);
      // Released only once the change is in the table and the checkpoint has passed it.
      expect((await admin.query(`SELECT events FROM "${schema}".tallies`)).rows).toEqual([{ events: 1 }]);
      const c = await runner.checkpoint();
      expect(c.transactionId > at.transactionId || c.globalPosition >= at.globalPosition).toBe(true);
      // A position already applied answers at once; another log's position waits for nothing here.
      expect(await readModelPositions.waitFor(positions, 1)).toBe(true);
      expect(await readModelPositions.waitFor(new Map([['no_such_log', at]]), 1)).toBe(true);
    } finally {
      open();
      await runner.stop();
      await dataSource.destroy();
    }
  });

  it('two instances running one projection fold each event once, and its checkpoint never moves back', async () => {
    const schema = await fresh();
    await runReadModelMigrations(admin, schema, [Tallies1764201600000]);
    const store = new PostgresEventStore({ pool: admin, schema });
    // Two instances: each its own pool, DataSource and runner, on one database, with small batches so
    // that they meet often.
    const pools = [testPool(3), testPool(3)];
    const sources = await Promise.all(
      pools.map((pool) => readModelDataSource({ pool, schema, entities: [TallyEntity] }).initialize()),
    );
    const runners = sources.map(
      (dataSource, i) =>
        new ProjectionRunner({
          dataSource,
          store,
          projection: tallyProjection,
          batchSize: 3 + i * 4,
          pollIntervalMs: 10,
        }),
    );
    // The checkpoint read one read after another: reads overlapping on two connections may answer out of
    // order. It is ordered by (transaction id, position): concurrent appends can take positions out of
    // transaction order, so the position alone may go down between two checkpoints that go forward.
    const seen: Array<{ transactionId: bigint; globalPosition: bigint }> = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        seen.push(await runners[0]!.checkpoint());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const back = () =>
      seen.filter(
        (c, i) =>
          i > 0 &&
          (c.transactionId < seen[i - 1]!.transactionId ||
            (c.transactionId === seen[i - 1]!.transactionId &&
              c.globalPosition < seen[i - 1]!.globalPosition)),
      );
    try {
      await Promise.all(runners.map((r) => r.start()));
      for (let i = 0; i < 60; i++) {
        await Promise.all(
          ['s1', 's2', 's3'].map((stream) =>
            store.appendToStream(stream, [testEvent('t.A', {})], { expectedVersion: 'any' }),
          ),
        );
      }
      await eventually(
        async () => {
          const { rows } = await admin.query<{ n: number }>(
            `SELECT coalesce(sum(events), 0)::int AS n FROM "${schema}".tallies`,
          );
          return rows[0]!.n >= 180 ? true : undefined;
        },
        { what: 'the tallies to count all 180 events' },
      );
      await Promise.all(runners.map((r) => r.caughtUp()));
      const { rows } = await admin.query(
        `SELECT stream_id, events FROM "${schema}".tallies ORDER BY stream_id`,
      );
      expect(rows).toEqual([
        { stream_id: 's1', events: 60 },
        { stream_id: 's2', events: 60 },
        { stream_id: 's3', events: 60 },
      ]);
      watching = false;
      await watch;
      expect(seen.length).toBeGreaterThan(2);
      expect(back()).toEqual([]);
    } finally {
      watching = false;
      await watch;
      await Promise.all(runners.map((r) => r.stop()));
      await Promise.all(sources.map((d) => d.destroy()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a batch commits its effects and its checkpoint together, or neither', async () => {
    const schema = await fresh();
    await runReadModelMigrations(admin, schema, [Tallies1764201600000]);
    const store = new PostgresEventStore({ pool: admin, schema });
    const dataSource = await readModelDataSource({
      pool: admin,
      schema,
      entities: [TallyEntity],
    }).initialize();
    try {
      const runner = new ProjectionRunner({ dataSource, store, projection: tallyProjection, batchSize: 100 });
      await store.appendToStream('a', [testEvent('t.A', {}), testEvent('t.A', {})], {
        expectedVersion: 'no_stream',
      });
      // Reads stop at the read horizon: another suite's transaction still open on this database can hide the
      // two events for a moment, and the rebuild then finds none. Rebuild again until it finds them both.
      await eventually(async () => ((await runner.rebuild()) === 2 ? true : undefined), {
        what: 'the rebuild to find both events',
      });
      const before = await runner.checkpoint();
      await store.appendToStream('a', [testEvent('t.A', {}), testEvent('t.Poison', {})], {
        expectedVersion: 2,
      });
      // The poisoned batch wrote its counts, then failed: rolled back with its checkpoint.
      const failing = new ProjectionRunner({
        dataSource,
        store,
        projection: tallyProjection,
        batchSize: 100,
      });
      await expect(
        (failing as unknown as { applyBatch(e: RecordedEvent[]): Promise<void> }).applyBatch(
          await store.readStream('a', { fromVersion: 3 }),
        ),
      ).rejects.toThrow('poison');
      expect((await admin.query(`SELECT events FROM "${schema}".tallies`)).rows).toEqual([{ events: 2 }]);
      expect(await failing.checkpoint()).toEqual(before);
    } finally {
      await dataSource.destroy();
    }
  });

  it('with two roles, the service can write its read models but not rewrite their migrations or shape', async () => {
    const schema = await fresh();
    const password = randomBytes(12).toString('hex');
    const owner = uniqueName('rm_owner');
    const svc = uniqueName('rm_svc');
    const { rows } = await admin.query<{ db: string }>('SELECT current_database() AS db');
    for (const role of [owner, svc]) await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await admin.query(`GRANT CREATE ON DATABASE "${rows[0]!.db}" TO "${owner}"`);
    const as = (role: string) => {
      const url = new URL(requireDatabaseUrl());
      url.username = role;
      url.password = password;
      const p = new pg.Pool({ connectionString: url.toString(), max: 2 });
      p.on('error', () => undefined);
      return p;
    };
    const ownerPool = as(owner);
    const service = as(svc);
    const ownSchema = `${schema}_owned`;
    schemas.push(ownSchema);
    try {
      grantMigratedSchemasTo(ownerPool, async () => svc);
      await runMigrations(ownerPool, ownSchema, eventStoreMigrations);
      await runReadModelMigrations(ownerPool, ownSchema, [Tallies1764201600000]);
      await service.query(`INSERT INTO "${ownSchema}".tallies VALUES ('s', 1)`);
      await service.query(`UPDATE "${ownSchema}".tallies SET events = 2`);
      const refused = async (sql: string) => {
        try {
          await service.query(sql);
          return 'accepted';
        } catch (e) {
          return (e as { code?: string }).code;
        }
      };
      // Deleting the record of a migration would make it run again; the table's shape is the owner's.
      expect(await refused(`DELETE FROM "${ownSchema}".${TYPEORM_MIGRATIONS_TABLE}`)).toBe('42501');
      expect(await refused(`ALTER TABLE "${ownSchema}".tallies ADD COLUMN x int`)).toBe('42501');
      expect(await refused(`DROP TABLE "${ownSchema}".tallies`)).toBe('42501');
    } finally {
      await service.end();
      await dropSchema(admin, ownSchema);
      schemas.pop();
      await ownerPool.end();
      await admin.query(`REVOKE CREATE ON DATABASE "${rows[0]!.db}" FROM "${owner}"`);
      await admin.query(`DROP OWNED BY "${owner}", "${svc}"`);
      await admin.query(`DROP ROLE "${owner}", "${svc}"`);
    }
  });
});
