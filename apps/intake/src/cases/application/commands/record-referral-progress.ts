import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import type { DbExecutor, Loaded } from '@platform/event-store';
import type { CaseState, ReferralTrackedStatus } from '../../domain/case.decider.js';
import { INTAKE_CASES, type IntakeCases } from '../intake-cases.js';

export interface ReferralProgress {
  caseId: string;
  referralId: string;
  department: string;
  status: ReferralTrackedStatus;
  at: string;
  detail: {
    reason: string | null;
    outcome: string | null;
    amount: number | null;
    service: string | null;
    deadline: string | null;
  };
}

/** A department's event about one of the case's referrals, recorded on the case in the inbox transaction. */
export class RecordReferralProgressCommand extends Command<Loaded<CaseState>> {
  constructor(
    readonly progress: ReferralProgress,
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

@CommandHandler(RecordReferralProgressCommand)
export class RecordReferralProgressHandler implements ICommandHandler<RecordReferralProgressCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ progress: p, cause }: RecordReferralProgressCommand): Promise<Loaded<CaseState>> {
    const now = this.intake.now();
    const { state, version } = await this.intake.cases.handle(
      p.caseId,
      {
        type: 'RecordReferralProgress',
        referralId: p.referralId,
        department: p.department,
        status: p.status,
        at: p.at,
        detail: p.detail,
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
