import { z } from 'zod';
import type { IntegrationContract } from './contract-registry.js';

const position = z.object({ transactionId: z.string().regex(/^\d+$/), position: z.string().regex(/^\d+$/) });

/** A department's signed seal over its own log, published so that other departments keep a copy. */
export const logSealedV1 = z.object({
  department: z.string().min(1),
  sealNo: z.number().int().positive(),
  seal: z.object({
    version: z.literal(2),
    department: z.string().min(1),
    sealNo: z.number().int().positive(),
    fromExclusive: position,
    toInclusive: position,
    entryCount: z.number().int().nonnegative(),
    merkleRoot: z.string().regex(/^[0-9a-f]{64}$/),
    headsDigest: z.string().regex(/^[0-9a-f]{64}$/),
    previousSealHash: z.string().regex(/^[0-9a-f]{64}$/),
    sealedAt: z.string(),
    keyId: z.string().min(1),
    kind: z.enum(['regular', 'corrective']),
    supersedes: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
    reason: z.string().nullable(),
    sealHash: z.string().regex(/^[0-9a-f]{64}$/),
    signature: z.string().min(1),
    publicKey: z.string().min(1),
  }),
});

/** Seals travel on their own topic (`<department>.seals`): witnesses read them without the case traffic. */
export function sealTopicOf(department: string): string {
  return `${department}.seals`;
}

export function sealContractOf(department: string): IntegrationContract {
  return {
    type: `${department}.LogSealed`,
    department,
    topic: sealTopicOf(department),
    schemaVersion: 1,
    schema: logSealedV1,
    subject: () => `seals-${department}`,
    description: `${department} 的日志封印`,
  };
}
