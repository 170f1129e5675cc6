import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type { CaseState } from '../../domain/case.decider.js';
import { caseFor, INTAKE_CASES, type IntakeCases } from '../intake-cases.js';

/**
 * 政府处理结果: the same-level government's liaison records how a need reported to it was handled —
 * the decision, the department made responsible, an amount, the follow-up. The report closes with it.
 */
export class RecordGovernmentResponseCommand extends Command<CaseState> {
  constructor(
    readonly caseId: string,
    readonly needId: string,
    readonly response: {
      decision: string;
      responsibleDepartment: string | null;
      amount: number | null;
      followUp: string | null;
    },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordGovernmentResponseCommand)
export class RecordGovernmentResponseHandler implements ICommandHandler<RecordGovernmentResponseCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ caseId, needId, response, actor }: RecordGovernmentResponseCommand): Promise<CaseState> {
    // The liaison answers for their own government's jurisdiction only.
    await caseFor(this.intake, actor, caseId, 'government:respond');
    const now = this.intake.now();
    const { state } = await this.intake.cases.handle(
      caseId,
      { type: 'RecordGovernmentResponse', needId, ...response, actor, now: now.toISOString() },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}
