import type { RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import type { EntityManager } from 'typeorm';
import { referralEventName, type ReferralContext } from '../domain/referral.decider.js';
import { ReferralInboxEntry } from './referral-inbox.entity.js';

type Receipt = Omit<
  ReferralInboxEntry,
  | 'acknowledgedAt'
  | 'decidedAt'
  | 'completedAt'
  | 'overdue'
  | 'outcome'
  | 'amount'
  | 'service'
  | 'reason'
  | 'heldBy'
  | 'transferredTo'
>;

/** Folds a department's referral events into its inbox table. */
export function referralInboxProjection(): Projection {
  return {
    name: 'referral-inbox',
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(ReferralInboxEntry).execute();
    },
    async apply(events: RecordedEvent[], manager: EntityManager) {
      const inbox = manager.getRepository(ReferralInboxEntry);
      // Consecutive receipts go in one statement; anything else first writes the receipts before it.
      let received: Receipt[] = [];
      const flush = async () => {
        if (received.length === 0) return;
        const rows = received;
        received = [];
        await inbox.createQueryBuilder().insert().values(rows).orIgnore().updateEntity(false).execute();
      };
      for (const e of events) {
        if (!e.streamId.startsWith('referral-')) continue;
        const d = e.data as Record<string, unknown> & { referralId: string };
        const at = new Date(e.metadata.occurredAt);
        const name = referralEventName(e.type);
        if (name === 'ReferralReceived') {
          const receivedAt = new Date(d.receivedAt as string);
          const context = (d.context as ReferralContext | null | undefined) ?? null;
          received.push({
            referralId: d.referralId,
            caseId: d.caseId as string,
            needId: d.needId as string,
            category: d.category as string,
            jurisdiction: d.jurisdiction as string,
            status: 'received',
            urgency: d.urgency as string,
            description: d.description as string,
            requestedAmount: d.requestedAmount == null ? null : String(d.requestedAmount),
            applicant:
              d.applicant && typeof d.applicant === 'object' ? (d.applicant as Receipt['applicant']) : null,
            caseNumber: context?.caseNumber ?? null,
            villageCode: context?.villageCode ?? null,
            context: context
              ? {
                  members: context.members,
                  windowOfficer: context.windowOfficer,
                  earlier: context.earlier,
                  ...(context.escalated ? { escalated: context.escalated } : {}),
                }
              : null,
            receivedAt,
            acknowledgeBy: new Date(d.acknowledgeBy as string),
            decideBy: new Date(d.decideBy as string),
            deadlineProvisional: (d.deadlinesProvisional as string[] | undefined) ?? [],
            updatedAt: receivedAt,
          });
          continue;
        }
        await flush();
        const where = { referralId: d.referralId };
        switch (name) {
          case 'ReferralAcknowledged':
            await inbox.update(where, {
              status: 'acknowledged',
              acknowledgedAt: at,
              heldBy: d.officerId as string,
              updatedAt: at,
            });
            break;
          case 'ReferralAccepted':
            await inbox.update(where, {
              status: 'accepted',
              decidedAt: at,
              heldBy: d.officerId as string,
              updatedAt: at,
            });
            break;
          case 'ReferralDeclined':
            await inbox
              .createQueryBuilder()
              .update()
              .set({
                status: 'declined',
                decidedAt: at,
                heldBy: d.officerId as string,
                reason: d.reason as string,
                acknowledgedAt: () => 'coalesce(acknowledged_at, :at)',
                updatedAt: at,
              })
              .where('referral_id = :id', { id: d.referralId, at })
              .execute();
            break;
          case 'ReferralProgressNoted':
            await inbox.update(where, { heldBy: d.officerId as string, updatedAt: at });
            break;
          case 'ReferralCompleted':
            await inbox.update(where, {
              status: d.outcome === 'returned' ? 'returned' : 'completed',
              completedAt: at,
              outcome: d.outcome as string,
              amount: d.amount == null ? null : String(d.amount),
              service: (d.service as string | null) ?? null,
              reason: (d.reason as string | null) ?? null,
              heldBy: d.officerId as string,
              updatedAt: at,
            });
            break;
          case 'ReferralReopened':
            await inbox.update(where, {
              status: 'accepted',
              completedAt: null,
              outcome: null,
              heldBy: d.officerId as string,
              updatedAt: at,
            });
            break;
          case 'ReferralTransferred':
            await inbox.update(where, {
              status: 'transferred',
              transferredTo: d.toDepartment as string,
              reason: d.reason as string,
              heldBy: d.officerId as string,
              updatedAt: at,
            });
            break;
          case 'ReferralRevoked':
            await inbox.update(where, { status: 'revoked', reason: d.reason as string, updatedAt: at });
            break;
          case 'ReferralDeadlinesRecomputed':
            await inbox.update(where, {
              acknowledgeBy: new Date(d.acknowledgeBy as string),
              decideBy: new Date(d.decideBy as string),
              deadlineProvisional: d.deadlinesProvisional as string[],
              updatedAt: at,
            });
            break;
          case 'ReferralOverdue':
            await inbox
              .createQueryBuilder()
              .update()
              .set({ overdue: () => 'array_append(overdue, :deadline)', updatedAt: at })
              .where('referral_id = :id AND NOT (:deadline = ANY(overdue))', {
                id: d.referralId,
                deadline: d.deadline,
              })
              .execute();
            break;
        }
      }
      await flush();
    },
  };
}
