import { SYSTEM_ACTOR } from '@platform/auth';
import type { RecordedEvent } from '@platform/event-store';
import {
  loadOncePerBatch,
  type BatchContext,
  type IntegrationMessage,
  type MessageContext,
} from '@platform/messaging';
import { workingDaysDeadline, type HolidayCalendar } from '../domain/working-days.js';
import type { DeadlinePolicy } from '../domain/deadline-policy.js';
import type { ReferralCommandService } from './referral-command.service.js';

interface ReferralIssued {
  caseId: string;
  referralId: string;
  needId: string;
  category: string;
  department: string;
  jurisdiction: string;
  description: string;
  requestedAmount: number | null;
  urgency: 'normal' | 'urgent';
  applicant: { name: string; idNumber: string; phone: string | null } | null;
}

/**
 * Turns intake's referrals addressed to this department into referrals on its desk (received,
 * with working-day deadlines), and intake's revocations into revoked referrals. Runs inside the
 * inbox transaction: a redelivered message changes nothing.
 */
export class ReferralIntakeConsumer {
  constructor(
    private readonly department: string,
    private readonly commands: ReferralCommandService,
    private readonly deadlines: (category: string) => DeadlinePolicy,
    private readonly calendar: HolidayCalendar,
    private readonly now: () => Date,
  ) {}

  /** Only intake's referrals and revocations addressed to this department. */
  accepts(message: IntegrationMessage): boolean {
    return (
      (message.type === 'intake.ReferralIssued' || message.type === 'intake.ReferralRevoked') &&
      (message.data as { department?: unknown } | null)?.department === this.department
    );
  }

  async handle(message: IntegrationMessage, { transaction, batch }: MessageContext): Promise<void> {
    const referralId = (message.data as { referralId?: string } | null)?.referralId;
    const ctx = {
      actor: { ...SYSTEM_ACTOR, department: this.department },
      now: this.now(),
      correlationId: message.correlationId,
      causationId: message.id,
      transaction,
      stream: referralId && batch ? await this.streamFromBatch(batch, referralId, transaction) : undefined,
    };
    if (message.type === 'intake.ReferralIssued') {
      const d = message.data as ReferralIssued;
      if (d.department !== this.department) return;
      const policy = this.deadlines(d.category);
      const received = ctx.now;
      await this.commands.handle(
        d.referralId,
        {
          type: 'ReceiveReferral',
          details: {
            caseId: d.caseId,
            referralId: d.referralId,
            needId: d.needId,
            category: d.category,
            jurisdiction: d.jurisdiction,
            description: d.description,
            requestedAmount: d.requestedAmount,
            urgency: d.urgency,
            applicant: d.applicant,
          },
          acknowledgeBy: workingDaysDeadline(received, policy.acknowledgeDays, this.calendar).toISOString(),
          decideBy: workingDaysDeadline(received, policy.decideDays, this.calendar).toISOString(),
          now: received.toISOString(),
        },
        ctx,
      );
    } else if (message.type === 'intake.ReferralRevoked') {
      const d = message.data as { referralId: string; department: string; reason: string };
      if (d.department !== this.department) return;
      const { state } = await this.commands.load(d.referralId, transaction, ctx.stream);
      if (state.status === 'none' || state.status === 'completed') return;
      await this.commands.handle(
        d.referralId,
        { type: 'RevokeReferral', reason: d.reason, now: ctx.now.toISOString() },
        ctx,
      );
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
    transaction: MessageContext['transaction'],
  ): Promise<RecordedEvent[] | undefined> {
    const streams = await loadOncePerBatch(batch, `referral-streams:${this.department}`, (messages) =>
      this.commands.readMany(
        [
          ...new Set(
            messages.filter((m) => this.accepts(m)).map((m) => (m.data as { referralId: string }).referralId),
          ),
        ],
        transaction,
      ),
    );
    const stream = streams.get(referralId);
    streams.delete(referralId);
    return stream;
  }
}
