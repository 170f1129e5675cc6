import { generateKeyPairSync, sign } from 'node:crypto';
import {
  LogSealer,
  loadSealKeys,
  merkleRoot,
  peerSealMigrations,
  sealHash,
  sealMessage,
  type SealBody,
} from '@platform/audit';
import { eventStoreMigrations, runMigrations } from '@platform/event-store';
import { advanceTransactionIds, dropSchema, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { oversightMigrations } from '../read-model/oversight.migrations.js';

describe('Ledger seals made by the first sealer (text order of transaction ids)', () => {
  let pool: Pool;
  let schema: string;
  const s = () => `"${schema}"`;

  beforeAll(async () => {
    pool = testPool(4);
    await advanceTransactionIds(pool, 2_000);
  });
  afterAll(async () => {
    await pool.end();
  });
  beforeEach(async () => {
    schema = uniqueName('ledger');
    await runMigrations(pool, schema, [
      ...eventStoreMigrations,
      ...oversightMigrations,
      ...peerSealMigrations,
    ]);
  });
  afterEach(async () => {
    await dropSchema(pool, schema);
  });

  async function insertAt(xids: number[], stream: string) {
    for (const [i, xid] of xids.entries()) {
      await pool.query(
        `INSERT INTO ${s()}.events (transaction_id, stream_id, stream_version, event_id, event_type, schema_version,
           data, metadata, recorded_at, hash)
         VALUES ($1::text::xid8, $2, $3, gen_random_uuid(), 'health.ReferralReceived', 1, '{}', '{}', now(),
                 sha256(convert_to($2 || $1, 'UTF8')))`,
        [String(xid), stream, i + 1],
      );
    }
  }

  /** Exactly what the first ledger sealer did: its ORDER BY resolved to the text column. */
  async function oldSeal(): Promise<void> {
    const last = (await pool.query(`SELECT * FROM ${s()}.ledger_seals ORDER BY seal_no DESC LIMIT 1`))
      .rows[0];
    const from = last
      ? { transactionId: last.to_transaction_id as string, position: String(last.to_position) }
      : { transactionId: '0', position: '0' };
    const { rows } = await pool.query<{ transaction_id: string; global_position: string; hash: Buffer }>(
      `SELECT transaction_id::text, global_position, hash FROM ${s()}.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position LIMIT 100000`,
      [from.transactionId, from.position],
    );
    const lastRow = rows[rows.length - 1]!;
    const body: SealBody = {
      sealNo: (last ? Number(last.seal_no) : 0) + 1,
      fromExclusive: from,
      toInclusive: { transactionId: lastRow.transaction_id, position: String(lastRow.global_position) },
      entryCount: rows.length,
      merkleRoot: merkleRoot(rows.map((r) => r.hash)).toString('hex'),
      previousSealHash: last ? (last.seal_hash as string) : '0'.repeat(64),
      sealedAt: new Date().toISOString(),
    };
    const key = generateKeyPairSync('ed25519');
    await pool.query(
      `INSERT INTO ${s()}.ledger_seals (seal_no, version, from_transaction_id, from_position, to_transaction_id,
         to_position, entry_count, merkle_root, previous_seal_hash, seal_hash, signature, public_key, sealed_at)
       VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        body.sealNo,
        from.transactionId,
        from.position,
        body.toInclusive.transactionId,
        body.toInclusive.position,
        body.entryCount,
        body.merkleRoot,
        body.previousSealHash,
        sealHash(body),
        sign(null, Buffer.from(sealMessage(body)), key.privateKey).toString('base64'),
        key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        body.sealedAt,
      ],
    );
  }

  it('are superseded once by a corrective seal with its reason, then reported as superseded, not as tampering', async () => {
    await insertAt([1000, 1001], 'ledger-a');
    await insertAt([998, 999], 'ledger-b');
    await oldSeal();
    await insertAt([1002], 'ledger-c');
    await oldSeal();
    const keys = loadSealKeys({
      privateKeyPem: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    });
    const sealer = new LogSealer({
      pool,
      schema,
      department: 'oversight',
      table: 'ledger_seals',
      keys,
      now: () => new Date(),
    });
    // The defect as an investigator met it: the first seal fails its own verification.
    const before = await sealer.verify();
    expect(before.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sealNo: 1, problem: expect.stringContaining('封印时有 4 条记录') }),
      ]),
    );

    const corrective = await sealer.correctTextOrderSeals();
    expect(corrective).toMatchObject({
      sealNo: 3,
      kind: 'corrective',
      supersedes: { from: 1, to: 2 },
      entryCount: 5,
      toInclusive: { transactionId: '1002' },
    });
    expect(corrective!.reason).toContain('第 1、2 号因此区间重叠');
    expect(await sealer.correctTextOrderSeals()).toBeNull();

    const after = await sealer.verify();
    expect(after.problems).toEqual([]);
    expect(after.superseded).toEqual([
      { sealNo: 1, by: 3, reason: corrective!.reason },
      { sealNo: 2, by: 3, reason: corrective!.reason },
    ]);
    // The wrong seals are still there: the log is append-only.
    expect((await sealer.list()).map((x) => x.sealNo)).toEqual([1, 2, 3]);

    await insertAt([1003], 'ledger-d');
    expect(await sealer.seal()).toMatchObject({
      sealNo: 4,
      entryCount: 1,
      previousSealHash: corrective!.sealHash,
    });
    expect((await sealer.verify()).problems).toEqual([]);
  });
});
