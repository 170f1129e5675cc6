import type { VerificationAnswer, VerifyingDepartment } from '@platform/contracts';
import { openEventData, quoteIdent, type DbExecutor } from '@platform/event-store';
import type { VerificationAnswerer } from '@platform/verification';

type Found = {
  source: 'row' | 'event';
  event_id: string;
  event_type: string | null;
  payload: Record<string, unknown>;
};

/** Where a department's register lives and how its rows are found for the members asked about. */
export interface RegisterAnswererTable {
  /** The service's schema. */
  schema: string;
  /** The register's projection: its checkpoint says which events its rows hold. */
  projection: string;
  /** The register table (alias `r`, with `event_id`). */
  table: string;
  /** The rows of the members asked about, `$1` their ID numbers (text[]). */
  membersWhere: string;
  /** The event types the projection folds into the register. */
  eventTypes: readonly string[];
}

/**
 * A department's answer to a household verification (家庭经济状况核对), from its register alone.
 *
 * It runs inside the inbox transaction that records the answer, on that transaction's connection, so it is
 * plain SQL on the given executor rather than the read model's DataSource (which borrows connections of
 * its own). One statement reads, in one snapshot, the register rows of the members and the register
 * events the projection has not applied yet (committed after its checkpoint, which commits with its rows):
 * what was recorded a moment before the request is in the answer, and none is counted twice. The
 * department turns rows and events into its entries, and its pure rule decides what is said.
 */
export abstract class RegisterAnswerer<
  D extends VerifyingDepartment,
  Entry,
> implements VerificationAnswerer<D> {
  abstract readonly department: D;
  private readonly sql: string;
  private readonly eventTypes: string[];
  private readonly schema: string;

  constructor(t: RegisterAnswererTable) {
    const s = quoteIdent(t.schema);
    this.schema = t.schema;
    const checkpoint = (column: string, zero: string) =>
      `COALESCE((SELECT ${column} FROM ${s}.projection_checkpoints WHERE projection = '${t.projection}'), ${zero})`;
    this.sql = `
SELECT 'row' AS source, r.event_id::text AS event_id, NULL AS event_type, to_jsonb(r) AS payload
  FROM ${s}.${t.table} r
 WHERE ${t.membersWhere}
UNION ALL
SELECT 'event', e.event_id::text, e.event_type, e.data
  FROM ${s}.events e
 WHERE (e.transaction_id, e.global_position) > (${checkpoint('transaction_id', `'0'::xid8`)}, ${checkpoint('global_position', '0')})
   AND e.event_type = ANY($2::text[])`;
    this.eventTypes = [...t.eventTypes];
  }

  /** A register row (its columns, as JSON) as the department's entry. */
  protected abstract entryOfRow(payload: Record<string, unknown>): Entry;
  /** The entries an event not yet projected adds. */
  protected abstract entriesOfEvent(event: { type: string; data: Record<string, unknown> }): Entry[];
  /** The department's pure rule: it looks only at the members asked about. */
  protected abstract answerOf(
    entries: Entry[],
    memberIdNumbers: string[],
    asOf: string,
  ): VerificationAnswer<D>;

  async answer(
    request: { memberIdNumbers: string[]; asOf: string },
    transaction: DbExecutor,
  ): Promise<VerificationAnswer<D>> {
    const ids = [...new Set(request.memberIdNumbers.map((m) => m.trim().toUpperCase()).filter(Boolean))];
    const { rows } = await transaction.query<Found>(this.sql, [ids, this.eventTypes]);
    // Events carry their personal values sealed; rows of the register hold them in the clear.
    const events = rows.filter((r) => r.source === 'event');
    const opened = await openEventData(
      this.schema,
      events.map((r) => ({ data: r.payload })),
    );
    events.forEach((r, n) => (r.payload = opened[n] as Record<string, unknown>));
    const seen = new Set<string>();
    const entries: Entry[] = [];
    for (const r of rows) {
      if (seen.has(r.event_id)) continue;
      seen.add(r.event_id);
      if (r.source === 'row') entries.push(this.entryOfRow(r.payload));
      else entries.push(...this.entriesOfEvent({ type: r.event_type!, data: r.payload }));
    }
    return this.answerOf(entries, ids, request.asOf);
  }
}
