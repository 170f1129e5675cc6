import { Inject } from '@nestjs/common';
import { Command, CommandHandler } from '@nestjs/cqrs';
import { Authorizer, eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { CLOCK, type Clock } from '@platform/config';
import { DomainError } from '@platform/contracts';
import type {
  Outcome,
  ReferralCommand,
  ReferralState,
  ReferralStatus,
} from '../../domain/referral.decider.js';
import { ReferralDesks, type ReferralDesk } from '../referral-desks.js';
import { visibleReferral } from '../queries/view-referral.js';
import { recountDeadlines } from './intake-referrals.js';

export interface ReferralActionResult {
  referralId: string;
  status: ReferralStatus;
}

/** An officer's action on a referral of their department, within their jurisdiction. */
abstract class OfficerAction extends Command<ReferralActionResult> {
  abstract readonly permission: string;

  constructor(
    readonly department: string,
    readonly referralId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/** Visible to the officer (404 / 403 otherwise) → decide → append: the same for every officer action. */
abstract class OfficerActionHandler<C extends OfficerAction> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(Authorizer) private readonly authz: Authorizer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The decider's command; it may depend on the referral as it stands (rebuilt on a retry). */
  protected abstract decision(
    command: C,
    now: string,
    state: ReferralState,
    desk: ReferralDesk,
  ): ReferralCommand;

  /** What the officer gets back. */
  protected result(command: C, state: ReferralState): ReferralActionResult {
    return { referralId: command.referralId, status: state.status };
  }

  async execute(command: C): Promise<ReferralActionResult> {
    const desk = this.desks.get(command.department);
    await visibleReferral(desk, this.authz, command.actor, command.referralId, command.permission);
    const now = this.clock.now();
    const { state } = await desk.referrals.handle(
      command.referralId,
      (current) => this.decision(command, now.toISOString(), current, desk),
      { metadata: eventMetadata(command.actor, { now }) },
    );
    return this.result(command, state);
  }
}

export class AcknowledgeReferralCommand extends OfficerAction {
  readonly permission = 'referrals:acknowledge';
}

@CommandHandler(AcknowledgeReferralCommand)
export class AcknowledgeReferralHandler extends OfficerActionHandler<AcknowledgeReferralCommand> {
  protected decision(c: AcknowledgeReferralCommand, now: string): ReferralCommand {
    return { type: 'AcknowledgeReferral', officer: c.actor, now };
  }
}

export class AcceptReferralCommand extends OfficerAction {
  readonly permission = 'referrals:accept';
}

@CommandHandler(AcceptReferralCommand)
export class AcceptReferralHandler extends OfficerActionHandler<AcceptReferralCommand> {
  protected decision(c: AcceptReferralCommand, now: string): ReferralCommand {
    return { type: 'AcceptReferral', officer: c.actor, now };
  }
}

export class DeclineReferralCommand extends OfficerAction {
  readonly permission = 'referrals:decline';

  constructor(
    department: string,
    referralId: string,
    actor: AuthenticatedActor,
    readonly reason: string,
  ) {
    super(department, referralId, actor);
  }
}

@CommandHandler(DeclineReferralCommand)
export class DeclineReferralHandler extends OfficerActionHandler<DeclineReferralCommand> {
  protected decision(c: DeclineReferralCommand, now: string): ReferralCommand {
    return { type: 'DeclineReferral', officer: c.actor, reason: c.reason, now };
  }
}

export class NoteReferralProgressCommand extends OfficerAction {
  readonly permission = 'referrals:progress';

  constructor(
    department: string,
    referralId: string,
    actor: AuthenticatedActor,
    readonly note: string,
  ) {
    super(department, referralId, actor);
  }
}

@CommandHandler(NoteReferralProgressCommand)
export class NoteReferralProgressHandler extends OfficerActionHandler<NoteReferralProgressCommand> {
  protected decision(c: NoteReferralProgressCommand, now: string): ReferralCommand {
    return { type: 'NoteProgress', officer: c.actor, note: c.note, now };
  }
}

export class CompleteReferralCommand extends OfficerAction {
  readonly permission = 'referrals:complete';

  constructor(
    department: string,
    referralId: string,
    actor: AuthenticatedActor,
    readonly outcome: Outcome,
    readonly amount: number | null,
    readonly service: string | null,
    readonly reason: string | null,
  ) {
    super(department, referralId, actor);
  }
}

@CommandHandler(CompleteReferralCommand)
export class CompleteReferralHandler extends OfficerActionHandler<CompleteReferralCommand> {
  protected decision(c: CompleteReferralCommand, now: string): ReferralCommand {
    return {
      type: 'CompleteReferral',
      officer: c.actor,
      outcome: c.outcome,
      amount: c.amount,
      service: c.service,
      reason: c.reason,
      now,
    };
  }
}

export class ReopenReferralCommand extends OfficerAction {
  readonly permission = 'referrals:reopen';

  constructor(
    department: string,
    referralId: string,
    actor: AuthenticatedActor,
    readonly note: string,
  ) {
    super(department, referralId, actor);
  }
}

@CommandHandler(ReopenReferralCommand)
export class ReopenReferralHandler extends OfficerActionHandler<ReopenReferralCommand> {
  protected decision(c: ReopenReferralCommand, now: string): ReferralCommand {
    return { type: 'ReopenReferral', officer: c.actor, note: c.note, now };
  }
}

/**
 * The need belongs to another department on the platform: the desk closes the referral with a reason,
 * and intake issues it to that department (the window sees the transfer; no round trip through it).
 */
export class TransferReferralCommand extends OfficerAction {
  readonly permission = 'referrals:transfer';

  constructor(
    department: string,
    referralId: string,
    actor: AuthenticatedActor,
    readonly toDepartment: string,
    readonly reason: string,
  ) {
    super(department, referralId, actor);
  }
}

@CommandHandler(TransferReferralCommand)
export class TransferReferralHandler extends OfficerActionHandler<TransferReferralCommand> {
  protected decision(c: TransferReferralCommand, now: string): ReferralCommand {
    return {
      type: 'TransferReferral',
      officer: c.actor,
      department: c.department,
      toDepartment: c.toDepartment,
      reason: c.reason,
      now,
    };
  }

  protected override result(c: TransferReferralCommand, state: ReferralState) {
    return { referralId: c.referralId, status: state.status, toDepartment: c.toDepartment };
  }
}

/**
 * An administrator re-bases a running referral's deadlines on the calendar as it stands now, with a
 * reason (e.g. a holiday schedule corrected after the deadline was set): the old values stay in the event.
 */
export class RebaseReferralDeadlinesCommand extends OfficerAction {
  readonly permission = 'referrals:rebase-deadlines';

  constructor(
    department: string,
    referralId: string,
    actor: AuthenticatedActor,
    readonly reason: string,
  ) {
    super(department, referralId, actor);
  }
}

@CommandHandler(RebaseReferralDeadlinesCommand)
export class RebaseReferralDeadlinesHandler extends OfficerActionHandler<RebaseReferralDeadlinesCommand> {
  protected decision(
    c: RebaseReferralDeadlinesCommand,
    now: string,
    state: ReferralState,
    desk: ReferralDesk,
  ): ReferralCommand {
    const command = recountDeadlines(desk, state, new Date(now), () => c.reason);
    if (!command) throw new DomainError('REFERRAL_NOT_FOUND', '转办事项不存在', 404);
    return command;
  }

  protected override result(c: RebaseReferralDeadlinesCommand, state: ReferralState) {
    return { referralId: c.referralId, status: state.status, decideBy: state.decideBy };
  }
}
