import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import { CLOCK, type Clock } from '@platform/config';
import type { DbExecutor } from '@platform/event-store';
import { VerificationResponders } from './verification-responders.js';

export interface VerificationRequest {
  verificationId: string;
  memberIdNumbers: string[];
  asOf: string;
}

/**
 * A department answers a household verification from its own register, inside the inbox transaction
 * that took the request: the answer and the inbox record commit together, once.
 */
export class AnswerVerificationCommand extends Command<boolean> {
  constructor(
    readonly department: string,
    readonly request: VerificationRequest,
    readonly cause: { transaction: DbExecutor; correlationId: string; causationId: string },
  ) {
    super();
  }
}

@CommandHandler(AnswerVerificationCommand)
export class AnswerVerificationHandler implements ICommandHandler<AnswerVerificationCommand> {
  constructor(
    @Inject(VerificationResponders) private readonly responders: VerificationResponders,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ department, request, cause }: AnswerVerificationCommand): Promise<boolean> {
    const responder = this.responders.get(department);
    const known = await responder.answers.load(request.verificationId, { transaction: cause.transaction });
    if (known.state.answered) return false;
    const answer = await responder.answerer.answer(
      { memberIdNumbers: request.memberIdNumbers, asOf: request.asOf },
      cause.transaction,
    );
    const now = this.clock.now();
    const { events } = await responder.answers.handle(
      request.verificationId,
      { type: 'Answer', verificationId: request.verificationId, answer, now: now.toISOString() },
      {
        metadata: eventMetadata(
          { ...SYSTEM_ACTOR, department },
          { now, correlationId: cause.correlationId, causationId: cause.causationId },
        ),
        transaction: cause.transaction,
        known,
      },
    );
    return events.length > 0;
  }
}
