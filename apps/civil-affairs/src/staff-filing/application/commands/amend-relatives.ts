import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Authorizer, eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type { Relationship, StaffFilingState } from '../../domain/staff-filing.decider.js';
import { actorRef, assertResidentId, filingFor, STAFF_FILINGS, type StaffFilings } from '../staff-filings.js';

export interface AmendRelativesRequest {
  add?: Array<{ name: string; idNumber: string; relationship: Relationship }>;
  remove?: string[];
  reason: string;
}

/** 变更近亲属: relatives added to or taken off a filing in force, with the reason. */
export class AmendRelativesCommand extends Command<StaffFilingState> {
  constructor(
    readonly filingId: string,
    readonly request: AmendRelativesRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(AmendRelativesCommand)
export class AmendRelativesHandler implements ICommandHandler<AmendRelativesCommand> {
  constructor(
    @Inject(STAFF_FILINGS) private readonly ctx: StaffFilings,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ filingId, request, actor }: AmendRelativesCommand): Promise<StaffFilingState> {
    await filingFor(this.ctx, this.authz, actor, filingId, 'staff-filings:amend');
    const now = this.ctx.now();
    const add = request.add ?? [];
    add.forEach((r, i) => assertResidentId(r.idNumber, `add[${i}].idNumber`, now));
    const { state } = await this.ctx.filings.handle(
      filingId,
      {
        type: 'AmendRelatives',
        add,
        remove: request.remove ?? [],
        reason: request.reason,
        actor: actorRef(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}
