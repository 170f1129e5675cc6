import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { DEPARTMENT_NAMES_ZH, eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { EXTERNAL_DEPARTMENTS } from '../../../verification/domain/answer-file.js';
import { summariseAnswer } from '../../../verification/domain/answer-summary.js';
import { currentAnswers, pendingDepartments } from '../../../verification/domain/verification.decider.js';
import {
  foldVerification,
  verificationStream,
} from '../../../verification/read-model/verification.projection.js';
import type {
  AppraisalRecord,
  DibaoCommand,
  DibaoState,
  InvestigationRecord,
  NoticeKind,
  Recommendation,
  SampleRecord,
  StaffMatch,
} from '../../domain/dibao-application.decider.js';
import { beijingDay, workingDaysFrom } from '../../domain/deadlines.js';
import { samplingKey } from '../../domain/spot-check.sampler.js';
import { applicationFor, DIBAO, inTransaction, officerOf, type DibaoContext } from '../dibao-context.js';
import { DibaoOfficerCommand, DibaoOfficerHandler } from './officer-step.js';

/** 开始入户调查: the township takes the application up (the referral is acknowledged). */
export class StartInvestigationCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:investigate';
}

@CommandHandler(StartInvestigationCommand)
export class StartInvestigationHandler extends DibaoOfficerHandler<StartInvestigationCommand> {
  protected decision(c: StartInvestigationCommand, _s: DibaoState, now: Date): DibaoCommand {
    return { type: 'StartInvestigation', officer: officerOf(c.actor), now: now.toISOString() };
  }
}

/** 入户调查记录: by ≥ 2 investigators, confirmed by them and the applicant; every member matched again. */
export class RecordInvestigationCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:investigate';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly investigation: InvestigationRecord,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordInvestigationCommand)
export class RecordInvestigationHandler extends DibaoOfficerHandler<
  RecordInvestigationCommand,
  StaffMatch[]
> {
  protected override prepare(c: RecordInvestigationCommand): Promise<StaffMatch[]> {
    return this.ctx.registry.match(c.investigation.household.map((m) => m.idNumber));
  }

  protected decision(
    c: RecordInvestigationCommand,
    _s: DibaoState,
    now: Date,
    matches: StaffMatch[],
  ): DibaoCommand {
    return {
      type: 'RecordInvestigation',
      investigation: c.investigation,
      staffMatches: matches,
      rules: this.ctx.rules,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** 家庭经济状况核对: the result recorded by hand, per department, until the automated check exists. */
export class RecordVerificationCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:verify';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly findings: Array<{ department: string; findings: string }>,
    readonly conclusion: string,
    /** The verification over the platform the result rests on; its answers become the findings. */
    readonly verificationId: string | null = null,
  ) {
    super(applicationId, actor);
  }
}

type VerificationBasis = Extract<DibaoCommand, { type: 'RecordVerification' }>['verification'];

@CommandHandler(RecordVerificationCommand)
export class RecordVerificationHandler extends DibaoOfficerHandler<
  RecordVerificationCommand,
  VerificationBasis
> {
  /** The verification's report as it stands: who is still silent, one line per answer. */
  protected override async prepare(c: RecordVerificationCommand): Promise<VerificationBasis> {
    if (!c.verificationId) return null;
    const state = foldVerification(await this.ctx.store.readStream(verificationStream(c.verificationId)));
    if (state.status === 'none') {
      throw new DomainError('VERIFICATION_NOT_FOUND', 'verificationId：核对请求不存在', 404, {
        field: 'verificationId',
      });
    }
    const name = (d: string) => DEPARTMENT_NAMES_ZH[d] ?? EXTERNAL_DEPARTMENTS[d] ?? d;
    const findings = [...currentAnswers(state)].map(([department, a]) => ({
      department: name(department),
      findings: summariseAnswer(department, a.answer),
    }));
    for (const d of state.overdue.filter((x) => !currentAnswers(state).has(x))) {
      findings.push({ department: name(d), findings: '逾期未回复' });
    }
    return {
      verificationId: c.verificationId,
      applicationId: state.details!.applicationId,
      silent: pendingDepartments(state)
        .filter((d) => !state.overdue.includes(d))
        .map(name),
      findings,
    };
  }

  protected decision(
    c: RecordVerificationCommand,
    _s: DibaoState,
    now: Date,
    verification: VerificationBasis,
  ): DibaoCommand {
    return {
      type: 'RecordVerification',
      findings: c.findings,
      conclusion: c.conclusion,
      verification,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** 民主评议: valid with 2/3 of those due attending, passed with 2/3 of attendees agreeing. */
export class RecordAppraisalCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:appraise';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly appraisal: AppraisalRecord,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordAppraisalCommand)
export class RecordAppraisalHandler extends DibaoOfficerHandler<RecordAppraisalCommand> {
  protected decision(c: RecordAppraisalCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'RecordAppraisal',
      appraisal: c.appraisal,
      rules: this.ctx.rules,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** The township decides not to hold a democratic appraisal, with its reason. */
export class SkipAppraisalCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:appraise';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly reason: string,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(SkipAppraisalCommand)
export class SkipAppraisalHandler extends DibaoOfficerHandler<SkipAppraisalCommand> {
  protected decision(c: SkipAppraisalCommand, _s: DibaoState, now: Date): DibaoCommand {
    return { type: 'SkipAppraisal', reason: c.reason, officer: officerOf(c.actor), now: now.toISOString() };
  }
}

/** 乡镇（街道）审核意见. */
export class RecordTownshipReviewCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:township-review';

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly recommendation: Recommendation,
    readonly opinion: string,
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(RecordTownshipReviewCommand)
export class RecordTownshipReviewHandler extends DibaoOfficerHandler<RecordTownshipReviewCommand> {
  protected decision(c: RecordTownshipReviewCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'RecordTownshipReview',
      recommendation: c.recommendation,
      opinion: c.opinion,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** Extends the township review or the county decision once, by the rules' working days, with a reason. */
export class ExtendDibaoDeadlineCommand extends DibaoOfficerCommand {
  readonly permission: string;

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly step: 'township_review' | 'county_decision',
    readonly reason: string,
  ) {
    super(applicationId, actor);
    this.permission = step === 'township_review' ? 'dibao:township-review' : 'dibao:county-review';
  }
}

@CommandHandler(ExtendDibaoDeadlineCommand)
export class ExtendDibaoDeadlineHandler extends DibaoOfficerHandler<ExtendDibaoDeadlineCommand> {
  protected decision(c: ExtendDibaoDeadlineCommand, s: DibaoState, now: Date): DibaoCommand {
    const calendar = this.ctx.policy.asOf('calendar', now).content;
    const days =
      c.step === 'township_review'
        ? this.ctx.rules.townshipReviewExtensionWorkingDays
        : this.ctx.rules.countyDecisionExtensionWorkingDays;
    const current = s.deadlines[c.step];
    return {
      type: 'ExtendDeadline',
      step: c.step,
      reason: c.reason,
      dueAt: current ? workingDaysFrom(current.dueAt, days, calendar).dueAt : now.toISOString(),
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/** 第一次公示 (township, in the household's village) or 第二次公示 (county): 7 days. */
export class PostDibaoNoticeCommand extends DibaoOfficerCommand {
  readonly permission: string;

  constructor(
    applicationId: string,
    actor: AuthenticatedActor,
    readonly notice: NoticeKind,
  ) {
    super(applicationId, actor);
    this.permission = notice === 'first' ? 'dibao:first-notice' : 'dibao:second-notice';
  }
}

@CommandHandler(PostDibaoNoticeCommand)
export class PostDibaoNoticeHandler extends DibaoOfficerHandler<PostDibaoNoticeCommand> {
  protected decision(c: PostDibaoNoticeCommand, _s: DibaoState, now: Date): DibaoCommand {
    return {
      type: 'PostNotice',
      notice: c.notice,
      rules: this.ctx.rules,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    };
  }
}

/**
 * 报送: the township sends its opinion up once the first notice has run (a recommendation to refuse
 * goes at once). The county's spot-check draw is taken in the same transaction, from the county-month's
 * sampling stream, so the month's count and its sample move together with the submission.
 */
export class SubmitToCountyCommand extends DibaoOfficerCommand {
  readonly permission = 'dibao:submit';
}

@CommandHandler(SubmitToCountyCommand)
export class SubmitToCountyHandler {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute(c: SubmitToCountyCommand): Promise<DibaoState> {
    const { ctx } = this;
    await applicationFor(ctx, c.actor, c.applicationId, c.permission);
    const now = ctx.now();
    const calendar = ctx.policy.asOf('calendar', now).content;
    const metadata = eventMetadata(c.actor, { now });
    return inTransaction(ctx, async (transaction) => {
      const known = await ctx.applications.load(c.applicationId, { transaction });
      const s = known.state;
      let sample: SampleRecord | null = null;
      if (!s.sample && s.details) {
        const month = beijingDay(now).slice(0, 7);
        const key = samplingKey(s.details.countyCode, month);
        // One county's submissions of a month all append to its sampling stream: taking them in turn
        // (until commit) spares the officers the version conflicts a busy morning would otherwise show.
        await transaction.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `${ctx.store.schema}.draw.${key}`,
        ]);
        const drawn = await ctx.sampling.handle(
          key,
          {
            type: 'DrawSample',
            countyCode: s.details.countyCode,
            month,
            applicationId: c.applicationId,
            staffRelative: s.staffRelative,
            newSeed: randomBytes(16).toString('hex'),
            percent: ctx.rules.spotCheckPercent,
            rules: ctx.rules.version,
            now: now.toISOString(),
          },
          { metadata, transaction },
        );
        const d = drawn.state.drawn.find((x) => x.applicationId === c.applicationId)!;
        sample = {
          sampled: d.sampled,
          reason: d.reason,
          seed: d.seed,
          draw: d.draw,
          position: d.position,
          percent: d.percent,
          month,
        };
      }
      const { state } = await ctx.applications.handle(
        c.applicationId,
        {
          type: 'SubmitToCounty',
          countyDeadline: workingDaysFrom(now, ctx.rules.countyDecisionWorkingDays, calendar),
          sample,
          officer: officerOf(c.actor),
          now: now.toISOString(),
        },
        { metadata, transaction, known },
      );
      return state;
    });
  }
}
