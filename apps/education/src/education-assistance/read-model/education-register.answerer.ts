import type { VerificationAnswer } from '@platform/contracts';
import { quoteIdent, type DbExecutor } from '@platform/event-store';
import type { VerificationAnswerer } from '@platform/verification';
import { answerVerification, type EducationRegisterEntry } from '../domain/assistance-register.js';
import {
  EDUCATION_REGISTER_EVENT_TYPES,
  entriesOfEvent,
  entryOfRow,
} from './education-register.projection.js';
import { EDUCATION_REGISTER_PROJECTION_NAME } from './education-register.read-model.js';

type Found = {
  source: 'row' | 'event';
  event_id: string;
  event_type: string | null;
  payload: Record<string, unknown>;
};

/**
 * Education's answer to a household verification (家庭经济状况核对), from its register alone.
 *
 * It runs inside the inbox transaction that records the answer, on that transaction's connection, so it is
 * plain SQL on the given executor rather than the read model's DataSource (which borrows connections of
 * its own). One statement reads, in one snapshot, the register rows of the members and the register events
 * the projection has not applied yet (committed after its checkpoint, which commits with its rows): a term
 * paid or a leaving recorded a moment before the request is in the answer, and none is counted twice.
 */
export class EducationRegisterAnswerer implements VerificationAnswerer<'education'> {
  readonly department = 'education' as const;
  private readonly sql: string;

  constructor(schema: string, projection = EDUCATION_REGISTER_PROJECTION_NAME) {
    const s = quoteIdent(schema);
    const checkpoint = (column: string, zero: string) =>
      `COALESCE((SELECT ${column} FROM ${s}.projection_checkpoints WHERE projection = '${projection}'), ${zero})`;
    this.sql = `
SELECT 'row' AS source, r.event_id::text AS event_id, NULL AS event_type, to_jsonb(r) AS payload
  FROM ${s}.education_register_entries r
 WHERE r.person_id_number = ANY($1::text[])
UNION ALL
SELECT 'event', e.event_id::text, e.event_type, e.data
  FROM ${s}.events e
 WHERE (e.transaction_id, e.global_position) > (${checkpoint('transaction_id', `'0'::xid8`)}, ${checkpoint('global_position', '0')})
   AND e.event_type = ANY($2::text[])`;
  }

  async answer(
    request: { memberIdNumbers: string[]; asOf: string },
    transaction: DbExecutor,
  ): Promise<VerificationAnswer<'education'>> {
    const ids = [...new Set(request.memberIdNumbers.map((m) => m.trim().toUpperCase()).filter(Boolean))];
    const { rows } = await transaction.query<Found>(this.sql, [ids, [...EDUCATION_REGISTER_EVENT_TYPES]]);
    const seen = new Set<string>();
    const entries: EducationRegisterEntry[] = [];
    for (const r of rows) {
      if (seen.has(r.event_id)) continue;
      seen.add(r.event_id);
      if (r.source === 'row') entries.push(entryOfRow(r.payload as Parameters<typeof entryOfRow>[0]));
      else entries.push(...entriesOfEvent({ type: r.event_type!, data: r.payload }));
    }
    // The pure rule decides what is said; it looks only at the members asked about.
    return answerVerification(entries, ids, request.asOf);
  }
}
