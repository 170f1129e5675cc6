import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { In } from 'typeorm';
import {
  coordinationDecider,
  type CoordinationEvent,
  type CoordinationState,
} from '../domain/coordination.decider.js';
import { CoordinationDecisionRow, CoordinationItemRow } from './coordination.entities.js';
import { COORDINATION_PROJECTION_NAME } from './coordination.read-model.js';

export const COORDINATION_STREAM_PREFIX = 'coordination-';

export const coordinationStream = (itemId: string) => `${COORDINATION_STREAM_PREFIX}${itemId}`;

/** An item folded from its stream. */
export function foldCoordination(history: RecordedEvent[]): CoordinationState {
  return history.reduce(
    (state, e) => coordinationDecider.evolve(state, { type: e.type, data: e.data } as CoordinationEvent),
    coordinationDecider.initialState(),
  );
}

/** The list row of one item, or null before it is opened. */
export function itemRowOf(state: CoordinationState, updatedAt: Date): CoordinationItemRow | null {
  if (state.status === 'none') return null;
  const item = state.item!;
  return {
    itemId: item.itemId,
    caseId: item.caseId,
    caseNumber: item.caseNumber,
    need: item.need,
    departments: item.departments,
    villageCode: item.place.villageCode,
    townshipCode: item.place.townshipCode,
    countyCode: item.place.countyCode,
    status: state.status,
    meetingCount: state.meetings.length,
    decisionCount: state.decisions.length,
    doneCount: state.decisions.filter((d) => d.done).length,
    overdueCount: state.decisions.filter((d) => d.overdueAt !== null && !d.done).length,
    openedByName: state.openedBy!.name,
    openedAt: new Date(state.openedAt!),
    closedAt: state.closure ? new Date(state.closure.at) : null,
    updatedAt,
  };
}

export function decisionRowsOf(state: CoordinationState): CoordinationDecisionRow[] {
  if (state.status === 'none') return [];
  return state.decisions.map((d) => ({
    decisionId: d.decisionId,
    itemId: state.item!.itemId,
    ownerDepartment: d.ownerDepartment,
    dueOn: d.dueOn,
    done: d.done !== null,
    overdueFlagged: d.overdueAt !== null,
    itemOpen: state.status === 'open',
  }));
}

/**
 * Items kept current by re-folding each touched stream and replacing its row and its decisions' rows:
 * one delete and one insert per table and batch.
 */
export function coordinationProjection(store: EventStore): Projection {
  return {
    name: COORDINATION_PROJECTION_NAME,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(CoordinationItemRow).execute();
      await manager.createQueryBuilder().delete().from(CoordinationDecisionRow).execute();
    },
    async apply(events, manager) {
      const touched = new Map<string, string>();
      for (const e of events) {
        if (e.streamId.startsWith(COORDINATION_STREAM_PREFIX))
          touched.set(e.streamId, e.streamId.slice(COORDINATION_STREAM_PREFIX.length));
      }
      if (touched.size === 0) return;
      const histories = await store.readStreams([...touched.keys()]);
      const rows: CoordinationItemRow[] = [];
      const decisions: CoordinationDecisionRow[] = [];
      for (const stream of touched.keys()) {
        const history = histories.get(stream) ?? [];
        if (history.length === 0) continue;
        const state = foldCoordination(history);
        const row = itemRowOf(state, history.at(-1)!.recordedAt);
        if (row) rows.push(row);
        decisions.push(...decisionRowsOf(state));
      }
      const ids = In([...touched.values()]);
      await manager.delete(CoordinationItemRow, { itemId: ids });
      await manager.delete(CoordinationDecisionRow, { itemId: ids });
      if (rows.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(CoordinationItemRow)
          .values(rows)
          .updateEntity(false)
          .execute();
      }
      if (decisions.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(CoordinationDecisionRow)
          .values(decisions)
          .updateEntity(false)
          .execute();
      }
    },
  };
}
