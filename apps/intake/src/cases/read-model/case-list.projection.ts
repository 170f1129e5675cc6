import type { EventStore } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { In, LessThan } from 'typeorm';
import { evolveCase, initialCaseState, isCaseOpen, type CaseEvent } from '../domain/case.decider.js';
import {
  CaseListEntry,
  CaseMember,
  CaseMemberClaim,
  GovernmentReport,
  ProgressLookupGuard,
} from './case-list.entities.js';

/**
 * Case lists, open-case membership (for the duplicate check) and the government's list, kept
 * current by re-folding each touched case from its stream.
 */
export function caseListProjection(store: EventStore): Projection {
  return {
    name: 'case-list',
    async reset(manager) {
      for (const entity of [CaseListEntry, CaseMember, GovernmentReport]) {
        await manager.createQueryBuilder().delete().from(entity).execute();
      }
    },
    async apply(events, manager) {
      const touched = new Map<string, string>();
      // One row per key: an upsert may touch a row once.
      const reports = new Map<string, GovernmentReport>();
      // Cases given a new query code in this batch, and when: their lookup's lock is lifted.
      const reissued = new Map<string, Date>();
      for (const e of events) {
        if (!e.streamId.startsWith('case-')) continue;
        touched.set(e.streamId, e.streamId.slice(5));
        // The command's own time: the lookups' counts are kept on the same (the service's) clock.
        if (e.type === 'intake.QueryCodeReissued')
          reissued.set(e.streamId.slice(5), new Date((e.data as { at: string }).at));
      }
      if (touched.size === 0) return;
      // These cases are now in case_members: their opening claims have served their purpose.
      await manager.delete(CaseMemberClaim, { caseId: In([...touched.values()]) });
      // Every touched case re-folded from one read, written back in two statements whatever the batch size.
      const histories = await store.readStreams([...touched.keys()]);
      const cases = new Map<string, CaseListEntry>();
      const members = new Map<string, CaseMember>(); // one row per key: an upsert may touch a row once
      for (const [stream, caseId] of touched) {
        const history = histories.get(stream)!;
        const state = history.reduce(
          (st, e) => evolveCase(st, { type: e.type, data: e.data } as CaseEvent),
          initialCaseState(),
        );
        if (state.status === 'none') continue;
        const reissuedAt = reissued.get(caseId);
        // Only what was counted before the new code (a rebuild replaying an old one keeps a newer lock).
        if (reissuedAt)
          await manager.delete(ProgressLookupGuard, {
            caseNumber: state.caseNumber!,
            updatedAt: LessThan(reissuedAt),
          });
        const applicant = state.household.find((m) => m.relationship === 'applicant')!;
        const isOpen = isCaseOpen(state);
        cases.set(caseId, {
          caseId,
          caseNumber: state.caseNumber!,
          status: state.status,
          isOpen,
          openedBy: state.openedBy,
          reportSource: state.report?.source ?? null,
          channel: state.channel!,
          urgency: state.urgency,
          villageCode: state.villageCode!,
          townshipCode: state.townshipCode!,
          countyCode: state.countyCode!,
          applicantName: applicant.name,
          applicantId: applicant.idNumber,
          categories: state.needs.map((n) => n.category),
          referralStates: state.referrals.map((r) => ({
            referralId: r.referralId,
            department: r.department,
            category: r.category,
            status: r.status,
            overdue: r.overdue,
          })),
          queryCode: state.queryCode,
          reportedToGovernment: state.reportedToGovernment.length > 0,
          openedAt: new Date(state.openedAt!),
          acceptedAt: state.acceptedAt ? new Date(state.acceptedAt) : null,
          updatedAt: history.at(-1)!.recordedAt,
        });
        // Every report of the case as its events leave it: reported, due, answered.
        for (const g of state.reportedToGovernment) {
          reports.set(`${caseId}|${g.needId}|${g.at}`, {
            caseId,
            needId: g.needId,
            reportedAt: new Date(g.at),
            caseNumber: state.caseNumber!,
            category: g.category,
            jurisdiction: g.jurisdiction ?? state.countyCode!,
            reason: g.reason,
            townshipCode: state.townshipCode,
            respondBy: g.respondBy ? new Date(g.respondBy) : null,
            response: g.response,
            respondedAt: g.response ? new Date(g.response.at) : null,
          });
        }
        for (const m of state.household) {
          for (const n of state.needs)
            members.set(`${caseId}|${m.idNumber}|${n.category}`, {
              caseId,
              idNumber: m.idNumber,
              category: n.category,
              isOpen,
            });
        }
      }
      if (cases.size > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(CaseListEntry)
          .values([...cases.values()])
          .orUpdate(
            [
              'status',
              'is_open',
              'opened_by',
              'report_source',
              'referral_states',
              'query_code',
              'reported_to_government',
              'accepted_at',
              'updated_at',
            ],
            ['case_id'],
          )
          .updateEntity(false)
          .execute();
      }
      if (members.size > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(CaseMember)
          .values([...members.values()])
          .orUpdate(['is_open'], ['case_id', 'id_number', 'category'])
          .updateEntity(false)
          .execute();
      }
      if (reports.size > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(GovernmentReport)
          .values([...reports.values()])
          .orUpdate(
            ['township_code', 'respond_by', 'response', 'responded_at'],
            ['case_id', 'need_id', 'reported_at'],
          )
          .updateEntity(false)
          .execute();
      }
    },
  };
}
