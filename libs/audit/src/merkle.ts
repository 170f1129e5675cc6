import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * Merkle root over entry hashes, in order: pairs are hashed as sha256(0x01 ‖ left ‖ right), leaves as
 * sha256(0x00 ‖ entryHash) (domain separation, RFC 6962 style); an odd node is carried up unchanged.
 */
export function merkleRoot(entryHashes: Buffer[]): Buffer {
  if (entryHashes.length === 0) return sha256(Buffer.from([0x00]));
  let level: Buffer[] = entryHashes.map((h) => sha256(Buffer.from([0x00]), h));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? sha256(Buffer.from([0x01]), level[i]!, level[i + 1]!) : level[i]!);
    }
    level = next;
  }
  return level[0]!;
}

export interface SealBody {
  /** 1: the ledger's first seals (no key id, no heads); 2: every seal since. */
  version?: 1 | 2;
  sealNo: number;
  fromExclusive: { transactionId: string; position: string };
  toInclusive: { transactionId: string; position: string };
  entryCount: number;
  merkleRoot: string;
  previousSealHash: string;
  sealedAt: string;
  /** Version 2 only. */
  department?: string;
  keyId?: string;
  /** sha256 of the canonical list of stream heads (stream, version, hash) the range ends with. */
  headsDigest?: string;
  kind?: 'regular' | 'corrective';
  /** A corrective seal names the seals it replaces and why. */
  supersedes?: { from: number; to: number } | null;
  reason?: string | null;
}

/** One stream's last event inside a seal's range. */
export type StreamHead = [stream: string, version: number, hash: string];

export function headsDigest(heads: StreamHead[]): string {
  const text = heads.map(([s, v, h]) => `${s}\u0000${v}\u0000${h}`).join('\n');
  return sha256(Buffer.from(text, 'utf8')).toString('hex');
}

/** The signed message: a canonical line anyone can rebuild from an exported seal. */
export function sealMessage(b: SealBody): string {
  if (b.version === 2) {
    return [
      'social-assistance-log-seal/v2',
      b.department,
      b.sealNo,
      `${b.fromExclusive.transactionId}:${b.fromExclusive.position}`,
      `${b.toInclusive.transactionId}:${b.toInclusive.position}`,
      b.entryCount,
      b.merkleRoot,
      b.headsDigest,
      b.previousSealHash,
      b.sealedAt,
      b.keyId,
      b.kind ?? 'regular',
      b.supersedes ? `${b.supersedes.from}-${b.supersedes.to}` : '',
      b.reason ?? '',
    ].join('|');
  }
  return [
    'social-assistance-ledger-seal/v1',
    b.sealNo,
    `${b.fromExclusive.transactionId}:${b.fromExclusive.position}`,
    `${b.toInclusive.transactionId}:${b.toInclusive.position}`,
    b.entryCount,
    b.merkleRoot,
    b.previousSealHash,
    b.sealedAt,
  ].join('|');
}

export function sealHash(b: SealBody): string {
  return sha256(Buffer.from(sealMessage(b), 'utf8')).toString('hex');
}
