import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import { resolveCategory } from '../../domain/category-facts.js';
import { categoryOf, type PublicRentalState, type Unit } from '../../domain/public-rental.decider.js';
import {
  beijingDay,
  civilCategoryOf,
  countyOf,
  dayOrToday,
  HOUSING_ASSISTANCE,
  householdOf,
  housingTableOn,
  officerMetadata,
  officerOf,
  placeOf,
  type HousingContext,
} from '../housing-context.js';
import type { HouseholdRequest } from './renovation.js';

/** An application as it stands after a command, with what its place in line is read against. */
export interface WaitingListOutcome {
  applicationId: string;
  state: PublicRentalState;
  today: string;
  priorityCategories: string[];
}

function outcome(
  ctx: HousingContext,
  applicationId: string,
  state: PublicRentalState,
  now: Date,
): WaitingListOutcome {
  const today = beijingDay(now);
  return {
    applicationId,
    state,
    today,
    priorityCategories: housingTableOn(ctx, today).content.publicRental.priorityCategories,
  };
}

export interface JoinWaitingListRequest {
  household: HouseholdRequest;
  /** Where the household lives: a village or community of the county. */
  jurisdictionCode: string;
  category?: string;
  appliedOn: string;
}

/** 公租房轮候登记: the household joins its county's waiting list, with its category on the day it applied. */
export class JoinWaitingListCommand extends Command<WaitingListOutcome> {
  constructor(
    readonly countyCode: string,
    readonly request: JoinWaitingListRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(JoinWaitingListCommand)
export class JoinWaitingListHandler implements ICommandHandler<JoinWaitingListCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ countyCode, request, actor }: JoinWaitingListCommand): Promise<WaitingListOutcome> {
    const county = countyOf(this.ctx, actor, countyCode, 'public-rental:join');
    const home = placeOf(this.ctx, request.jurisdictionCode, 'jurisdictionCode', ['village'], '村（社区）');
    if (!this.ctx.authz.tree.contains(county.code, home.code)) {
      throw new DomainError(
        'OUTSIDE_POOL',
        `jurisdictionCode：${this.ctx.authz.tree.fullName(home.code)} 不在${county.name}，应登记在其所在旗县区的轮候名单`,
        422,
        { field: 'jurisdictionCode' },
      );
    }
    const now = this.ctx.now();
    const today = beijingDay(now);
    const household = householdOf(request.household);
    const appliedOn = dayOrToday(request.appliedOn, now);
    const category = resolveCategory(
      await civilCategoryOf(this.ctx, household.memberIdNumbers, appliedOn),
      request.category,
      appliedOn,
    );
    const applicationId = uuidv7(now.getTime());
    const officer = officerOf(actor);
    const metadata = officerMetadata(actor, now);
    let { state } = await this.ctx.waitingLists.handle(
      county.code,
      {
        type: 'JoinWaitingList',
        applicationId,
        household,
        jurisdictionCode: home.code,
        category,
        appliedOn: request.appliedOn,
        officer,
        now: now.toISOString(),
      },
      { metadata },
    );
    // Applied on a past day: a civil-affairs category that changed since is in force today too.
    const application = state.applications.find((a) => a.applicationId === applicationId);
    if (application && appliedOn < today) {
      const current = await civilCategoryOf(this.ctx, household.memberIdNumbers, today);
      const known = categoryOf(application, today);
      if (current && current !== known) {
        ({ state } = await this.ctx.waitingLists.handle(
          county.code,
          {
            type: 'ChangeCategory',
            factId: `joined:${applicationId}`,
            applicationId,
            category: current,
            effectiveFrom: today,
            source: '民政部门低保、特困认定（登记轮候时）',
            now: now.toISOString(),
          },
          { metadata },
        ));
      }
    }
    return outcome(this.ctx, applicationId, state, now);
  }
}

/** 配租: the unit goes to the household first in line on the day (priority categories of the table first). */
export class AllocateUnitCommand extends Command<WaitingListOutcome> {
  constructor(
    readonly countyCode: string,
    readonly applicationId: string,
    readonly request: { unit: Unit; allocatedOn: string; documentNumber: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(AllocateUnitCommand)
export class AllocateUnitHandler implements ICommandHandler<AllocateUnitCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({
    countyCode,
    applicationId,
    request,
    actor,
  }: AllocateUnitCommand): Promise<WaitingListOutcome> {
    const county = countyOf(this.ctx, actor, countyCode, 'public-rental:allocate');
    const now = this.ctx.now();
    const { state } = await this.ctx.waitingLists.handle(
      county.code,
      {
        type: 'AllocateUnit',
        applicationId,
        unit: request.unit,
        allocatedOn: request.allocatedOn,
        documentNumber: request.documentNumber,
        table: housingTableOn(this.ctx, dayOrToday(request.allocatedOn, now)),
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: officerMetadata(actor, now) },
    );
    return outcome(this.ctx, applicationId, state, now);
  }
}

/** 移出轮候名单, with the reason. */
export class RemoveFromWaitingListCommand extends Command<WaitingListOutcome> {
  constructor(
    readonly countyCode: string,
    readonly applicationId: string,
    readonly reason: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RemoveFromWaitingListCommand)
export class RemoveFromWaitingListHandler implements ICommandHandler<RemoveFromWaitingListCommand> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({
    countyCode,
    applicationId,
    reason,
    actor,
  }: RemoveFromWaitingListCommand): Promise<WaitingListOutcome> {
    const county = countyOf(this.ctx, actor, countyCode, 'public-rental:remove');
    const now = this.ctx.now();
    const { state } = await this.ctx.waitingLists.handle(
      county.code,
      { type: 'RemoveFromList', applicationId, reason, officer: officerOf(actor), now: now.toISOString() },
      { metadata: officerMetadata(actor, now) },
    );
    return outcome(this.ctx, applicationId, state, now);
  }
}
