import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Authorizer, eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type { StaffFilingState } from '../../domain/staff-filing.decider.js';
import { actorRef, filingFor, STAFF_FILINGS, type StaffFilings } from '../staff-filings.js';

/** 注销备案: the staff member or cadre left the post; nobody on the filing is flagged any more. */
export class RetireFilingCommand extends Command<StaffFilingState> {
  constructor(
    readonly filingId: string,
    readonly request: { reason: string; leftOn: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RetireFilingCommand)
export class RetireFilingHandler implements ICommandHandler<RetireFilingCommand> {
  constructor(
    @Inject(STAFF_FILINGS) private readonly ctx: StaffFilings,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ filingId, request, actor }: RetireFilingCommand): Promise<StaffFilingState> {
    await filingFor(this.ctx, this.authz, actor, filingId, 'staff-filings:retire');
    const now = this.ctx.now();
    const { state } = await this.ctx.filings.handle(
      filingId,
      {
        type: 'RetireFiling',
        reason: request.reason,
        leftOn: request.leftOn,
        actor: actorRef(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}
