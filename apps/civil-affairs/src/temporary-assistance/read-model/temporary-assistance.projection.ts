import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { In } from 'typeorm';
import {
  beijingDay,
  nextReferralDeadline,
  temporaryAssistanceDecider,
  type TemporaryAssistanceEvent,
  type TemporaryAssistanceState,
} from '../domain/temporary-assistance.decider.js';
import {
  TemporaryAssistanceMemberRow,
  TemporaryAssistanceObligationRow,
  TemporaryAssistanceRow,
} from './temporary-assistance.entities.js';
import { TEMPORARY_ASSISTANCE_PROJECTION_NAME } from './temporary-assistance.read-model.js';

export const TEMPORARY_ASSISTANCE_STREAM_PREFIX = 'temporary-assistance-';

export const temporaryAssistanceStream = (applicationId: string) =>
  `${TEMPORARY_ASSISTANCE_STREAM_PREFIX}${applicationId}`;

/** An application folded from its stream. */
export function foldTemporaryAssistance(history: RecordedEvent[]): TemporaryAssistanceState {
  return history.reduce(
    (state, e) =>
      temporaryAssistanceDecider.evolve(state, { type: e.type, data: e.data } as TemporaryAssistanceEvent),
    temporaryAssistanceDecider.initialState(),
  );
}

/** The list row of one application, or null before it is recorded. */
export function rowOf(state: TemporaryAssistanceState, updatedAt: Date): TemporaryAssistanceRow | null {
  if (state.status === 'none') return null;
  const app = state.application!;
  const applicant = app.members[0]!;
  const nextDue = nextReferralDeadline(state);
  return {
    applicationId: app.applicationId,
    applicantName: applicant.name,
    applicantIdNumber: applicant.idNumber,
    memberCount: app.members.length,
    hardshipKind: app.hardship.kind,
    area: app.area,
    urgency: app.urgency ?? 'normal',
    villageCode: app.place.villageCode,
    townshipCode: app.place.townshipCode,
    countyCode: app.place.countyCode,
    requestedFen: Math.round(app.requestedAmount * 100),
    grantedFen:
      state.decision?.outcome === 'granted' && state.decision.amount !== null
        ? Math.round(state.decision.amount * 100)
        : null,
    status: state.status,
    decidedLevel: state.decision?.level ?? null,
    decidedOn: state.decision ? beijingDay(state.decision.at) : null,
    paidOn: state.payment?.paidOn ?? null,
    recordedAt: new Date(state.recordedAt!),
    referralDueAt: nextDue ? new Date(nextDue) : null,
    updatedAt,
  };
}

/** The household members of one application, or none before it is recorded. */
export function memberRowsOf(state: TemporaryAssistanceState): TemporaryAssistanceMemberRow[] {
  if (state.status === 'none') return [];
  const { applicationId, members } = state.application!;
  return members.map((m) => ({ applicationId, idNumber: m.idNumber }));
}

/** The obligations to supply missing materials of one application (none unless decided on the green channel). */
export function obligationRowsOf(state: TemporaryAssistanceState): TemporaryAssistanceObligationRow[] {
  if (state.status === 'none' || !state.decision) return [];
  const app = state.application!;
  const decision = state.decision;
  return state.obligations.map((o) => ({
    applicationId: app.applicationId,
    obligationNo: o.obligationNo,
    material: o.material,
    status: o.status,
    dueAt: new Date(o.dueAt),
    provisional: o.provisionalYears.length > 0,
    applicantName: app.members[0]!.name,
    villageCode: app.place.villageCode,
    townshipCode: app.place.townshipCode,
    countyCode: app.place.countyCode,
    decidedLevel: decision.level,
    decidedAt: new Date(decision.at),
    fulfilledAt: o.fulfilled ? new Date(o.fulfilled.at) : null,
    fulfilledBy: o.fulfilled?.by.name ?? null,
    fulfilledLate: o.fulfilled?.late ?? null,
    waivedAt: o.waived ? new Date(o.waived.at) : null,
    waivedBy: o.waived?.by.name ?? null,
    waivedReason: o.waived?.reason ?? null,
    overdueAt: o.overdueAt ? new Date(o.overdueAt) : null,
  }));
}

/**
 * Applications kept current by re-folding each touched stream and replacing its row and its members' rows:
 * one delete and one insert per table and batch, whatever the number of applications in it.
 */
export function temporaryAssistanceProjection(store: EventStore): Projection {
  return {
    name: TEMPORARY_ASSISTANCE_PROJECTION_NAME,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(TemporaryAssistanceRow).execute();
      await manager.createQueryBuilder().delete().from(TemporaryAssistanceMemberRow).execute();
      await manager.createQueryBuilder().delete().from(TemporaryAssistanceObligationRow).execute();
    },
    async apply(events, manager) {
      const touched = new Map<string, string>();
      for (const e of events) {
        if (e.streamId.startsWith(TEMPORARY_ASSISTANCE_STREAM_PREFIX))
          touched.set(e.streamId, e.streamId.slice(TEMPORARY_ASSISTANCE_STREAM_PREFIX.length));
      }
      if (touched.size === 0) return;
      const histories = await store.readStreams([...touched.keys()]);
      const rows: TemporaryAssistanceRow[] = [];
      const members: TemporaryAssistanceMemberRow[] = [];
      const obligations: TemporaryAssistanceObligationRow[] = [];
      for (const stream of touched.keys()) {
        const history = histories.get(stream) ?? [];
        if (history.length === 0) continue;
        const state = foldTemporaryAssistance(history);
        const row = rowOf(state, history.at(-1)!.recordedAt);
        if (row) rows.push(row);
        members.push(...memberRowsOf(state));
        obligations.push(...obligationRowsOf(state));
      }
      const ids = In([...touched.values()]);
      await manager.delete(TemporaryAssistanceRow, { applicationId: ids });
      await manager.delete(TemporaryAssistanceMemberRow, { applicationId: ids });
      await manager.delete(TemporaryAssistanceObligationRow, { applicationId: ids });
      if (rows.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(TemporaryAssistanceRow)
          .values(rows)
          .updateEntity(false)
          .execute();
      }
      if (members.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(TemporaryAssistanceMemberRow)
          .values(members)
          .updateEntity(false)
          .execute();
      }
      if (obligations.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(TemporaryAssistanceObligationRow)
          .values(obligations)
          .updateEntity(false)
          .execute();
      }
    },
  };
}
