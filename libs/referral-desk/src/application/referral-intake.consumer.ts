import type { CommandBus } from '@nestjs/cqrs';
import type { DbExecutor, RecordedEvent } from '@platform/event-store';
import {
  loadOncePerBatch,
  type BatchContext,
  type IntegrationMessage,
  type MessageContext,
} from '@platform/messaging';
import type { ReferralContext, ReferralDetails } from '../domain/referral.decider.js';
import { ReceiveReferralCommand, RevokeReferralCommand } from './commands/intake-referrals.js';
import type { ReferralStore } from './referral-desks.js';

interface ReferralIssued extends Omit<ReferralDetails, 'context'> {
  department: string;
  caseNumber?: string;
  villageCode?: string;
  members?: ReferralContext['members'];
  windowOfficer?: ReferralContext['windowOfficer'];
  earlier?: ReferralContext['earlier'];
  escalated?: string[];
}

/**
 * Turns intake's referrals addressed to this department into commands on its desk: received (with
 * working-day deadlines) or revoked. Runs inside the inbox transaction: a redelivered message
 * changes nothing.
 */
export class ReferralIntakeConsumer {
  constructor(
    private readonly department: string,
    private readonly commands: CommandBus,
    private readonly referrals: ReferralStore,
    private readonly excludeCategories: string[] = [],
  ) {}

  /**
   * Only intake's referrals and revocations addressed to this department, except the categories another
   * capability of the department handles (a revocation names no category: the desk ignores one for a
   * referral it never received).
   */
  accepts(message: IntegrationMessage): boolean {
    const data = message.data as { department?: unknown; category?: unknown } | null;
    return (
      (message.type === 'intake.ReferralIssued' || message.type === 'intake.ReferralRevoked') &&
      data?.department === this.department &&
      !(typeof data.category === 'string' && this.excludeCategories.includes(data.category))
    );
  }

  async handle(message: IntegrationMessage, { transaction, batch }: MessageContext): Promise<void> {
    if (!this.accepts(message)) return;
    const referralId = (message.data as { referralId: string }).referralId;
    const cause = {
      transaction,
      correlationId: message.correlationId,
      causationId: message.id,
      stream: batch ? await this.streamFromBatch(batch, referralId, transaction) : undefined,
    };
    if (message.type === 'intake.ReferralIssued') {
      const d = message.data as ReferralIssued;
      await this.commands.execute(
        new ReceiveReferralCommand(
          this.department,
          {
            caseId: d.caseId,
            referralId: d.referralId,
            needId: d.needId,
            category: d.category,
            jurisdiction: d.jurisdiction,
            description: d.description,
            requestedAmount: d.requestedAmount,
            urgency: d.urgency,
            applicant: d.applicant,
            context:
              d.caseNumber && d.villageCode
                ? {
                    caseNumber: d.caseNumber,
                    villageCode: d.villageCode,
                    members: d.members ?? null,
                    windowOfficer: d.windowOfficer ?? null,
                    earlier: d.earlier ?? [],
                    ...(d.escalated?.length ? { escalated: d.escalated } : {}),
                  }
                : null,
          },
          cause,
        ),
      );
    } else {
      const d = message.data as { referralId: string; reason: string };
      await this.commands.execute(new RevokeReferralCommand(this.department, d.referralId, d.reason, cause));
    }
  }

  /**
   * The referral's stream from one read of every referral in the batch (one query instead of one per
   * message). Each is handed out once: after this message appends, a later message about the same
   * referral reads the stream afresh.
   */
  private async streamFromBatch(
    batch: BatchContext,
    referralId: string,
    transaction: DbExecutor,
  ): Promise<RecordedEvent[] | undefined> {
    const streams = await loadOncePerBatch(batch, `referral-streams:${this.department}`, (messages) =>
      this.referrals.store.readStreams(
        [
          ...new Set(
            messages
              .filter((m) => this.accepts(m))
              .map((m) => this.referrals.streamOf((m.data as { referralId: string }).referralId)),
          ),
        ],
        { transaction },
      ),
    );
    const stream = streams.get(this.referrals.streamOf(referralId));
    streams.delete(this.referrals.streamOf(referralId));
    return stream;
  }
}
