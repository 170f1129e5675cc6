import { quoteIdent } from '@platform/event-store';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';
import type { sealJson } from './log-sealer.js';

/**
 * Keeps a copy of the seals other departments publish. A copy that differs from one already held for the
 * same seal number is kept beside it (both stay): two versions of one seal are evidence of a rewrite.
 */
export class SealWitness {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${quoteIdent(schema)}.peer_seals`;
  }

  accepts(m: IntegrationMessage): boolean {
    return m.type.endsWith('.LogSealed');
  }

  async handle(m: IntegrationMessage, { transaction }: MessageContext): Promise<void> {
    const d = m.data as { department: string; sealNo: number; seal: ReturnType<typeof sealJson> };
    const department = m.type.slice(0, m.type.indexOf('.'));
    // A department can only vouch for its own log.
    if (d.department !== department || d.seal.department !== department || d.seal.sealNo !== d.sealNo) return;
    await transaction.query(
      `INSERT INTO ${this.table} (department, seal_no, seal_hash, seal, message_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [department, d.sealNo, d.seal.sealHash, JSON.stringify(d.seal), m.id],
    );
  }
}
