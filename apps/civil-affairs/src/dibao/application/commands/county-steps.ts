import { CommandHandler } from '@nestjs/cqrs';
import type { AuthenticatedActor } from '@platform/auth';
import type {
  DibaoCommand,
  DibaoState,
  ObjectionNext,
  ObjectionResult,
  RecheckConclusion,
  Recommendation,
  SpotCheckRecord,
} from '../../domain/dibao-application.decider.js';
import { workingDaysFrom } from '../../domain/deadlines.js';
import { officerOf } from '../dibao-context.js';
import { DibaoOfficerCommand, DibaoOfficerHandler } from './officer-step.js';

/** 经办人员及近亲属备案: the county records the filing a staff-relative application needs before approval. */
export class RecordStaffRelativeFilingCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:staff-relative-filing';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly note: string,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordStaffRelativeFilingCommand)
export class RecordStaffRelativeFilingHandler extends DibaoOfficerHandler<RecordStaffRelativeFilingCommand> {
  protected decision(c: RecordStaffRelativeFilingCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'RecordStaffRelativeFiling',
      note: c.note,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** 审批 — document review: the county's opinion on the township's submission. */
export class RecordCountyReviewCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:county-review';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly recommendation: Recommendation,
    readonly opinion: string,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordCountyReviewCommand)
export class RecordCountyReviewHandler extends DibaoOfficerHandler<RecordCountyReviewCommand> {
  protected decision(c: RecordCountyReviewCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'RecordCountyReview',
      recommendation: c.recommendation,
      opinion: c.opinion,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** 入户抽查: the county's home visit of a sampled (or staff-relative) application. */
export class RecordSpotCheckCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:spot-check';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly spotCheck: SpotCheckRecord,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordSpotCheckCommand)
export class RecordSpotCheckHandler extends DibaoOfficerHandler<RecordSpotCheckCommand> {
  protected decision(c: RecordSpotCheckCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'RecordSpotCheck',
      spotCheck: c.spotCheck,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** The county's decision on an objection: upheld (back to the township, or refusal) or dismissed. */
export class DecideObjectionCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:objections';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly objectionId: string,
    readonly result: ObjectionResult,
    readonly next: ObjectionNext | null,
    readonly opinion: string,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(DecideObjectionCommand)
export class DecideObjectionHandler extends DibaoOfficerHandler<DecideObjectionCommand> {
  protected decision(c: DecideObjectionCommand, _s: DibaoState, now: Date): DibaoCommand {
    const calendar = this.ctx.policy.asOf('calendar', now).content;
    return {
      type: 'DecideObjection',
      objectionId: c.objectionId,
      result: c.result,
      next: c.next,
      opinion: c.opinion,
      townshipReviewDeadline: workingDaysFrom(now, this.ctx.rules.townshipReviewWorkingDays, calendar),
      countyDeadline: workingDaysFrom(now, this.ctx.rules.countyDecisionWorkingDays, calendar),
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** 复查: the periodic re-examination of a recipient household (township or county), with its conclusion. */
export class RecordRecheckCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:recheck';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly date: string,
    readonly findings: string,
    readonly conclusion: RecheckConclusion,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordRecheckCommand)
export class RecordRecheckHandler extends DibaoOfficerHandler<RecordRecheckCommand> {
  protected decision(c: RecordRecheckCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'RecordRecheck',
      date: c.date,
      findings: c.findings,
      conclusion: c.conclusion,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}
