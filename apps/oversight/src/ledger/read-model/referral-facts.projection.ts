import type { Projection } from '@platform/read-model';
import type { EntityManager } from 'typeorm';
import { CaseFact, GovernmentReportFact, ReferralFact } from './facts.entities.js';

/**
 * Pre-aggregated facts for accountability reports and the joint-meeting dashboard: one row per
 * referral and per case, folded from the ledger. Rebuilt from position 0 it gives the same rows.
 */
export function referralFactsProjection(): Projection {
  return {
    name: 'referral-facts',
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(ReferralFact).execute();
      await manager.createQueryBuilder().delete().from(CaseFact).execute();
      await manager.createQueryBuilder().delete().from(GovernmentReportFact).execute();
    },
    async apply(events, manager) {
      const referrals = manager.getRepository(ReferralFact);
      const cases = manager.getRepository(CaseFact);
      for (const e of events) {
        if (!e.streamId.startsWith('ledger-')) continue;
        const d = e.data as Record<string, unknown> & { caseId: string; referralId: string };
        const at = new Date(e.metadata.occurredAt);
        const actor = e.metadata.actor.id;
        const name = e.type.slice(e.type.indexOf('.') + 1);
        const dept = e.type.slice(0, e.type.indexOf('.'));
        if (dept === 'intake') {
          switch (name) {
            case 'CaseOpened':
              await cases
                .createQueryBuilder()
                .insert()
                .values({
                  caseId: d.caseId,
                  caseNumber: d.caseNumber as string,
                  countyCode: d.countyCode as string,
                  openedAt: at,
                })
                .orUpdate(['case_number', 'county_code', 'opened_at'], ['case_id'])
                .updateEntity(false)
                .execute();
              break;
            case 'CaseAccepted':
              await cases.update({ caseId: d.caseId }, { acceptedAt: at });
              break;
            case 'CaseReportedToGovernment': {
              const counted = await cases
                .createQueryBuilder()
                .update()
                .set({
                  reportedToGovernment: () => 'reported_to_government + 1',
                  firstReportedAt: () => 'coalesce(first_reported_at, :at)',
                })
                .where('case_id = :id', { id: d.caseId, at })
                .execute();
              if (!counted.affected) {
                await cases.insert({ caseId: d.caseId, reportedToGovernment: 1, firstReportedAt: at });
              }
              await manager
                .createQueryBuilder()
                .insert()
                .into(GovernmentReportFact)
                .values({
                  caseId: d.caseId,
                  needId: d.needId as string,
                  reportedAt: d.at as string,
                  countyCode: await countyOf(manager, d.caseId),
                  reportedOn: at,
                  respondBy: d.respondBy ? new Date(d.respondBy as string) : null,
                })
                .orIgnore()
                .updateEntity(false)
                .execute();
              break;
            }
            case 'GovernmentResponseRecorded':
              await manager
                .getRepository(GovernmentReportFact)
                .update(
                  { caseId: d.caseId, needId: d.needId as string, reportedAt: d.reportedAt as string },
                  { respondedAt: at },
                );
              break;
            case 'ReferralIssued':
              await referrals
                .createQueryBuilder()
                .insert()
                .values({
                  referralId: d.referralId,
                  caseId: d.caseId,
                  department: d.department as string,
                  jurisdiction: d.jurisdiction as string,
                  countyCode: await countyOf(manager, d.caseId),
                  category: d.category as string,
                  issuedAt: at,
                  status: 'issued',
                })
                .orIgnore()
                .updateEntity(false)
                .execute();
              break;
            case 'ReferralRevoked':
              await referrals.update(
                { referralId: d.referralId },
                { revoked: true, status: 'revoked', reason: d.reason as string },
              );
              break;
            case 'ReferralRerouted':
              await referrals.update({ referralId: d.referralId }, { rerouted: true, status: 'rerouted' });
              break;
          }
          continue;
        }
        const where = { referralId: d.referralId };
        switch (name) {
          case 'ReferralReceived':
            await referrals.update(where, { receivedAt: at, status: 'received' });
            break;
          case 'ReferralAcknowledged':
            await referrals.update(where, {
              acknowledgedAt: at,
              acknowledgedBy: actor,
              status: 'acknowledged',
            });
            break;
          case 'ReferralAccepted':
            await referrals.update(where, { decidedAt: at, decidedBy: actor, status: 'accepted' });
            break;
          case 'ReferralDeclined':
            await referrals
              .createQueryBuilder()
              .update()
              .set({
                decidedAt: at,
                decidedBy: actor,
                declined: true,
                status: 'declined',
                reason: d.reason as string,
                acknowledgedAt: () => 'coalesce(acknowledged_at, :at)',
              })
              .where('referral_id = :id', { id: d.referralId, at })
              .execute();
            break;
          case 'ReferralCompleted':
            await referrals
              .createQueryBuilder()
              .update()
              .set({
                completedAt: at,
                completedBy: actor,
                outcome: d.outcome as string,
                amount: d.amount == null ? null : String(d.amount),
                reason: () => 'coalesce(:reason, reason)',
                status: d.outcome === 'returned' ? 'returned' : 'completed',
              })
              .where('referral_id = :id', { id: d.referralId, reason: d.reason ?? null })
              .execute();
            break;
          case 'ReferralTransferred':
            await referrals.update(where, {
              decidedAt: at,
              decidedBy: actor,
              status: 'transferred',
              reason: d.reason as string,
            });
            break;
          case 'ReferralReopened':
            await referrals
              .createQueryBuilder()
              .update()
              .set({ reopened: () => 'reopened + 1', status: 'accepted', completedAt: null })
              .where('referral_id = :id', { id: d.referralId })
              .execute();
            break;
          case 'ReferralOverdue':
            await referrals
              .createQueryBuilder()
              .update()
              .set({
                [d.deadline === 'acknowledge' ? 'overdueAcknowledge' : 'overdueDecide']: true,
                overdueHeldBy: () => 'coalesce(:heldBy, overdue_held_by)',
              })
              .where('referral_id = :id', { id: d.referralId, heldBy: d.heldBy ?? null })
              .execute();
            break;
        }
      }
    },
  };
}

async function countyOf(manager: EntityManager, caseId: string): Promise<string | null> {
  const row = await manager.findOne(CaseFact, { select: { countyCode: true }, where: { caseId } });
  return row?.countyCode ?? null;
}
