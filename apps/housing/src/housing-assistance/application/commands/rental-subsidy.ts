import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import { resolveCategory } from '../../domain/category-facts.js';
import type { RentalSubsidyState } from '../../domain/rental-subsidy.decider.js';
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
  subsidyFor,
  type HousingContext,
} from '../housing-context.js';
import type { HouseholdRequest } from './renovation.js';

export interface GrantRentalSubsidyRequest {
  household: HouseholdRequest;
  jurisdictionCode: string;
  category?: string;
  firstMonth: string;
  documentNumber: string;
}

/** 批准租赁补贴: monthly by household size from the table in force today; reviewed every interval. */
export class GrantRentalSubsidyCommand extends Command<RentalSubsidyState> {
  constructor(
    readonly request: GrantRentalSubsidyRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(GrantRentalSubsidyCommand)
export class GrantRentalSubsidyHandler implements ICommandHandler<GrantRentalSubsidyCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ request, actor }: GrantRentalSubsidyCommand): Promise<RentalSubsidyState> {
    const home = placeOf(this.ctx, request.jurisdictionCode, 'jurisdictionCode', ['village'], '村（社区）');
    assertMay(this.ctx, actor, home.code, 'rental-subsidy:grant');
    const now = this.ctx.now();
    const today = beijingDay(now);
    const household = householdOf(request.household);
    const category = resolveCategory(
      await civilCategoryOf(this.ctx, household.memberIdNumbers, today),
      request.category,
      today,
    );
    const grantId = uuidv7(now.getTime());
    const { state } = await this.ctx.subsidies.handle(
      grantId,
      {
        type: 'GrantRentalSubsidy',
        grantId,
        household,
        jurisdictionCode: home.code,
        category,
        firstMonth: request.firstMonth,
        documentNumber: request.documentNumber,
        table: housingTableOn(this.ctx, today),
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: officerMetadata(actor, now), isNew: true },
    );
    return state;
  }
}

/** 发放: one month, at the table version in force on its first day for the household size then. */
export class DisburseRentalSubsidyCommand extends Command<RentalSubsidyState> {
  constructor(
    readonly grantId: string,
    readonly request: { month: string; paymentReference: string; paidOn: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(DisburseRentalSubsidyCommand)
export class DisburseRentalSubsidyHandler implements ICommandHandler<DisburseRentalSubsidyCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ grantId, request, actor }: DisburseRentalSubsidyCommand): Promise<RentalSubsidyState> {
    await subsidyFor(this.ctx, actor, grantId, 'rental-subsidy:pay');
    const now = this.ctx.now();
    const firstDay = /^\d{4}-(0[1-9]|1[0-2])$/.test(request.month) ? `${request.month}-01` : beijingDay(now);
    const { state } = await this.ctx.subsidies.handle(
      grantId,
      {
        type: 'DisburseMonth',
        ...request,
        table: housingTableOn(this.ctx, firstDay),
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: officerMetadata(actor, now) },
    );
    return state;
  }
}

export interface RecordSubsidyReviewRequest {
  reviewedOn: string;
  passed: boolean;
  findings: string;
  household: HouseholdRequest;
  category?: string;
}

/** 定期复核: passed (the household as found, next review due) or failed (the subsidy stops). */
export class RecordSubsidyReviewCommand extends Command<RentalSubsidyState> {
  constructor(
    readonly grantId: string,
    readonly request: RecordSubsidyReviewRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordSubsidyReviewCommand)
export class RecordSubsidyReviewHandler implements ICommandHandler<RecordSubsidyReviewCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ grantId, request, actor }: RecordSubsidyReviewCommand): Promise<RentalSubsidyState> {
    await subsidyFor(this.ctx, actor, grantId, 'rental-subsidy:review');
    const now = this.ctx.now();
    const household = householdOf(request.household);
    const day = dayOrToday(request.reviewedOn, now);
    const category = resolveCategory(
      await civilCategoryOf(this.ctx, household.memberIdNumbers, day),
      request.category,
      day,
    );
    const { state } = await this.ctx.subsidies.handle(
      grantId,
      {
        type: 'RecordReview',
        reviewedOn: request.reviewedOn,
        passed: request.passed,
        findings: request.findings,
        household,
        category,
        table: housingTableOn(this.ctx, day),
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: officerMetadata(actor, now) },
    );
    return state;
  }
}

/** 停发, from a month, with the reason. */
export class StopRentalSubsidyCommand extends Command<RentalSubsidyState> {
  constructor(
    readonly grantId: string,
    readonly request: { reason: string; stoppedFrom: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(StopRentalSubsidyCommand)
export class StopRentalSubsidyHandler implements ICommandHandler<StopRentalSubsidyCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ grantId, request, actor }: StopRentalSubsidyCommand): Promise<RentalSubsidyState> {
    await subsidyFor(this.ctx, actor, grantId, 'rental-subsidy:stop');
    const now = this.ctx.now();
    const { state } = await this.ctx.subsidies.handle(
      grantId,
      { type: 'StopSubsidy', ...request, officer: officerOf(actor), now: now.toISOString() },
      { metadata: officerMetadata(actor, now) },
    );
    return state;
  }
}
