import type { EventStore } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { allowancePeriods } from '../domain/allowance-history.js';
import {
  currentAmount,
  currentHousehold,
  evolveDibao,
  initialDibaoState,
  isPaused,
  nextDueAt,
  type DibaoEvent,
} from '../domain/dibao-application.decider.js';
import {
  DibaoAllowancePeriodEntry,
  DibaoApplicationEntry,
  DibaoHouseholdMemberEntry,
} from './dibao.entities.js';

/** An application's stream: `dibao-<uuid>` (not the spot-check or case-registration streams). */
export const isApplicationStream = (streamId: string) => /^dibao-[0-9a-f]{8}-[0-9a-f]{4}-/.test(streamId);

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const CHUNK = 1000;

/**
 * The applications' rows and their allowance periods, kept current by re-folding each touched
 * application from its stream (one read, one upsert, and one delete and insert of the periods per
 * batch, whatever its size). The document counters are not a projection.
 */
export function dibaoProjection(store: EventStore): Projection {
  return {
    name: 'dibao-applications',
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(DibaoAllowancePeriodEntry).execute();
      await manager.createQueryBuilder().delete().from(DibaoHouseholdMemberEntry).execute();
      await manager.createQueryBuilder().delete().from(DibaoApplicationEntry).execute();
    },
    async apply(events, manager) {
      const touched = [
        ...new Set(events.filter((e) => isApplicationStream(e.streamId)).map((e) => e.streamId)),
      ];
      if (touched.length === 0) return;
      const histories = await store.readStreams(touched);
      const rows: DibaoApplicationEntry[] = [];
      const periods: DibaoAllowancePeriodEntry[] = [];
      const members: DibaoHouseholdMemberEntry[] = [];
      for (const stream of touched) {
        const recorded = histories.get(stream) ?? [];
        const history = recorded.map((e) => ({ type: e.type, data: e.data }) as DibaoEvent);
        const state = history.reduce(evolveDibao, initialDibaoState());
        if (state.status === 'none' || !state.details) continue;
        const d = state.details;
        allowancePeriods(history).forEach((p, seq) =>
          periods.push({
            applicationId: d.applicationId,
            seq,
            countyCode: d.countyCode,
            effectiveFrom: new Date(p.from),
            effectiveTo: p.to ? new Date(p.to) : null,
            monthlyAmount: p.monthlyAmount,
            documentNumber: p.documentNumber,
            firstMonth: p.firstMonth,
            lastMonth: p.lastMonth,
          }),
        );
        // Everyone the household ever listed: assistance received counts for the members who left too.
        const everyone = new Set([
          ...(state.investigation?.household ?? []).map((m) => m.idNumber),
          ...state.changes.flatMap((c) => c.household.map((m) => m.idNumber)),
        ]);
        for (const idNumber of everyone) members.push({ applicationId: d.applicationId, idNumber });
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
          deadlineProvisional: [
            ...new Set(
              Object.values(state.deadlines).flatMap((x) => (x && !x.done ? x.provisionalYears : [])),
            ),
          ].sort(),
          noticeKind: notice?.kind ?? null,
          noticeStartsAt: notice ? new Date(notice.startsAt) : null,
          noticeEndsAt: notice ? new Date(notice.endsAt) : null,
          monthlyAmount: currentAmount(state),
          documentNumber: state.decision?.documentNumber ?? null,
          decidedAt: state.decision ? new Date(state.decision.at) : null,
          suspendedAt: state.suspension ? new Date(state.suspension.at) : null,
          receivedAt: new Date(state.receivedAt!),
          updatedAt: recorded.at(-1)!.recordedAt,
        });
      }
      if (rows.length === 0) return;
      // An application's periods are replaced whole: a re-fold gives its complete history.
      await manager
        .createQueryBuilder()
        .delete()
        .from(DibaoAllowancePeriodEntry)
        .where('application_id = ANY(:ids)', { ids: rows.map((r) => r.applicationId) })
        .execute();
      await manager
        .createQueryBuilder()
        .delete()
        .from(DibaoHouseholdMemberEntry)
        .where('application_id = ANY(:ids)', { ids: rows.map((r) => r.applicationId) })
        .execute();
      for (let i = 0; i < members.length; i += CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(DibaoHouseholdMemberEntry)
          .values(members.slice(i, i + CHUNK))
          .updateEntity(false)
          .execute();
      }
      for (let i = 0; i < periods.length; i += CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(DibaoAllowancePeriodEntry)
          .values(periods.slice(i, i + CHUNK))
          .updateEntity(false)
          .execute();
      }
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
            'deadline_provisional',
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
