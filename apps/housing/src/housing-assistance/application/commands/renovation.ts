import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import { resolveCategory } from '../../domain/category-facts.js';
import type { Officer } from '../../domain/values.js';
import type {
  Appraisal,
  HouseRenovationCommand,
  HouseRenovationState,
} from '../../domain/house-renovation.decider.js';
import {
  assertMay,
  beijingDay,
  civilCategoryOf,
  dayOrToday,
  HOUSING_ASSISTANCE,
  householdOf,
  housingTableOn,
  officerMetadata,
  officerOf,
  placeOf,
  renovationFor,
  type HousingContext,
} from '../housing-context.js';

export interface HouseholdRequest {
  headName: string;
  headIdNumber: string;
  memberIdNumbers: string[];
}

export interface RecordAppraisalRequest {
  household: HouseholdRequest;
  villageCode: string;
  address: string;
  /** Declared by the officer when civil affairs has no dibao or special-hardship fact for the household. */
  category?: string;
  appraisal: Appraisal;
}

/** 危房鉴定: a project opens with the appraisal; A and B grades (and ineligible households) are refused with it. */
export class RecordAppraisalCommand extends Command<HouseRenovationState> {
  constructor(
    readonly request: RecordAppraisalRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordAppraisalCommand)
export class RecordAppraisalHandler implements ICommandHandler<RecordAppraisalCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ request, actor }: RecordAppraisalCommand): Promise<HouseRenovationState> {
    const permission = 'house-renovation:appraise';
    const village = placeOf(this.ctx, request.villageCode, 'villageCode', ['village'], '村（嘎查、社区）');
    assertMay(this.ctx, actor, village.code, permission);
    const now = this.ctx.now();
    const household = householdOf(request.household);
    const day = dayOrToday(request.appraisal?.appraisedOn, now);
    const category = resolveCategory(
      await civilCategoryOf(this.ctx, household.memberIdNumbers, day),
      request.category,
      day,
    );
    const projectId = uuidv7(now.getTime());
    const { state } = await this.ctx.renovations.handle(
      projectId,
      {
        type: 'RecordAppraisal',
        projectId,
        household,
        villageCode: village.code,
        address: request.address,
        category,
        appraisal: request.appraisal,
        table: housingTableOn(this.ctx, day),
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: officerMetadata(actor, now), isNew: true },
    );
    return state;
  }
}

/** An officer's step on a project of their jurisdiction. */
export abstract class RenovationStepCommand extends Command<HouseRenovationState> {
  abstract readonly permission: string;

  constructor(
    readonly projectId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/** Visible to the officer (404 / 403 otherwise) → decide on the current state → append: every step alike. */
abstract class RenovationStepHandler<C extends RenovationStepCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) protected readonly ctx: HousingContext) {}

  protected abstract decision(
    command: C,
    base: { officer: Officer; now: string },
    now: Date,
  ): HouseRenovationCommand;

  async execute(command: C): Promise<HouseRenovationState> {
    await renovationFor(this.ctx, command.actor, command.projectId, command.permission);
    const now = this.ctx.now();
    const { state } = await this.ctx.renovations.handle(
      command.projectId,
      this.decision(command, { officer: officerOf(command.actor), now: now.toISOString() }, now),
      { metadata: officerMetadata(command.actor, now) },
    );
    return state;
  }
}

/** 批准改造: the subsidy of the appraised grade, from the table in force on the day of approval. */
export class ApproveRenovationCommand extends RenovationStepCommand {
  readonly permission = 'house-renovation:approve';
  constructor(
    projectId: string,
    actor: AuthenticatedActor,
    readonly documentNumber: string,
  ) {
    super(projectId, actor);
  }
}

@CommandHandler(ApproveRenovationCommand)
export class ApproveRenovationHandler
  extends RenovationStepHandler<ApproveRenovationCommand>
  implements ICommandHandler<ApproveRenovationCommand>
{
  protected decision(c: ApproveRenovationCommand, base: { officer: Officer; now: string }, now: Date) {
    return {
      type: 'ApproveRenovation' as const,
      documentNumber: c.documentNumber,
      table: housingTableOn(this.ctx, beijingDay(now)),
      ...base,
    };
  }
}

/** 开工. */
export class StartWorksCommand extends RenovationStepCommand {
  readonly permission = 'house-renovation:works';
  constructor(
    projectId: string,
    actor: AuthenticatedActor,
    readonly startedOn: string,
  ) {
    super(projectId, actor);
  }
}

@CommandHandler(StartWorksCommand)
export class StartWorksHandler
  extends RenovationStepHandler<StartWorksCommand>
  implements ICommandHandler<StartWorksCommand>
{
  protected decision(c: StartWorksCommand, base: { officer: Officer; now: string }) {
    return { type: 'StartWorks' as const, startedOn: c.startedOn, ...base };
  }
}

/** 竣工 (or rectification finished after a failed inspection). */
export class CompleteWorksCommand extends RenovationStepCommand {
  readonly permission = 'house-renovation:works';
  constructor(
    projectId: string,
    actor: AuthenticatedActor,
    readonly completedOn: string,
  ) {
    super(projectId, actor);
  }
}

@CommandHandler(CompleteWorksCommand)
export class CompleteWorksHandler
  extends RenovationStepHandler<CompleteWorksCommand>
  implements ICommandHandler<CompleteWorksCommand>
{
  protected decision(c: CompleteWorksCommand, base: { officer: Officer; now: string }) {
    return { type: 'CompleteWorks' as const, completedOn: c.completedOn, ...base };
  }
}

/** 竣工验收: passed, or back to rectification. */
export class RecordAcceptanceCommand extends RenovationStepCommand {
  readonly permission = 'house-renovation:accept';
  constructor(
    projectId: string,
    actor: AuthenticatedActor,
    readonly inspection: { inspectedOn: string; passed: boolean; inspectors: string[]; findings: string },
  ) {
    super(projectId, actor);
  }
}

@CommandHandler(RecordAcceptanceCommand)
export class RecordAcceptanceHandler
  extends RenovationStepHandler<RecordAcceptanceCommand>
  implements ICommandHandler<RecordAcceptanceCommand>
{
  protected decision(c: RecordAcceptanceCommand, base: { officer: Officer; now: string }) {
    return { type: 'RecordAcceptance' as const, ...c.inspection, ...base };
  }
}

/** 拨付补助: the subsidy approved, once, after a passed inspection. */
export class PayRenovationSubsidyCommand extends RenovationStepCommand {
  readonly permission = 'house-renovation:pay';
  constructor(
    projectId: string,
    actor: AuthenticatedActor,
    readonly payment: { paymentReference: string; paidOn: string },
  ) {
    super(projectId, actor);
  }
}

@CommandHandler(PayRenovationSubsidyCommand)
export class PayRenovationSubsidyHandler
  extends RenovationStepHandler<PayRenovationSubsidyCommand>
  implements ICommandHandler<PayRenovationSubsidyCommand>
{
  protected decision(c: PayRenovationSubsidyCommand, base: { officer: Officer; now: string }) {
    return { type: 'PaySubsidy' as const, ...c.payment, ...base };
  }
}
