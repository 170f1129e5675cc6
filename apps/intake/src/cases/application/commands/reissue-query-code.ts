import { randomInt } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type { CaseState } from '../../domain/case.decider.js';
import { newQueryCode } from '../../domain/query-code.js';
import { caseFor, INTAKE_CASES, type IntakeCases } from '../intake-cases.js';

/**
 * 重新生成查询码 (township window): a new code replaces the old one, and lifts the lock that repeated
 * wrong codes put on the case number's public lookup.
 */
export class ReissueQueryCodeCommand extends Command<CaseState> {
  constructor(
    readonly caseId: string,
    readonly reason: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(ReissueQueryCodeCommand)
export class ReissueQueryCodeHandler implements ICommandHandler<ReissueQueryCodeCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ caseId, reason, actor }: ReissueQueryCodeCommand): Promise<CaseState> {
    await caseFor(this.intake, actor, caseId, 'cases:query-code');
    const now = this.intake.now();
    const { state } = await this.intake.cases.handle(
      caseId,
      { type: 'ReissueQueryCode', actor, now: now.toISOString(), queryCode: newQueryCode(randomInt), reason },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}
