import type { EventStore } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import {
  currentAmount,
  currentHousehold,
  evolveDibao,
  initialDibaoState,
  isPaused,
  nextDueAt,
  type DibaoEvent,
} from '../domain/dibao-application.decider.js';
import { DibaoApplicationEntry } from './dibao.entities.js';

/** An application's stream: `dibao-<uuid>` (not the spot-check or case-registration streams). */
export const isApplicationStream = (streamId: string) => /^dibao-[0-9a-f]{8}-[0-9a-f]{4}-/.test(streamId);

/**
 * The applications' rows, kept current by re-folding each touched application from its stream (one
 * read and one upsert per batch, whatever its size). The document counters are not a projection.
 */
export function dibaoProjection(store: EventStore): Projection {
  return {
    name: 'dibao-applications',
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(DibaoApplicationEntry).execute();
    },
    async apply(events, manager) {
      const touched = [
        ...new Set(events.filter((e) => isApplicationStream(e.streamId)).map((e) => e.streamId)),
      ];
      if (touched.length === 0) return;
      const histories = await store.readStreams(touched);
      const rows: DibaoApplicationEntry[] = [];
      for (const stream of touched) {
        const history = histories.get(stream) ?? [];
        const state = history.reduce(
          (s, e) => evolveDibao(s, { type: e.type, data: e.data } as DibaoEvent),
          initialDibaoState(),
        );
        if (state.status === 'none' || !state.details) continue;
        const d = state.details;
        const household = currentHousehold(state);
        const applicant = household?.find((m) => m.relationship === 'applicant') ?? d.applicant;
        const notice = state.currentNotice;
        const next = nextDueAt(state);
        rows.push({
          applicationId: d.applicationId,
          caseId: d.caseId,
          caseNumber: d.caseNumber,
          program: d.program,
          status: state.status,
          paused: isPaused(state),
          villageCode: d.villageCode,
          townshipCode: d.townshipCode,
          countyCode: d.countyCode,
          area: d.area,
          applicantName: applicant?.name ?? null,
          applicantIdNumber: applicant?.idNumber ?? null,
          householdSize: household?.length ?? null,
          staffRelative: state.staffRelative,
          overdue: state.overdue,
          nextDueAt: next ? new Date(next) : null,
          noticeKind: notice?.kind ?? null,
          noticeStartsAt: notice ? new Date(notice.startsAt) : null,
          noticeEndsAt: notice ? new Date(notice.endsAt) : null,
          monthlyAmount: currentAmount(state),
          documentNumber: state.decision?.documentNumber ?? null,
          decidedAt: state.decision ? new Date(state.decision.at) : null,
          suspendedAt: state.suspension ? new Date(state.suspension.at) : null,
          receivedAt: new Date(state.receivedAt!),
          updatedAt: history.at(-1)!.recordedAt,
        });
      }
      if (rows.length === 0) return;
      await manager
        .createQueryBuilder()
        .insert()
        .into(DibaoApplicationEntry)
        .values(rows)
        .orUpdate(
          [
            'status',
            'paused',
            'area',
            'applicant_name',
            'applicant_id_number',
            'household_size',
            'staff_relative',
            'overdue',
            'next_due_at',
            'notice_kind',
            'notice_starts_at',
            'notice_ends_at',
            'monthly_amount',
            'document_number',
            'decided_at',
            'suspended_at',
            'updated_at',
          ],
          ['application_id'],
        )
        .updateEntity(false)
        .execute();
    },
  };
}
