import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { In } from 'typeorm';
import {
  peopleOf,
  staffFilingDecider,
  type StaffFilingEvent,
  type StaffFilingState,
} from '../domain/staff-filing.decider.js';
import { StaffFilingPerson } from './staff-filing.entities.js';
import { STAFF_FILING_PROJECTION_NAME } from './staff-filing.read-model.js';

export const STAFF_FILING_STREAM_PREFIX = 'staff-filing-';

export const staffFilingStream = (filingId: string) => `${STAFF_FILING_STREAM_PREFIX}${filingId}`;

/** A filing folded from its stream. */
export function foldStaffFiling(history: RecordedEvent[]): StaffFilingState {
  return history.reduce(
    (state, e) => staffFilingDecider.evolve(state, { type: e.type, data: e.data } as StaffFilingEvent),
    staffFilingDecider.initialState(),
  );
}

/** The read-model rows of one filing: every person it names, with the post. */
export function rowsOf(state: StaffFilingState, updatedAt: Date): StaffFilingPerson[] {
  if (state.status === 'none') return [];
  const staff = state.staff!;
  const relativeCount = state.relatives.length;
  return peopleOf(state).map((p) => ({
    filingId: state.filingId!,
    idNumber: p.idNumber,
    personName: p.name,
    role: p.role,
    staffName: staff.name,
    staffKind: staff.kind,
    position: staff.position,
    organisation: staff.organisation,
    jurisdictionCode: staff.jurisdictionCode,
    jurisdictionLevel: staff.jurisdictionLevel,
    townshipCode: staff.townshipCode,
    countyCode: staff.countyCode,
    active: p.active,
    relativeCount,
    filedAt: new Date(state.filedAt!),
    updatedAt,
  }));
}

/**
 * The people of every filing, kept current by re-folding each touched filing from its stream and
 * replacing its rows: one delete and one insert per batch, whatever the number of filings in it.
 */
export function staffFilingProjection(store: EventStore): Projection {
  return {
    name: STAFF_FILING_PROJECTION_NAME,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(StaffFilingPerson).execute();
    },
    async apply(events, manager) {
      const touched = new Map<string, string>();
      for (const e of events) {
        if (e.streamId.startsWith(STAFF_FILING_STREAM_PREFIX))
          touched.set(e.streamId, e.streamId.slice(STAFF_FILING_STREAM_PREFIX.length));
      }
      if (touched.size === 0) return;
      const histories = await store.readStreams([...touched.keys()]);
      const rows: StaffFilingPerson[] = [];
      for (const stream of touched.keys()) {
        const history = histories.get(stream) ?? [];
        if (history.length === 0) continue;
        rows.push(...rowsOf(foldStaffFiling(history), history.at(-1)!.recordedAt));
      }
      await manager.delete(StaffFilingPerson, { filingId: In([...touched.values()]) });
      if (rows.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(StaffFilingPerson)
          .values(rows)
          .updateEntity(false)
          .execute();
      }
    },
  };
}
