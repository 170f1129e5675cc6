import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { quoteIdent, withTransaction } from '@platform/event-store';
import type { Pool } from 'pg';
import { merkleRoot, sealHash, sealMessage, type SealBody } from '../domain/merkle.js';

export interface StoredSeal extends SealBody {
  sealHash: string;
  signature: string;
  publicKey: string;
}

export interface SealProblem {
  sealNo: number;
  problem: string;
}

const ZERO = '0'.repeat(64);

/**
 * Ledger seals: at intervals, a Merkle root over the ledger entries since the last seal, chained to
 * the previous seal and signed with Ed25519. Re-computing them detects deleted or rewritten entries
 * and whole streams, not only edits; an exported seal lets anyone outside check the ledger.
 */
export class LedgerSealer {
  private readonly privateKey: KeyObject;
  private readonly publicKeyPem: string;
  private readonly s: string;
  readonly ephemeralKey: boolean;

  constructor(
    private readonly pool: Pool,
    schema: string,
    privateKeyPem: string | undefined,
    private readonly now: () => Date,
  ) {
    this.s = quoteIdent(schema);
    this.privateKey = privateKeyPem
      ? createPrivateKey(privateKeyPem)
      : generateKeyPairSync('ed25519').privateKey;
    if (this.privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('OVERSIGHT_SEAL_PRIVATE_KEY must be an Ed25519 key');
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /** Seals everything every reader can see since the last seal; null when there is nothing new. */
  async seal(maxEntries = 100_000): Promise<StoredSeal | null> {
    return withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seal:${this.s}`]);
      const last = (await client.query(`SELECT * FROM ${this.s}.ledger_seals ORDER BY seal_no DESC LIMIT 1`))
        .rows[0];
      const from = last
        ? { transactionId: last.to_transaction_id as string, position: last.to_position as string }
        : { transactionId: '0', position: '0' };
      const { rows } = await client.query<{ transaction_id: string; global_position: string; hash: Buffer }>(
        `SELECT transaction_id::text, global_position, hash FROM ${this.s}.events
          WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
            AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY transaction_id, global_position LIMIT $3`,
        [from.transactionId, from.position, maxEntries],
      );
      if (rows.length === 0) return null;
      const lastRow = rows[rows.length - 1]!;
      const body: SealBody = {
        sealNo: (last ? Number(last.seal_no) : 0) + 1,
        fromExclusive: from,
        toInclusive: { transactionId: lastRow.transaction_id, position: String(lastRow.global_position) },
        entryCount: rows.length,
        merkleRoot: merkleRoot(rows.map((r) => r.hash)).toString('hex'),
        previousSealHash: last ? (last.seal_hash as string) : ZERO,
        sealedAt: this.now().toISOString(),
      };
      const seal: StoredSeal = {
        ...body,
        sealHash: sealHash(body),
        signature: sign(null, Buffer.from(sealMessage(body)), this.privateKey).toString('base64'),
        publicKey: this.publicKeyPem,
      };
      await client.query(
        `INSERT INTO ${this.s}.ledger_seals (seal_no, from_transaction_id, from_position, to_transaction_id, to_position,
           entry_count, merkle_root, previous_seal_hash, seal_hash, signature, public_key, sealed_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [
          seal.sealNo,
          from.transactionId,
          from.position,
          seal.toInclusive.transactionId,
          seal.toInclusive.position,
          seal.entryCount,
          seal.merkleRoot,
          seal.previousSealHash,
          seal.sealHash,
          seal.signature,
          seal.publicKey,
          seal.sealedAt,
        ],
      );
      return seal;
    });
  }

  async list(): Promise<StoredSeal[]> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.ledger_seals ORDER BY seal_no`);
    return rows.map((r) => ({
      sealNo: Number(r.seal_no),
      fromExclusive: { transactionId: String(r.from_transaction_id), position: String(r.from_position) },
      toInclusive: { transactionId: String(r.to_transaction_id), position: String(r.to_position) },
      entryCount: Number(r.entry_count),
      merkleRoot: r.merkle_root,
      previousSealHash: r.previous_seal_hash,
      sealedAt: new Date(r.sealed_at).toISOString(),
      sealHash: r.seal_hash,
      signature: r.signature,
      publicKey: r.public_key,
    }));
  }

  /** Recomputes every seal from the ledger as it is now. */
  async verify(
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ seals: number; problems: SealProblem[] }> {
    const seals = await this.list();
    const problems: SealProblem[] = [];
    let previous = ZERO;
    for (const [i, seal] of seals.entries()) {
      if (seal.sealNo !== i + 1) problems.push({ sealNo: seal.sealNo, problem: `seal ${i + 1} is missing` });
      if (seal.previousSealHash !== previous)
        problems.push({ sealNo: seal.sealNo, problem: 'does not chain to the previous seal' });
      const { sealHash: stored, signature, publicKey, ...body } = seal;
      if (sealHash(body) !== stored)
        problems.push({ sealNo: seal.sealNo, problem: 'seal hash does not match its contents' });
      if (
        !verify(
          null,
          Buffer.from(sealMessage(body)),
          createPublicKey(publicKey),
          Buffer.from(signature, 'base64'),
        )
      ) {
        problems.push({ sealNo: seal.sealNo, problem: 'signature does not verify' });
      }
      const rows = await this.entryHashes(seal);
      if (rows.length !== seal.entryCount) {
        problems.push({
          sealNo: seal.sealNo,
          problem: `sealed ${seal.entryCount} entries, the ledger now has ${rows.length} in that range`,
        });
      } else if (merkleRoot(rows.map((r) => r.hash)).toString('hex') !== seal.merkleRoot) {
        problems.push({ sealNo: seal.sealNo, problem: 'Merkle root of the entries no longer matches' });
      }
      previous = stored;
      onProgress?.(i + 1, seals.length);
    }
    return { seals: seals.length, problems };
  }

  /** The ledger entries' hashes in a seal's range, in log order. */
  private async entryHashes(seal: StoredSeal): Promise<Array<{ hash: Buffer }>> {
    const { rows } = await this.pool.query<{ hash: Buffer }>(
      `SELECT hash FROM ${this.s}.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND (transaction_id, global_position) <= ($3::text::xid8, $4::bigint)
        ORDER BY transaction_id, global_position`,
      [
        seal.fromExclusive.transactionId,
        seal.fromExclusive.position,
        seal.toInclusive.transactionId,
        seal.toInclusive.position,
      ],
    );
    return rows;
  }

  /** What a party outside the platform needs to check a seal. */
  async export(sealNo: number) {
    const seal = (await this.list()).find((s) => s.sealNo === sealNo);
    if (!seal) return null;
    const rows = await this.entryHashes(seal);
    return {
      ...seal,
      algorithm:
        'Ed25519 over the UTF-8 seal message; Merkle tree of sha256 entry hashes (leaf 0x00, node 0x01)',
      sealMessage: sealMessage(seal),
      entryHashes: rows.map((r) => r.hash.toString('hex')),
    };
  }
}
