import { quoteIdent, type DbExecutor, type EventStore } from '@platform/event-store';
import type { StaffFilingRegistry, StaffRelativeMatch } from '../staff-filing.port.js';
import type { StaffFilingPerson } from './staff-filing.entities.js';
import {
  foldStaffFiling,
  rowsOf,
  STAFF_FILING_STREAM_PREFIX,
  staffFilingStream,
} from './staff-filing.projection.js';
import type { StaffFilingQuery } from './staff-filing.query.js';
import { STAFF_FILING_PROJECTION_NAME } from './staff-filing.read-model.js';

const toMatch = (p: StaffFilingPerson): StaffRelativeMatch => ({
  idNumber: p.idNumber,
  filingId: p.filingId,
  staffName: p.staffName,
  staffPosition: p.position,
  organisation: p.organisation,
  relationship: p.role,
});

/**
 * `StaffFilingRegistry` over the read model, complete up to the moment of the call.
 *
 * A filing committed a moment ago may not be in the read model yet. Two ways to see it were open:
 *  - wait for the projection (`ProjectionRunner.caughtUp()`): it waits only for events below the read
 *    horizon, i.e. older than the oldest transaction still open in the database. A caller that holds a
 *    transaction of its own while it asks (a dibao acceptance under its applicants' locks, a consumer in
 *    its inbox transaction) holds that horizon back: the wait then returns without a filing committed
 *    after the caller's transaction began — or, were it to wait for the log's true end, would wait for the
 *    caller itself. It also costs a poll interval on every acceptance.
 *  - read the filing events the projection has not applied yet. Chosen: the projection applies events in
 *    (transaction id, position) order and commits its checkpoint with its rows, so every event at or
 *    before the checkpoint is in the table and every event after it is in `events` past the checkpoint.
 *    One statement reads the checkpoint and the ids of the filing streams written after it (a range scan
 *    of the commit-order index, usually empty); then the indexed lookup of active rows; then the few
 *    filings written since are folded from their streams and replace their rows. The checkpoint is read
 *    before the rows, so rows applied in between are only ever newer, and the folded streams newest of all.
 */
export class ReadModelStaffFilingRegistry implements StaffFilingRegistry {
  private readonly events: string;
  private readonly checkpoints: string;

  constructor(
    private readonly o: {
      query: StaffFilingQuery;
      store: EventStore;
      /** Reads the service's `events` and `projection_checkpoints` (the service pool). */
      db: DbExecutor;
      projection?: string;
    },
  ) {
    const s = quoteIdent(o.store.schema);
    this.events = `${s}.events`;
    this.checkpoints = `${s}.projection_checkpoints`;
  }

  async match(idNumbers: string[]): Promise<StaffRelativeMatch[]> {
    const ids = [...new Set(idNumbers.map((id) => id.trim().toUpperCase()).filter(Boolean))];
    if (ids.length === 0) return [];
    const pending = await this.unprojectedFilings();
    const rows = await this.o.query.activeByIdNumbers(ids);
    const out = rows.filter((r) => !pending.has(r.filingId)).map(toMatch);
    if (pending.size > 0) {
      const wanted = new Set(ids);
      const streams = await this.o.store.readStreams([...pending].map(staffFilingStream));
      for (const history of streams.values()) {
        if (history.length === 0) continue;
        for (const p of rowsOf(foldStaffFiling(history), history.at(-1)!.recordedAt)) {
          if (p.active && wanted.has(p.idNumber)) out.push(toMatch(p));
        }
      }
    }
    return out.sort((a, b) =>
      a.idNumber === b.idNumber ? a.filingId.localeCompare(b.filingId) : a.idNumber.localeCompare(b.idNumber),
    );
  }

  /** Filings with events the projection has not applied yet (committed after its checkpoint). */
  private async unprojectedFilings(): Promise<Set<string>> {
    // Plain SQL: `events` and `projection_checkpoints` are the storage engine's tables, not entities.
    const { rows } = await this.o.db.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM ${this.events}
        WHERE (transaction_id, global_position) > (
                COALESCE((SELECT transaction_id FROM ${this.checkpoints} WHERE projection = $1), '0'::xid8),
                COALESCE((SELECT global_position FROM ${this.checkpoints} WHERE projection = $1), 0))
          AND starts_with(stream_id, $2)`,
      [this.o.projection ?? STAFF_FILING_PROJECTION_NAME, STAFF_FILING_STREAM_PREFIX],
    );
    return new Set(rows.map((r) => r.stream_id.slice(STAFF_FILING_STREAM_PREFIX.length)));
  }
}
