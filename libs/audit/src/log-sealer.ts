import { createPublicKey, sign, verify } from 'node:crypto';
import {
  quoteIdent,
  readHorizonSql,
  signalCommitted,
  withTransaction,
  type EventStore,
} from '@platform/event-store';
import type { Pool, PoolClient } from 'pg';
import { headsDigest, merkleRoot, sealHash, sealMessage, type SealBody, type StreamHead } from './merkle.js';
import { trustedKeyFor, type SealKeys } from './seal-keys.js';

export interface StoredSeal extends SealBody {
  sealHash: string;
  signature: string;
  publicKey: string;
}

/** A finding about one seal; `stream`/`versions`/`positions` say exactly where when known. */
export interface SealProblem {
  sealNo: number;
  problem: string;
  stream?: string;
  versions?: { from: number; to: number };
  positions?: string[];
}

export interface SupersededSeal {
  sealNo: number;
  by: number;
  reason: string;
}

export interface SealVerification {
  department: string;
  seals: number;
  problems: SealProblem[];
  superseded: SupersededSeal[];
  /** Events after the last seal: not yet protected by any seal. */
  unsealed: number;
}

/** The stream that carries a department's own seals as integration events. */
export const SEAL_STREAM = 'log-seals';
export const sealEventType = (department: string) => `${department}.LogSealed`;

const ZERO = '0'.repeat(64);
const START = { transactionId: '0', position: '0' };

interface RangeRow {
  xid: string;
  global_position: string;
  stream_id: string;
  stream_version: string;
  hash: Buffer;
}

export interface LogSealerOptions {
  pool: Pool;
  /** The schema whose `events` table is sealed. */
  schema: string;
  department: string;
  /** `log_seals` in every department; oversight keeps its ledger's `ledger_seals`. */
  table: 'log_seals' | 'ledger_seals';
  keys: SealKeys;
  now: () => Date;
  /** Where given, each seal is also appended to this store as `<department>.LogSealed`, for the relay to publish. */
  publishTo?: EventStore;
}

/**
 * Seals a department's log: at intervals, a Merkle root over every event since the last seal in commit
 * order (transaction id, then position — numerically), the heads of the streams it touches, chained to
 * the previous seal and signed with Ed25519. A deleted tail, a rewritten event whose stream was re-hashed,
 * or a whole removed stream then breaks a seal; the signature and its trusted key keep the seals honest.
 */
export class LogSealer {
  private readonly s: string;
  private readonly table: string;

  constructor(private readonly o: LogSealerOptions) {
    this.s = quoteIdent(o.schema);
    this.table = `${this.s}.${o.table}`;
  }

  get department(): string {
    return this.o.department;
  }

  /** Seals what every reader can see since the last seal; null when nothing new (its own seal events aside). */
  async seal(maxEntries = 100_000): Promise<StoredSeal | null> {
    const signer = this.o.keys.signer;
    if (!signer) throw new Error('no seal key: set SEAL_PRIVATE_KEY');
    const result = await withTransaction(this.o.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seal:${this.table}`]);
      const last = (await this.listOn(client, 'DESC', 1))[0];
      const from = last ? last.toInclusive : START;
      const rows = await this.rangeRows(client, from, null, maxEntries);
      if (rows.length === 0 || rows.every((r) => r.stream_id === SEAL_STREAM)) return null;
      return this.insert(client, last ?? null, from, rows, {
        kind: 'regular',
        supersedes: null,
        reason: null,
      });
    });
    if (result && this.o.publishTo) signalCommitted(this.o.schema);
    return result;
  }

  /** Every event strictly after `from` and up to `to` (or the read horizon), in commit order. */
  private async rangeRows(
    client: Pool | PoolClient,
    from: { transactionId: string; position: string },
    to: { transactionId: string; position: string } | null,
    limit: number,
  ): Promise<RangeRow[]> {
    // Ordered by the xid8 column itself: the text alias would sort "1005" before "992".
    const { rows } = await client.query<RangeRow>(
      `SELECT transaction_id::text AS xid, global_position::text AS global_position, stream_id,
              stream_version::text AS stream_version, hash
         FROM ${this.s}.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND ${
            to
              ? '(transaction_id, global_position) <= ($3::text::xid8, $4::bigint)'
              : `transaction_id < (SELECT ${readHorizonSql(this.s)})`
          }
        ORDER BY events.transaction_id, events.global_position
        LIMIT ${to ? '$5' : '$3'}`,
      to
        ? [from.transactionId, from.position, to.transactionId, to.position, limit]
        : [from.transactionId, from.position, limit],
    );
    return rows;
  }

  private async insert(
    client: PoolClient,
    last: StoredSeal | null,
    from: { transactionId: string; position: string },
    rows: RangeRow[],
    correction: Pick<SealBody, 'kind' | 'supersedes' | 'reason'>,
  ): Promise<StoredSeal> {
    const signer = this.o.keys.signer!;
    const heads = headsOf(rows);
    const lastRow = rows[rows.length - 1]!;
    const body: SealBody = {
      version: 2,
      department: this.o.department,
      sealNo: (last?.sealNo ?? 0) + 1,
      fromExclusive: from,
      toInclusive: { transactionId: lastRow.xid, position: lastRow.global_position },
      entryCount: rows.length,
      merkleRoot: merkleRoot(rows.map((r) => r.hash)).toString('hex'),
      headsDigest: headsDigest(heads),
      previousSealHash: last?.sealHash ?? ZERO,
      sealedAt: this.o.now().toISOString(),
      keyId: signer.keyId,
      ...correction,
    };
    const seal: StoredSeal = {
      ...body,
      sealHash: sealHash(body),
      signature: sign(null, Buffer.from(sealMessage(body)), signer.privateKey).toString('base64'),
      publicKey: signer.publicKeyPem,
    };
    await client.query(
      `INSERT INTO ${this.table} (seal_no, version, department, from_transaction_id, from_position, to_transaction_id,
         to_position, entry_count, merkle_root, heads_digest, heads, previous_seal_hash, seal_hash, signature,
         public_key, key_id, kind, supersedes_from, supersedes_to, reason, sealed_at)
       VALUES ($1, 2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        seal.sealNo,
        seal.department,
        from.transactionId,
        from.position,
        seal.toInclusive.transactionId,
        seal.toInclusive.position,
        seal.entryCount,
        seal.merkleRoot,
        seal.headsDigest,
        JSON.stringify(heads),
        seal.previousSealHash,
        seal.sealHash,
        seal.signature,
        seal.publicKey,
        seal.keyId,
        seal.kind,
        seal.supersedes?.from ?? null,
        seal.supersedes?.to ?? null,
        seal.reason,
        seal.sealedAt,
      ],
    );
    if (this.o.publishTo) {
      await this.o.publishTo.appendToStream(
        SEAL_STREAM,
        [
          {
            type: sealEventType(this.o.department),
            data: { department: this.o.department, sealNo: seal.sealNo, seal: sealJson(seal) },
            metadata: {
              actor: { id: 'system', role: 'system', department: this.o.department, jurisdiction: '' },
              correlationId: seal.sealHash.slice(0, 32),
              causationId: null,
              occurredAt: seal.sealedAt,
            },
          },
        ],
        { expectedVersion: 'any', transaction: client },
      );
    }
    return seal;
  }

  async list(): Promise<StoredSeal[]> {
    return this.listOn(this.o.pool, 'ASC', null);
  }

  private async listOn(client: Pool | PoolClient, order: 'ASC' | 'DESC', limit: number | null) {
    const { rows } = await client.query(
      `SELECT * FROM ${this.table} ORDER BY seal_no ${order}${limit ? ` LIMIT ${limit}` : ''}`,
    );
    return rows.map(rowToSeal);
  }

  /**
   * Recomputes every seal from the log as it is now. Superseded seals (replaced by a corrective seal) are
   * reported as such, not as tampering; everything else that does not check out is a problem.
   */
  async verify(onProgress?: (done: number, total: number) => void): Promise<SealVerification> {
    const seals = await this.list();
    const problems: SealProblem[] = [];
    const superseded: SupersededSeal[] = [];
    const supersededBy = new Map<number, StoredSeal>();
    for (const seal of seals) {
      if (seal.kind === 'corrective' && seal.supersedes) {
        for (let n = seal.supersedes.from; n <= seal.supersedes.to; n++) supersededBy.set(n, seal);
      }
    }
    let previous = ZERO;
    for (const [i, seal] of seals.entries()) {
      const p = (problem: string, extra: Omit<SealProblem, 'sealNo' | 'problem'> = {}) =>
        problems.push({ sealNo: seal.sealNo, problem, ...extra });
      if (seal.sealNo !== i + 1) p(`封印 ${i + 1} 缺失`);
      if (seal.previousSealHash !== previous) p('与上一个封印的链接断开');
      previous = seal.sealHash;
      const corrective = supersededBy.get(seal.sealNo);
      if (corrective && corrective.sealNo > seal.sealNo) {
        superseded.push({ sealNo: seal.sealNo, by: corrective.sealNo, reason: corrective.reason ?? '' });
        onProgress?.(i + 1, seals.length);
        continue;
      }
      const { sealHash: stored, signature, publicKey, ...body } = seal;
      if (sealHash(body) !== stored) p('封印哈希与封印内容不符');
      if (seal.version === 2) {
        const trust = trustedKeyFor(this.o.keys, publicKey, seal.keyId, new Date(seal.sealedAt));
        if (trust.problem) p(trust.problem);
      } else {
        p('第 1 版封印由进程临时密钥签名，未经受信任密钥确认（应由纠正封印取代）');
      }
      let signatureOk: boolean;
      try {
        signatureOk = verify(
          null,
          Buffer.from(sealMessage(body)),
          createPublicKey(publicKey),
          Buffer.from(signature, 'base64'),
        );
      } catch {
        signatureOk = false;
      }
      if (!signatureOk) p('签名验证失败');
      await this.checkRange(seal, p);
      onProgress?.(i + 1, seals.length);
    }
    const last = seals[seals.length - 1];
    const unsealed = Number(
      (
        await this.o.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${this.s}.events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
          [last?.toInclusive.transactionId ?? '0', last?.toInclusive.position ?? '0'],
        )
      ).rows[0]!.n,
    );
    return { department: this.o.department, seals: seals.length, problems, superseded, unsealed };
  }

  /** Count, Merkle root and stream heads of a seal's range against the log as it is now. */
  private async checkRange(
    seal: StoredSeal,
    p: (problem: string, extra?: Omit<SealProblem, 'sealNo' | 'problem'>) => void,
  ): Promise<void> {
    const rows = await this.rangeRows(this.o.pool, seal.fromExclusive, seal.toInclusive, 10_000_000);
    const range = `事务 ${seal.fromExclusive.transactionId}:${seal.fromExclusive.position} 之后至 ${seal.toInclusive.transactionId}:${seal.toInclusive.position}`;
    if (rows.length !== seal.entryCount) {
      p(`封印时有 ${seal.entryCount} 条记录，现在该区间（${range}）只有 ${rows.length} 条`);
    } else if (merkleRoot(rows.map((r) => r.hash)).toString('hex') !== seal.merkleRoot) {
      p(`区间（${range}）内记录的 Merkle 根与封印不符：记录被改写`);
    }
    if (seal.version !== 2) return;
    const heads = await this.storedHeads(seal.sealNo);
    if (heads === null || headsDigest(heads) !== seal.headsDigest) {
      p('封印保存的流末端列表与其摘要不符');
      return;
    }
    if (heads.length === 0) return;
    // Each stream's event at the sealed version must still exist with the sealed hash.
    const { rows: now } = await this.o.pool.query<{
      stream: string;
      sealed_version: string;
      hash: Buffer | null;
      head: string | null;
    }>(
      `SELECT h.stream, h.version::text AS sealed_version, e.hash,
              (SELECT max(stream_version)::text FROM ${this.s}.events x WHERE x.stream_id = h.stream) AS head
         FROM unnest($1::text[], $2::bigint[]) AS h(stream, version)
         LEFT JOIN ${this.s}.events e ON e.stream_id = h.stream AND e.stream_version = h.version`,
      [heads.map((h) => h[0]), heads.map((h) => h[1])],
    );
    const sealedHash = new Map(heads.map(([s, v, h]) => [`${s}\u0000${v}`, h]));
    for (const r of now) {
      const version = Number(r.sealed_version);
      const head = r.head === null ? 0 : Number(r.head);
      if (!r.hash) {
        p(
          head < version
            ? `流 ${r.stream} 封印时已到第 ${version} 版，现在只到第 ${head} 版：第 ${head + 1}–${version} 版被删除`
            : `流 ${r.stream} 第 ${version} 版被删除`,
          { stream: r.stream, versions: { from: head < version ? head + 1 : version, to: version } },
        );
      } else if (r.hash.toString('hex') !== sealedHash.get(`${r.stream}\u0000${version}`)) {
        p(`流 ${r.stream} 第 ${version} 版及之前的记录与封印不符：该流被改写并重算了哈希`, {
          stream: r.stream,
          versions: { from: 1, to: version },
        });
      }
    }
  }

  private async storedHeads(sealNo: number): Promise<StreamHead[] | null> {
    const { rows } = await this.o.pool.query<{ heads: StreamHead[] | null }>(
      `SELECT heads FROM ${this.table} WHERE seal_no = $1`,
      [sealNo],
    );
    return rows[0]?.heads ?? null;
  }

  /**
   * Seals stored by the first ledger sealer ordered transaction ids as text, so "1005" came before "992":
   * their ranges overlap and fail verification through no tampering. A seal whose entries reproduce
   * exactly under that text order is superseded, with the reason, by one corrective seal over the whole
   * log from the start, signed with the configured key. The wrong seals stay (the log is append-only).
   * Runs once: afterwards the last seal is the corrective one.
   */
  async correctTextOrderSeals(): Promise<StoredSeal | null> {
    if (!this.o.keys.signer) return null;
    return withTransaction(this.o.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seal:${this.table}`]);
      const seals = await this.listOn(client, 'ASC', null);
      const last = seals[seals.length - 1];
      if (!last || last.version === 2) return null;
      const defective: number[] = [];
      for (const seal of seals) if (await this.sealedInTextOrder(client, seal)) defective.push(seal.sealNo);
      const reason =
        `第 1–${last.sealNo} 号封印由旧版封印程序生成：按文本而非数值排序事务号（"1005" 排在 "992" 之前，` +
        `${defective.length ? `第 ${defective.join('、')} 号因此区间重叠` : '无区间受影响'}），且由进程临时密钥签名。` +
        '本纠正封印以受信任密钥重新封存此前全部记录，取代上述封印；原封印保留不改。';
      const rows = await this.rangeRows(client, START, null, 10_000_000);
      if (rows.length === 0) return null;
      return this.insert(client, last, START, rows, {
        kind: 'corrective',
        supersedes: { from: 1, to: last.sealNo },
        reason,
      });
    });
  }

  private async sealedInTextOrder(client: PoolClient, seal: StoredSeal): Promise<boolean> {
    const rows = await this.rangeRows(client, seal.fromExclusive, null, seal.entryCount);
    if (rows.length !== seal.entryCount) return false;
    const textOrder = [...rows].sort((a, b) =>
      a.xid === b.xid ? Number(a.global_position) - Number(b.global_position) : a.xid < b.xid ? -1 : 1,
    );
    const lastRow = textOrder[textOrder.length - 1]!;
    return (
      merkleRoot(textOrder.map((r) => r.hash)).toString('hex') === seal.merkleRoot &&
      lastRow.xid === seal.toInclusive.transactionId &&
      lastRow.global_position === seal.toInclusive.position
    );
  }

  /** What a party outside the platform needs to check a seal. */
  async export(sealNo: number) {
    const seal = (await this.list()).find((s) => s.sealNo === sealNo);
    if (!seal) return null;
    const rows = await this.rangeRows(this.o.pool, seal.fromExclusive, seal.toInclusive, 10_000_000);
    return {
      ...sealJson(seal),
      algorithm:
        'Ed25519 over the UTF-8 seal message; Merkle tree of sha256 entry hashes (leaf 0x00, node 0x01) in (transaction id, position) order',
      sealMessage: sealMessage(seal),
      entryHashes: rows.map((r) => r.hash.toString('hex')),
    };
  }
}

function headsOf(rows: RangeRow[]): StreamHead[] {
  const heads = new Map<string, StreamHead>();
  for (const r of rows)
    heads.set(r.stream_id, [r.stream_id, Number(r.stream_version), r.hash.toString('hex')]);
  return [...heads.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A seal as JSON: what is published, exported and compared with copies kept elsewhere. */
export function sealJson(s: StoredSeal) {
  return {
    version: s.version ?? 1,
    department: s.department ?? null,
    sealNo: s.sealNo,
    fromExclusive: s.fromExclusive,
    toInclusive: s.toInclusive,
    entryCount: s.entryCount,
    merkleRoot: s.merkleRoot,
    headsDigest: s.headsDigest ?? null,
    previousSealHash: s.previousSealHash,
    sealedAt: s.sealedAt,
    keyId: s.keyId ?? null,
    kind: s.kind ?? 'regular',
    supersedes: s.supersedes ?? null,
    reason: s.reason ?? null,
    sealHash: s.sealHash,
    signature: s.signature,
    publicKey: s.publicKey,
  };
}

export function rowToSeal(r: Record<string, unknown>): StoredSeal {
  const version = Number(r.version ?? 1) === 2 ? 2 : 1;
  const base: StoredSeal = {
    sealNo: Number(r.seal_no),
    fromExclusive: { transactionId: String(r.from_transaction_id), position: String(r.from_position) },
    toInclusive: { transactionId: String(r.to_transaction_id), position: String(r.to_position) },
    entryCount: Number(r.entry_count),
    merkleRoot: r.merkle_root as string,
    previousSealHash: r.previous_seal_hash as string,
    sealedAt: new Date(r.sealed_at as string).toISOString(),
    sealHash: r.seal_hash as string,
    signature: r.signature as string,
    publicKey: r.public_key as string,
  };
  if (version === 1) return base;
  return {
    ...base,
    version: 2,
    department: r.department as string,
    keyId: r.key_id as string,
    headsDigest: r.heads_digest as string,
    kind: (r.kind as 'regular' | 'corrective') ?? 'regular',
    supersedes:
      r.supersedes_from !== null && r.supersedes_from !== undefined
        ? { from: Number(r.supersedes_from), to: Number(r.supersedes_to) }
        : null,
    reason: (r.reason as string | null) ?? null,
  };
}
