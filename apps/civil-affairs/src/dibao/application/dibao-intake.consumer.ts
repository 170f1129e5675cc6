import type { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@platform/contracts';
import { MessageRefusedError, type IntegrationMessage, type MessageContext } from '@platform/messaging';
import type { Program } from '../domain/allowance.js';
import {
  ReceiveDibaoApplicationCommand,
  RecordDibaoCaseAcceptedCommand,
  RegisterDibaoCaseCommand,
  WithdrawDibaoApplicationCommand,
  type DibaoReferral,
} from './commands/intake-applications.js';

const PROGRAMS: readonly string[] = ['dibao', 'special_hardship'] satisfies Program[];

/**
 * Turns intake's events about dibao and special-hardship needs into commands on the applications,
 * inside the civil-affairs inbox transaction (group `civil-affairs.dibao`): a case opened (where the
 * household lives), accepted (by whom), a referral issued to civil affairs (a new application), a
 * referral revoked (withdrawn).
 * The referral desk of civil affairs leaves these categories to this capability.
 */
export class DibaoIntakeConsumer {
  constructor(private readonly commands: CommandBus) {}

  accepts(message: IntegrationMessage): boolean {
    const d = message.data as { department?: unknown; category?: unknown; categories?: unknown } | null;
    switch (message.type) {
      case 'intake.CaseOpened':
        return Array.isArray(d?.categories) && d.categories.some((c) => PROGRAMS.includes(c as string));
      case 'intake.CaseAccepted':
        // Names no category: the handler passes over cases it has no registration for.
        return true;
      case 'intake.ReferralIssued':
        return d?.department === 'civil-affairs' && PROGRAMS.includes(d.category as string);
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
    switch (message.type) {
      case 'intake.CaseOpened': {
        const d = message.data as {
          caseId: string;
          caseNumber: string;
          villageCode: string;
          townshipCode: string;
          countyCode: string;
          categories: string[];
        };
        await this.commands.execute(
          new RegisterDibaoCaseCommand(
            {
              caseId: d.caseId,
              caseNumber: d.caseNumber,
              villageCode: d.villageCode,
              townshipCode: d.townshipCode,
              countyCode: d.countyCode,
              categories: d.categories,
            },
            cause,
          ),
        );
        return;
      }
      case 'intake.CaseAccepted': {
        const d = message.data as { caseId: string; acceptedBy: string };
        await this.commands.execute(new RecordDibaoCaseAcceptedCommand(d.caseId, d.acceptedBy, cause));
        return;
      }
      case 'intake.ReferralIssued': {
        const d = message.data as DibaoReferral;
        try {
          await this.commands.execute(
            new ReceiveDibaoApplicationCommand(
              {
                caseId: d.caseId,
                referralId: d.referralId,
                category: d.category,
                description: d.description,
                urgency: d.urgency,
                applicant: d.applicant,
              },
              cause,
            ),
          );
        } catch (e) {
          // Without the case's registration there is nowhere to put the application: refused, not retried.
          if (e instanceof DomainError && e.code === 'CASE_NOT_REGISTERED')
            throw new MessageRefusedError(e.message);
          throw e;
        }
        return;
      }
      case 'intake.ReferralRevoked': {
        const d = message.data as { referralId: string; reason: string };
        await this.commands.execute(new WithdrawDibaoApplicationCommand(d.referralId, d.reason, cause));
        return;
      }
    }
  }
}
