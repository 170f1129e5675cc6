import type { Projection } from '@platform/read-model';
import type { EntityManager } from 'typeorm';
import { CaseFact, GovernmentReportFact, PendingReferralEvent, ReferralFact } from './facts.entities.js';

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
      await manager.createQueryBuilder().delete().from(PendingReferralEvent).execute();
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
            case 'ReferralIssued': {
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
              // The department's events that arrived first, in ledger order.
              const pending = manager.getRepository(PendingReferralEvent);
              const early = await pending
                .createQueryBuilder('p')
                .where('p.referral_id = :id', { id: d.referralId })
                .orderBy('p.position', 'ASC')
                .getMany();
              for (const p of early) {
                await applyDepartmentEvent(
                  manager,
                  p.type.slice(p.type.indexOf('.') + 1),
                  p.data as Record<string, unknown> & { referralId: string },
                  p.occurredAt,
                  p.actor,
                );
              }
              if (early.length > 0) await pending.delete({ referralId: d.referralId });
              break;
            }
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
        // A department's event before its referral is known (its topic was read first): kept until then.
        if (!(await applyDepartmentEvent(manager, name, d, at, actor)) && KNOWN_DEPARTMENT_EVENTS.has(name)) {
          const known = await referrals.exists({ where: { referralId: d.referralId } });
          if (!known) {
            await manager
              .createQueryBuilder()
              .insert()
              .into(PendingReferralEvent)
              .values({
                position: e.globalPosition.toString(),
                referralId: d.referralId,
                type: e.type,
                data: d as never,
                occurredAt: at,
                actor,
              })
              .orIgnore()
              .updateEntity(false)
              .execute();
          }
        }
      }
    },
  };
}

async function countyOf(manager: EntityManager, caseId: string): Promise<string | null> {
  const row = await manager.findOne(CaseFact, { select: { countyCode: true }, where: { caseId } });
  return row?.countyCode ?? null;
}

/** The department events the facts fold (others about a referral change nothing here). */
const KNOWN_DEPARTMENT_EVENTS = new Set([
  'ReferralReceived',
  'ReferralAcknowledged',
  'ReferralAccepted',
  'ReferralDeclined',
  'ReferralCompleted',
  'ReferralTransferred',
  'ReferralReopened',
  'ReferralOverdue',
]);

/** Folds a department's event into its referral's row; false when there is no row (yet). */
async function applyDepartmentEvent(
  manager: EntityManager,
  name: string,
  d: Record<string, unknown> & { referralId: string },
  at: Date,
  actor: string,
): Promise<boolean> {
  const referrals = manager.getRepository(ReferralFact);
  const where = { referralId: d.referralId };
  const update = (set: Record<string, unknown>, params = {}) =>
    referrals
      .createQueryBuilder()
      .update()
      .set(set as never)
      .where('referral_id = :id', { id: d.referralId, ...params })
      .execute();
  let result: { affected?: number | null };
  switch (name) {
    case 'ReferralReceived':
      result = await referrals.update(where, { receivedAt: at, status: 'received' });
      break;
    case 'ReferralAcknowledged':
      result = await referrals.update(where, {
        acknowledgedAt: at,
        acknowledgedBy: actor,
        status: 'acknowledged',
      });
      break;
    case 'ReferralAccepted':
      result = await referrals.update(where, { decidedAt: at, decidedBy: actor, status: 'accepted' });
      break;
    case 'ReferralDeclined':
      result = await update(
        {
          decidedAt: at,
          decidedBy: actor,
          declined: true,
          status: 'declined',
          reason: d.reason as string,
          acknowledgedAt: () => 'coalesce(acknowledged_at, :at)',
        },
        { at },
      );
      break;
    case 'ReferralCompleted':
      result = await update(
        {
          completedAt: at,
          completedBy: actor,
          outcome: d.outcome as string,
          amount: d.amount == null ? null : String(d.amount),
          reason: () => 'coalesce(:reason, reason)',
          status: d.outcome === 'returned' ? 'returned' : 'completed',
        },
        { reason: d.reason ?? null },
      );
      break;
    case 'ReferralTransferred':
      result = await referrals.update(where, {
        decidedAt: at,
        decidedBy: actor,
        status: 'transferred',
        reason: d.reason as string,
      });
      break;
    case 'ReferralReopened':
      result = await update({ reopened: () => 'reopened + 1', status: 'accepted', completedAt: null });
      break;
    case 'ReferralOverdue':
      result = await update(
        {
          [d.deadline === 'acknowledge' ? 'overdueAcknowledge' : 'overdueDecide']: true,
          overdueHeldBy: () => 'coalesce(:heldBy, overdue_held_by)',
        },
        { heldBy: d.heldBy ?? null },
      );
      break;
    default:
      return true;
  }
  return (result.affected ?? 0) > 0;
}
