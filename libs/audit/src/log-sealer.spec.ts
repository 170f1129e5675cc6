import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  canonicalEventDocument,
  eventHashInput,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
} from '@platform/event-store';
import { advanceTransactionIds, dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { departmentSealMigrations, peerSealMigrations } from './audit.migrations.js';
import { comparePeerSeals } from './cross-check.js';
import { LogSealer } from './log-sealer.js';
import { loadSealKeys, type SealKeys } from './seal-keys.js';
import { verifyDepartment } from './verify-department.js';

const pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const actor = { id: 'u-1', role: 'township_officer', department: 'health', jurisdiction: '150802' };
const meta = () => ({ actor, correlationId: 'c-1', causationId: null, occurredAt: new Date().toISOString() });

describe('LogSealer', () => {
  let pool: Pool;
  let schema: string;
  let store: PostgresEventStore;
  let keys: SealKeys;
  let sealer: LogSealer;
  const s = () => `"${schema}"`;

  beforeAll(() => {
    pool = testPool(4);
  });
  afterAll(async () => {
    await pool.end();
  });
  beforeEach(async () => {
    schema = uniqueName('seal');
    await runMigrations(pool, schema, [
      ...eventStoreMigrations,
      ...departmentSealMigrations,
      ...peerSealMigrations,
    ]);
    store = new PostgresEventStore({ pool, schema });
    keys = loadSealKeys({ privateKeyPem: pem(), keyId: 'k-test' });
    sealer = new LogSealer({
      pool,
      schema,
      department: 'health',
      table: 'log_seals',
      keys,
      now: () => new Date(),
    });
  });
  afterEach(async () => {
    await dropSchema(pool, schema);
  });

  /** As the owner would: the trigger off, the statement, the trigger on again. */
  async function asOwner(sql: string, values: unknown[] = []) {
    const client = await pool.connect();
    try {
      await client.query(`ALTER TABLE ${s()}.events DISABLE TRIGGER events_append_only`);
      const r = await client.query(sql, values);
      await client.query(`ALTER TABLE ${s()}.events ENABLE TRIGGER events_append_only`);
      return r;
    } finally {
      client.release();
    }
  }

  /**
   * Seals until nothing is left unsealed: a transaction another test holds open in the same database keeps
   * the read horizon (and so a seal) below the newest events for a moment.
   */
  async function sealAll(which: LogSealer = sealer) {
    await eventually(
      async () => {
        await which.seal();
        return (await which.verify()).unsealed === 0 ? true : undefined;
      },
      { what: 'every event sealed' },
    );
  }

  async function append(stream: string, n: number) {
    for (let i = 0; i < n; i++) {
      await store.appendToStream(stream, [{ type: 'health.Noted', data: { i }, metadata: meta() }], {
        expectedVersion: 'any',
      });
    }
  }

  describe('across transaction-id digit boundaries', () => {
    /** Rows with the given transaction ids (below any running transaction, so every reader sees them). */
    async function insertAt(xids: number[], stream: string) {
      let previous = Buffer.alloc(32);
      const base = Number(
        (await pool.query(`SELECT count(*) AS n FROM ${s()}.events WHERE stream_id = $1`, [stream])).rows[0]
          .n,
      );
      for (const [i, xid] of xids.entries()) {
        const hash = createHash('sha256').update(previous).update(`${stream}:${xid}`).digest();
        await pool.query(
          `INSERT INTO ${s()}.events (transaction_id, stream_id, stream_version, event_id, event_type, schema_version,
             data, metadata, recorded_at, hash)
           VALUES ($1::text::xid8, $2, $3, gen_random_uuid(), 'health.Noted', 1, '{}', '{}', now(), $4)`,
          [String(xid), stream, base + i + 1, hash],
        );
        previous = hash;
      }
    }

    beforeAll(async () => {
      await advanceTransactionIds(pool, 100_100);
    });

    it('seals 999 → 1000 and 99,999 → 100,000 in numeric order and verifies them', async () => {
      // Inserted out of order so that positions do not follow transaction ids either.
      await insertAt([1000, 1001], 'a');
      await insertAt([998, 999], 'b');
      const first = await sealer.seal();
      expect(first).toMatchObject({ entryCount: 4, toInclusive: { transactionId: '1001' } });
      await insertAt([100_000, 100_001], 'c');
      await insertAt([99_998, 99_999], 'd');
      const second = await sealer.seal();
      // Text order would have ended the first seal at "999" and sealed 1000 and 1001 again here.
      expect(second).toMatchObject({
        entryCount: 4,
        fromExclusive: { transactionId: '1001' },
        toInclusive: { transactionId: '100001' },
      });
      expect(await sealer.seal()).toBeNull();
      const v = await sealer.verify();
      expect(v).toMatchObject({ seals: 2, problems: [], superseded: [], unsealed: 0 });
    });
  });

  describe('what an insider with the owner role can do', () => {
    it('names the stream and versions when the tail of a stream is deleted', async () => {
      await append('referral-1', 4);
      await append('access-stream-case-1', 2);
      await sealAll();
      await asOwner(`DELETE FROM ${s()}.events WHERE stream_id = 'referral-1' AND stream_version >= 3`);
      // The remaining chain is intact: only the seal can tell.
      expect((await store.verifyStream('referral-1')).ok).toBe(true);
      const v = await verifyDepartment({ pool, schema, department: 'health', keys });
      expect(v.ok).toBe(false);
      expect(v.seals.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            problem: expect.stringMatching(/封印时有 \d+ 条记录，现在该区间.*只有/),
          }),
          expect.objectContaining({ stream: 'referral-1', versions: { from: 3, to: 4 } }),
        ]),
      );
    });

    it('finds a rewritten event even when every following hash of its stream was recomputed', async () => {
      await append('referral-2', 3);
      await append('referral-3', 1);
      await sealAll();
      // Rewrite version 2 and re-chain versions 2 and 3 exactly as append_events hashes them.
      const rows = (
        await pool.query(`SELECT * FROM ${s()}.events WHERE stream_id = 'referral-2' ORDER BY stream_version`)
      ).rows;
      let previous: Buffer = rows[0].hash;
      for (const row of rows.slice(1)) {
        const data = row.stream_version === '2' ? { i: 999 } : row.data;
        const doc = canonicalEventDocument({
          eventId: row.event_id,
          type: row.event_type,
          schemaVersion: row.schema_version,
          data,
          metadata: row.metadata,
        });
        const hash = createHash('sha256')
          .update(previous)
          .update(eventHashInput(doc, row.stream_id, Number(row.stream_version), row.recorded_at))
          .digest();
        await asOwner(`UPDATE ${s()}.events SET data = $1, hash = $2 WHERE global_position = $3`, [
          data,
          hash,
          row.global_position,
        ]);
        previous = hash;
      }
      expect((await store.verifyStream('referral-2')).ok).toBe(true);
      const v = await sealer.verify();
      expect(v.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ problem: expect.stringContaining('Merkle 根与封印不符') }),
          expect.objectContaining({ stream: 'referral-2', problem: expect.stringContaining('重算了哈希') }),
        ]),
      );
      expect(v.problems.some((p) => p.stream === 'referral-3')).toBe(false);
    });

    it('reports seals re-signed with a key that is not trusted', async () => {
      await append('referral-4', 2);
      await sealAll();
      // The insider rewrites history, removes the seals and seals again with a key of their own.
      const client = await pool.connect();
      try {
        await client.query(`ALTER TABLE ${s()}.log_seals DISABLE TRIGGER USER`);
        await client.query(`DELETE FROM ${s()}.log_seals`);
        await client.query(`ALTER TABLE ${s()}.log_seals ENABLE TRIGGER USER`);
      } finally {
        client.release();
      }
      const forger = new LogSealer({
        pool,
        schema,
        department: 'health',
        table: 'log_seals',
        keys: loadSealKeys({ privateKeyPem: pem(), keyId: 'k-test' }),
        now: () => new Date(),
      });
      await sealAll(forger);
      const v = await sealer.verify();
      expect(v.problems.length).toBeGreaterThan(0);
      expect(v.problems.every((p) => p.problem.includes('不在受信任密钥列表中'))).toBe(true);
    });

    it('reports a key used outside its validity period', async () => {
      const privateKeyPem = pem();
      const signer = loadSealKeys({ privateKeyPem, keyId: 'k-2025' });
      const retired = loadSealKeys({
        trustedKeysJson: JSON.stringify([
          { keyId: 'k-2025', publicKey: signer.signer!.publicKeyPem, validTo: '2025-12-31T23:59:59Z' },
        ]),
      });
      await append('referral-5', 1);
      await sealAll(
        new LogSealer({
          pool,
          schema,
          department: 'health',
          table: 'log_seals',
          keys: signer,
          now: () => new Date(),
        }),
      );
      const v = await new LogSealer({
        pool,
        schema,
        department: 'health',
        table: 'log_seals',
        keys: retired,
        now: () => new Date(),
      }).verify();
      expect(v.problems.length).toBeGreaterThan(0);
      expect(v.problems.every((p) => p.problem.includes('有效期'))).toBe(true);
    });

    it('compares a seal with the copies other departments keep', async () => {
      await append('referral-6', 2);
      await sealAll();
      const seal = (await sealer.list())[0]!;
      const peer = uniqueName('peer');
      await runMigrations(pool, peer, [...eventStoreMigrations, ...peerSealMigrations]);
      try {
        await pool.query(
          `INSERT INTO "${peer}".peer_seals (department, seal_no, seal_hash, seal) VALUES ('health', 1, $1, '{}'),
             ('health', 99, $2, '{}')`,
          [seal.sealHash, 'f'.repeat(64)],
        );
        const departments = [
          { department: 'health', schema },
          { department: 'intake', schema: peer },
        ];
        expect(await comparePeerSeals(pool, departments)).toEqual([
          expect.objectContaining({ problem: expect.stringContaining('第 99 号封印已不在其库中') }),
        ]);
        await pool.query(
          `INSERT INTO "${peer}".peer_seals (department, seal_no, seal_hash, seal) VALUES ('health', 1, $1, '{}')`,
          ['e'.repeat(64)],
        );
        expect(await comparePeerSeals(pool, departments)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              problem: expect.stringContaining('第 1 号封印与 intake 保存的副本不一致'),
            }),
          ]),
        );
      } finally {
        await dropSchema(pool, peer);
      }
    });
  });

  it('does not seal again when only its own seal events are new', async () => {
    const publishing = new LogSealer({
      pool,
      schema,
      department: 'health',
      table: 'log_seals',
      keys,
      now: () => new Date(),
      publishTo: store,
    });
    const sealed = () => eventually(async () => (await publishing.seal()) ?? undefined, { what: 'a seal' });
    await append('referral-7', 1);
    expect(await sealed()).toMatchObject({ sealNo: 1, entryCount: 1 });
    expect((await store.readStream('log-seals')).map((e) => e.type)).toEqual(['health.LogSealed']);
    expect(await publishing.seal()).toBeNull();
    await append('referral-7', 1);
    // The next seal covers the new event and the previous seal's own event.
    expect(await sealed()).toMatchObject({ sealNo: 2, entryCount: 2 });
    expect(await publishing.verify()).toMatchObject({ problems: [], seals: 2 });
  });
});
