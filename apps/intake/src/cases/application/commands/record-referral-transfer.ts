import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import type { DbExecutor, Loaded } from '@platform/event-store';
import type { CaseCommand, CaseState } from '../../domain/case.decider.js';
import { DEPARTMENT_NAMES } from '../../domain/policy.js';
import { INTAKE_CASES, type IntakeCases } from '../intake-cases.js';

/**
 * The referral id of the need issued again after a department's transfer, derived from the transfer
 * message: a redelivery derives the same id (and the decider, finding it, issues nothing twice).
 * Formatted as a name-based (version 5 style) UUID from a SHA-256 digest.
 */
export function transferredReferralId(messageId: string): string {
  const b = createHash('sha256').update(`intake:referral-transfer:${messageId}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface ReferralTransfer {
  caseId: string;
  referralId: string;
  fromDepartment: string;
  toDepartment: string;
  reason: string;
  at: string;
  /** The department's message: the new referral's id comes from it. */
  messageId: string;
}

/**
 * A department transferred one of the case's referrals to another: recorded on the case and the need
 * issued to the target like a reroute, in the inbox transaction, with no window action.
 */
export class RecordReferralTransferCommand extends Command<Loaded<CaseState>> {
  constructor(
    readonly transfer: ReferralTransfer,
    readonly cause: {
      transaction: DbExecutor;
      correlationId: string;
      causationId: string;
      /** The case as this transaction holds it (the batch's read), when known. */
      known?: Loaded<CaseState>;
    },
  ) {
    super();
  }
}

@CommandHandler(RecordReferralTransferCommand)
export class RecordReferralTransferHandler implements ICommandHandler<RecordReferralTransferCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ transfer: t, cause }: RecordReferralTransferCommand): Promise<Loaded<CaseState>> {
    const now = this.intake.now();
    const routing = this.intake.policy.asOf('routing', now);
    const { state, version } = await this.intake.cases.handle(
      t.caseId,
      (current): CaseCommand => {
        // The target's node as routing places it: the need's own rule if it names the target, else any
        // rule of the target department (city-level bureaus take it at the city).
        const category = current.referrals.find((r) => r.referralId === t.referralId)?.category;
        const rules = Object.entries(routing.content);
        const rule =
          rules.find(([c, r]) => c === category && r.department === t.toDepartment)?.[1] ??
          rules.find(([, r]) => r.department === t.toDepartment)?.[1];
        const city = current.villageCode ? this.intake.tree().at(current.villageCode, 'city') : null;
        return {
          type: 'RecordReferralTransfer',
          referralId: t.referralId,
          fromDepartment: t.fromDepartment,
          reason: t.reason,
          at: t.at,
          now: now.toISOString(),
          policy: { routing: routing.version },
          route: {
            kind: 'department',
            referralId: transferredReferralId(t.messageId),
            department: t.toDepartment,
            departmentName: rule?.departmentName ?? DEPARTMENT_NAMES[t.toDepartment] ?? t.toDepartment,
            jurisdiction:
              rule?.level === 'city' && city ? city.code : (current.countyCode ?? current.villageCode ?? ''),
          },
        };
      },
      {
        metadata: eventMetadata({ ...SYSTEM_ACTOR, department: 'intake' }, { now, ...cause }),
        transaction: cause.transaction,
        known: cause.known,
      },
    );
    return { state, version };
  }
}
