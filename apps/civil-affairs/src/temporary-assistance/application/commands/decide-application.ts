import { Inject } from '@nestjs/common';
import { Command, CommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type {
  Officer,
  PaymentMethod,
  TemporaryAssistanceCommand,
  TemporaryAssistanceState,
} from '../../domain/temporary-assistance.decider.js';
import {
  applicationFor,
  greenChannelPolicy,
  officerOf,
  policyHistories,
  TEMPORARY_ASSISTANCE,
  type TemporaryAssistanceContext,
} from '../temporary-assistance-context.js';

/** A step on an application of the officer's jurisdiction. */
export abstract class TemporaryAssistanceStepCommand extends Command<TemporaryAssistanceState> {
  abstract readonly permission: string;

  constructor(
    readonly applicationId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/**
 * Visible to the officer (404 / 403 otherwise) → decide on the current state → append at the expected
 * version: the same for every step. The decision is rebuilt on the fresh state after a version conflict,
 * so two officers acting at once cannot both decide.
 */
export abstract class StepHandler<C extends TemporaryAssistanceStepCommand> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) protected readonly ctx: TemporaryAssistanceContext) {}

  protected abstract decision(command: C, officer: Officer, now: string): TemporaryAssistanceCommand;

  async execute(command: C): Promise<TemporaryAssistanceState> {
    const known = await applicationFor(this.ctx, command.actor, command.applicationId, command.permission);
    const now = this.ctx.now();
    const { state } = await this.ctx.applications.handle(
      command.applicationId,
      this.decision(command, officerOf(command.actor), now.toISOString()),
      { metadata: eventMetadata(command.actor, { now }), known },
    );
    return state;
  }
}

/**
 * 乡镇审批（给予）: within the township's limit on the decision day; an urgent application also before its
 * materials are complete (绿色通道), naming the missing ones.
 */
export class GrantByTownshipCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:township-decide';
  constructor(
    applicationId: string,
    readonly request: { amount: number; opinion?: string; missingMaterials?: string[] },
    actor: AuthenticatedActor,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(GrantByTownshipCommand)
export class GrantByTownshipHandler extends StepHandler<GrantByTownshipCommand> {
  protected decision(c: GrantByTownshipCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return {
      type: 'GrantByTownship',
      amount: c.request.amount,
      opinion: c.request.opinion ?? '',
      policy: policyHistories(this.ctx),
      missingMaterials: c.request.missingMaterials,
      green: greenChannelPolicy(this.ctx),
      actor,
      now,
    };
  }
}

/** 乡镇不予救助. */
export class RefuseByTownshipCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:township-decide';
  constructor(
    applicationId: string,
    readonly request: { reasons: string },
    actor: AuthenticatedActor,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RefuseByTownshipCommand)
export class RefuseByTownshipHandler extends StepHandler<RefuseByTownshipCommand> {
  protected decision(c: RefuseByTownshipCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return { type: 'RefuseByTownship', reasons: c.request.reasons, actor, now };
  }
}

/** 报旗县区审批: above the township's limit, with its opinion and proposed amount. */
export class SubmitToCountyCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:submit';
  constructor(
    applicationId: string,
    readonly request: { proposedAmount: number; opinion: string },
    actor: AuthenticatedActor,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(SubmitToCountyCommand)
export class SubmitToCountyHandler extends StepHandler<SubmitToCountyCommand> {
  protected decision(c: SubmitToCountyCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return {
      type: 'SubmitToCounty',
      proposedAmount: c.request.proposedAmount,
      opinion: c.request.opinion,
      policy: policyHistories(this.ctx),
      actor,
      now,
    };
  }
}

/** 旗县区审批（批准）; an urgent application also before its materials are complete (绿色通道). */
export class ApproveByCountyCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:county-decide';
  constructor(
    applicationId: string,
    readonly request: { amount: number; opinion?: string; missingMaterials?: string[] },
    actor: AuthenticatedActor,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(ApproveByCountyCommand)
export class ApproveByCountyHandler extends StepHandler<ApproveByCountyCommand> {
  protected decision(c: ApproveByCountyCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return {
      type: 'ApproveByCounty',
      amount: c.request.amount,
      opinion: c.request.opinion ?? '',
      missingMaterials: c.request.missingMaterials,
      green: greenChannelPolicy(this.ctx),
      actor,
      now,
    };
  }
}

/** 旗县区不予救助. */
export class RefuseByCountyCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:county-decide';
  constructor(
    applicationId: string,
    readonly request: { reasons: string },
    actor: AuthenticatedActor,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RefuseByCountyCommand)
export class RefuseByCountyHandler extends StepHandler<RefuseByCountyCommand> {
  protected decision(c: RefuseByCountyCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return { type: 'RefuseByCounty', reasons: c.request.reasons, actor, now };
  }
}

/** 发放登记. */
export class RecordPaymentCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:pay';
  constructor(
    applicationId: string,
    readonly request: { paidOn: string; method: PaymentMethod },
    actor: AuthenticatedActor,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler extends StepHandler<RecordPaymentCommand> {
  protected decision(c: RecordPaymentCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return { type: 'RecordPayment', paidOn: c.request.paidOn, method: c.request.method, actor, now };
  }
}
