import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import {
  beijingDay,
  type CoordinationCommand,
  type CoordinationState,
  type Officer,
} from '../../domain/coordination.decider.js';
import { COORDINATION, itemFor, officerOf, type CoordinationContext } from '../coordination-context.js';

export interface OpenItemRequest {
  caseId: string;
  caseNumber: string;
  need: string;
  departments: string[];
  villageCode: string;
}

/** 一事一议立项: county civil affairs brings a case no single department can solve to the joint meeting. */
export class OpenCoordinationItemCommand extends Command<CoordinationState> {
  constructor(
    readonly request: OpenItemRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(OpenCoordinationItemCommand)
export class OpenCoordinationItemHandler implements ICommandHandler<OpenCoordinationItemCommand> {
  constructor(@Inject(COORDINATION) private readonly ctx: CoordinationContext) {}

  async execute({ request, actor }: OpenCoordinationItemCommand): Promise<CoordinationState> {
    const tree = this.ctx.tree();
    const village = tree.get(request.villageCode);
    const township = village && tree.at(village.code, 'township');
    const county = village && tree.at(village.code, 'county');
    if (!village || village.level !== 'village' || !township || !county) {
      throw new DomainError(
        'UNKNOWN_VILLAGE',
        `villageCode：${request.villageCode} 不是已登记的村（社区）`,
        422,
        { field: 'villageCode' },
      );
    }
    this.ctx.authz.assertWithin(actor, village.code, 'coordination:open');
    const now = this.ctx.now();
    const itemId = uuidv7(now.getTime());
    const { state } = await this.ctx.items.handle(
      itemId,
      {
        type: 'OpenItem',
        itemId,
        caseId: request.caseId,
        caseNumber: request.caseNumber,
        need: request.need,
        departments: request.departments,
        place: { villageCode: village.code, townshipCode: township.code, countyCode: county.code },
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), isNew: true },
    );
    return state;
  }
}

/** A step on an item of the officer's jurisdiction. */
export abstract class CoordinationStepCommand extends Command<CoordinationState> {
  abstract readonly permission: string;

  constructor(
    readonly itemId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/** Visible to the officer (404 / 403 otherwise) → decide on the current state → append. */
abstract class StepHandler<C extends CoordinationStepCommand> {
  constructor(@Inject(COORDINATION) protected readonly ctx: CoordinationContext) {}

  protected abstract decision(command: C, officer: Officer, now: Date): CoordinationCommand;

  async execute(command: C): Promise<CoordinationState> {
    const known = await itemFor(this.ctx, command.actor, command.itemId, command.permission);
    const now = this.ctx.now();
    const { state } = await this.ctx.items.handle(
      command.itemId,
      this.decision(command, officerOf(command.actor), now),
      { metadata: eventMetadata(command.actor, { now }), known },
    );
    return state;
  }
}

export interface MeetingRequest {
  heldOn: string;
  departments: string[];
  minutes: string;
  decisions: Array<{ text: string; ownerDepartment: string; dueOn: string }>;
}

/** 联席会议纪要: the day, the departments present, the minutes and the decisions with owner and deadline. */
export class RecordCoordinationMeetingCommand extends CoordinationStepCommand {
  readonly permission = 'coordination:meeting';
  constructor(
    itemId: string,
    readonly request: MeetingRequest,
    actor: AuthenticatedActor,
  ) {
    super(itemId, actor);
  }
}

@CommandHandler(RecordCoordinationMeetingCommand)
export class RecordCoordinationMeetingHandler extends StepHandler<RecordCoordinationMeetingCommand> {
  protected decision(c: RecordCoordinationMeetingCommand, actor: Officer, now: Date): CoordinationCommand {
    const ms = now.getTime();
    return {
      type: 'RecordMeeting',
      meetingId: uuidv7(ms),
      heldOn: c.request.heldOn,
      departments: c.request.departments,
      minutes: c.request.minutes,
      decisions: (c.request.decisions ?? []).map((d) => ({ ...d, decisionId: uuidv7(ms) })),
      actor,
      now: now.toISOString(),
    };
  }
}

/** 跟进情况. */
export class AddCoordinationFollowUpCommand extends CoordinationStepCommand {
  readonly permission = 'coordination:follow-up';
  constructor(
    itemId: string,
    readonly request: { note: string },
    actor: AuthenticatedActor,
  ) {
    super(itemId, actor);
  }
}

@CommandHandler(AddCoordinationFollowUpCommand)
export class AddCoordinationFollowUpHandler extends StepHandler<AddCoordinationFollowUpCommand> {
  protected decision(c: AddCoordinationFollowUpCommand, actor: Officer, now: Date): CoordinationCommand {
    return { type: 'AddFollowUp', note: c.request.note, actor, now: now.toISOString() };
  }
}

/** 议定事项办结: by an officer of the department that owns the decision. */
export class MarkCoordinationDecisionDoneCommand extends CoordinationStepCommand {
  readonly permission = 'coordination:decision-done';
  constructor(
    itemId: string,
    readonly decisionId: string,
    readonly request: { result: string },
    actor: AuthenticatedActor,
  ) {
    super(itemId, actor);
  }
}

@CommandHandler(MarkCoordinationDecisionDoneCommand)
export class MarkCoordinationDecisionDoneHandler extends StepHandler<MarkCoordinationDecisionDoneCommand> {
  protected decision(c: MarkCoordinationDecisionDoneCommand, actor: Officer, now: Date): CoordinationCommand {
    return {
      type: 'MarkDecisionDone',
      decisionId: c.decisionId,
      result: c.request.result,
      actor,
      now: now.toISOString(),
    };
  }
}

/** 办结: when every decision is done, or earlier with the county's reason. */
export class CloseCoordinationItemCommand extends CoordinationStepCommand {
  readonly permission = 'coordination:close';
  constructor(
    itemId: string,
    readonly request: { reason?: string },
    actor: AuthenticatedActor,
  ) {
    super(itemId, actor);
  }
}

@CommandHandler(CloseCoordinationItemCommand)
export class CloseCoordinationItemHandler extends StepHandler<CloseCoordinationItemCommand> {
  protected decision(c: CloseCoordinationItemCommand, actor: Officer, now: Date): CoordinationCommand {
    return { type: 'CloseItem', reason: c.request.reason ?? '', actor, now: now.toISOString() };
  }
}

/** The overdue watch: each decision still open after its deadline flagged once. Returns the items touched. */
export class FlagOverdueCoordinationDecisionsCommand extends Command<number> {}

@CommandHandler(FlagOverdueCoordinationDecisionsCommand)
export class FlagOverdueCoordinationDecisionsHandler implements ICommandHandler<FlagOverdueCoordinationDecisionsCommand> {
  constructor(@Inject(COORDINATION) private readonly ctx: CoordinationContext) {}

  async execute(): Promise<number> {
    const now = this.ctx.now();
    let flagged = 0;
    for (const id of await this.ctx.query.dueForOverdue(beijingDay(now.toISOString()))) {
      const { events } = await this.ctx.items.handle(
        id,
        { type: 'FlagOverdueDecisions', now: now.toISOString() },
        { metadata: eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now }) },
      );
      if (events.length > 0) flagged++;
    }
    return flagged;
  }
}
