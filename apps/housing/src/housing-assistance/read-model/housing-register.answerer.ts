import type { VerificationAnswer } from '@platform/contracts';
import { quoteIdent, type DbExecutor } from '@platform/event-store';
import type { VerificationAnswerer } from '@platform/verification';
import { answerVerification, type HousingRegisterEntry } from '../domain/assistance-register.js';
import { entriesOfEvent, HOUSING_REGISTER_EVENT_TYPES } from './housing-register.projection.js';
import { HOUSING_REGISTER_PROJECTION_NAME } from './housing-register.read-model.js';

type Found = {
  source: 'row' | 'event';
  event_id: string;
  event_type: string | null;
  payload: Record<string, unknown>;
};

/**
 * Housing's answer to a household verification (家庭经济状况核对), from its register alone.
 *
 * It runs inside the inbox transaction that records the answer, on that transaction's connection, so it is
 * plain SQL on the given executor rather than the read model's DataSource (which borrows connections of
 * its own). One statement reads, in one snapshot, the register rows naming any member and the register
 * events the projection has not applied yet (committed after its checkpoint, which commits with its rows):
 * a payment made a moment before the request is in the answer, and none is counted twice.
 */
export class HousingRegisterAnswerer implements VerificationAnswerer<'housing'> {
  readonly department = 'housing' as const;
  private readonly sql: string;

  constructor(schema: string, projection = HOUSING_REGISTER_PROJECTION_NAME) {
    const s = quoteIdent(schema);
    const checkpoint = (column: string, zero: string) =>
      `COALESCE((SELECT ${column} FROM ${s}.projection_checkpoints WHERE projection = '${projection}'), ${zero})`;
    this.sql = `
SELECT 'row' AS source, r.event_id::text AS event_id, NULL AS event_type, to_jsonb(r) AS payload
  FROM ${s}.housing_register_entries r
 WHERE r.member_id_numbers && $1::text[]
UNION ALL
SELECT 'event', e.event_id::text, e.event_type, e.data
  FROM ${s}.events e
 WHERE (e.transaction_id, e.global_position) > (${checkpoint('transaction_id', `'0'::xid8`)}, ${checkpoint('global_position', '0')})
   AND e.event_type = ANY($2::text[])`;
  }

  async answer(
    request: { memberIdNumbers: string[]; asOf: string },
    transaction: DbExecutor,
  ): Promise<VerificationAnswer<'housing'>> {
    const ids = [...new Set(request.memberIdNumbers.map((m) => m.trim().toUpperCase()).filter(Boolean))];
    const { rows } = await transaction.query<Found>(this.sql, [ids, [...HOUSING_REGISTER_EVENT_TYPES]]);
    const seen = new Set<string>();
    const entries: HousingRegisterEntry[] = [];
    for (const r of rows) {
      if (seen.has(r.event_id)) continue;
      seen.add(r.event_id);
      if (r.source === 'row') {
        const p = r.payload;
        entries.push({
          personIdNumber: p.person_id_number as string,
          personName: p.person_name as string,
          householdId: p.household_id as string,
          memberIdNumbers: p.member_id_numbers as string[],
          programme: p.programme as HousingRegisterEntry['programme'],
          amountFen: Number(p.amount_fen),
          date: p.given_on as string,
          decisionReference: p.decision_reference as string,
          month: (p.month as string | null) ?? null,
          subjectId: p.subject_id as string,
          jurisdictionCode: p.jurisdiction_code as string,
        });
      } else {
        entries.push(...entriesOfEvent({ type: r.event_type!, data: r.payload }));
      }
    }
    // The pure rule decides what is said; it looks only at the members asked about.
    return answerVerification(entries, ids, request.asOf);
  }
}
