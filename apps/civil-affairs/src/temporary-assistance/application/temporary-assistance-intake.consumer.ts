import { Logger } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@platform/contracts';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';
import { ReceiveReferralCommand, RevokeReferralCommand, type ReferralDetails } from '@platform/referral-desk';
import {
  ReceiveTemporaryReferralCommand,
  WithdrawTemporaryReferralCommand,
  type TemporaryReferral,
} from './commands/intake-referrals.js';

/** The category this capability takes from the referral desk of civil affairs. */
export const TEMPORARY_CATEGORY = 'temporary';

interface ReferralIssued extends TemporaryReferral {
  department: string;
  needId: string;
  category: string;
  jurisdiction: string;
  members?: Array<{
    name: string;
    idNumber: string;
    relationship: 'applicant' | 'spouse' | 'child' | 'parent' | 'sibling' | 'other';
    phone: string | null;
  }> | null;
  windowOfficer?: { id: string; name: string; phone: string | null } | null;
  earlier?: NonNullable<ReferralDetails['context']>['earlier'];
  escalated?: string[];
}

/**
 * Turns intake's referrals of `temporary` needs to civil affairs into temporary-assistance applications,
 * inside the civil-affairs inbox transaction (group `civil-affairs.temporary-assistance`); a revoked
 * referral withdraws its application while undecided. The referral desk of civil affairs leaves the
 * category to this capability (`excludeCategories`). A referral that opens no application — no person
 * to record because the household did not consent to share, no requested amount, no known village — is
 * handed to the generic desk here, exactly as its own consumer would have received it, so it is still
 * handled there.
 */
export class TemporaryAssistanceIntakeConsumer {
  private readonly logger = new Logger('TemporaryAssistanceIntake');

  constructor(private readonly commands: CommandBus) {}

  accepts(message: IntegrationMessage): boolean {
    const d = message.data as { department?: unknown; category?: unknown } | null;
    switch (message.type) {
      case 'intake.ReferralIssued':
        return d?.department === 'civil-affairs' && d.category === TEMPORARY_CATEGORY;
      case 'intake.ReferralRevoked':
        // A revocation names no category: the handler ignores one for a referral that is no application.
        return d?.department === 'civil-affairs';
      default:
        return false;
    }
  }

  async handle(message: IntegrationMessage, { transaction }: MessageContext): Promise<void> {
    if (!this.accepts(message)) return;
    const cause = { transaction, correlationId: message.correlationId, causationId: message.id };
    if (message.type === 'intake.ReferralIssued') {
      const d = message.data as ReferralIssued;
      try {
        await this.commands.execute(new ReceiveTemporaryReferralCommand(d, cause));
      } catch (e) {
        // Nothing was written: the referral goes to the desk, where an officer handles it by hand.
        if (!(e instanceof DomainError) || e.status !== 422) throw e;
        this.logger.log(`${e.message}; handled on the referral desk instead`);
        await this.commands.execute(new ReceiveReferralCommand('civil-affairs', deskDetails(d), cause));
      }
      return;
    }
    const d = message.data as { referralId: string; reason: string };
    const status = await this.commands.execute(
      new WithdrawTemporaryReferralCommand(d.referralId, d.reason, cause),
    );
    // Not an application: a temporary referral this consumer handed to the desk is revoked there too
    // (the desk's own consumer may have seen the revocation before the referral reached it).
    if (status === 'none') {
      await this.commands.execute(new RevokeReferralCommand('civil-affairs', d.referralId, d.reason, cause));
    }
  }
}

/** The referral as the desk's own consumer would have received it. */
function deskDetails(d: ReferralIssued): ReferralDetails {
  return {
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
  } as ReferralDetails;
}
