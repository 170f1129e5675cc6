import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import type { DbExecutor } from '@platform/event-store';
import { areaOfVillageName } from '../../../dibao/domain/dibao-application.decider.js';
import { membersOf, type Status, type Urgency } from '../../domain/temporary-assistance.decider.js';
import { TEMPORARY_ASSISTANCE, type TemporaryAssistanceContext } from '../temporary-assistance-context.js';

/** Where a consumer's command runs: in its inbox transaction, caused by one message. */
export interface MessageCause {
  transaction: DbExecutor;
  correlationId: string;
  causationId: string;
}

const systemMetadata = (now: Date, cause: MessageCause) =>
  eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now, ...cause });

/** What of intake's `intake.ReferralIssued` (category `temporary`) opens an application. */
export interface TemporaryReferral {
  caseId: string;
  referralId: string;
  caseNumber?: string;
  villageCode?: string;
  description: string;
  requestedAmount: number | null;
  urgency: 'normal' | 'urgent';
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  /** The household members the need concerns (the applicant first); null without consent to share. */
  members?: Array<{ name: string; idNumber: string }> | null;
}

/** Code of the refusal that leaves a referral to civil affairs' generic referral desk. */
export const NOT_AN_APPLICATION = 'REFERRAL_NOT_AN_APPLICATION';

/**
 * Intake referred a `temporary` need of an accepted case to civil affairs (救急难 one-door intake): it
 * opens a temporary-assistance application whose id is the referral's (a redelivered referral changes
 * nothing), with the case's village, members, urgency, requested amount and description, and the
 * referral is received with its deadlines (policy table `deadlines`, category `temporary`, the case's
 * urgency), as the referral desk would count them. 422 `REFERRAL_NOT_AN_APPLICATION` when there is no
 * application to open — no person to record (no consent to share), no amount, no known village: the
 * consumer then leaves the referral to the generic desk.
 */
export class ReceiveTemporaryReferralCommand extends Command<Status> {
  constructor(
    readonly referral: TemporaryReferral,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(ReceiveTemporaryReferralCommand)
export class ReceiveTemporaryReferralHandler implements ICommandHandler<ReceiveTemporaryReferralCommand> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute({ referral: r, cause }: ReceiveTemporaryReferralCommand): Promise<Status> {
    const { ctx } = this;
    const known = await ctx.applications.load(r.referralId, { transaction: cause.transaction });
    // Redelivery of the referral: already an application.
    if (known.state.status !== 'none') return known.state.status;
    const notAnApplication = (why: string): never => {
      throw new DomainError(NOT_AN_APPLICATION, `转办 ${r.referralId} 不能建立临时救助申请：${why}`, 422);
    };
    const members = membersOf(r);
    if (members.length === 0) notAnApplication('未经同意共享，没有申请人或家庭成员信息');
    if (!r.requestedAmount || r.requestedAmount <= 0) notAnApplication('未填写申请金额');
    const tree = ctx.tree();
    const village = r.villageCode ? tree.get(r.villageCode) : undefined;
    const township = village && tree.at(village.code, 'township');
    const county = village && tree.at(village.code, 'county');
    if (!village || village.level !== 'village' || !township || !county) {
      return notAnApplication(`所在村（社区）${r.villageCode ?? '未注明'} 未登记`);
    }
    const now = ctx.now();
    const urgency: Urgency = r.urgency === 'urgent' ? 'urgent' : 'normal';
    const acknowledge = ctx.policy.deadline('temporary', urgency, 'acknowledge', now);
    const decide = ctx.policy.deadline('temporary', urgency, 'decide', now);
    const { state } = await ctx.applications.handle(
      r.referralId,
      {
        type: 'ReceiveReferral',
        applicationId: r.referralId,
        referral: { caseId: r.caseId, referralId: r.referralId, caseNumber: r.caseNumber ?? null },
        members,
        hardship: {
          kind: 'other',
          description: r.description?.trim() || '乡镇（街道）窗口受理的临时救助需求',
        },
        requestedAmount: r.requestedAmount!,
        area: areaOfVillageName(village.officialName ?? village.name ?? ''),
        place: {
          villageCode: village.code,
          townshipCode: township.code,
          countyCode: county.code,
          countyName: county.name,
        },
        urgency,
        deadlines: {
          acknowledgeBy: acknowledge.due.toISOString(),
          decideBy: decide.due.toISOString(),
          policy: { ...acknowledge.applied, ...decide.applied },
          provisionalYears: [...acknowledge.provisionalYears, ...decide.provisionalYears],
        },
        actor: { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.name, role: SYSTEM_ACTOR.role },
        now: now.toISOString(),
      },
      { metadata: systemMetadata(now, cause), transaction: cause.transaction, known },
    );
    return state.status;
  }
}

/**
 * Intake revoked the referral: an undecided application is withdrawn; a decided one keeps its record
 * (the revocation is ignored). Returns `none` for a referral that never became an application.
 */
export class WithdrawTemporaryReferralCommand extends Command<Status> {
  constructor(
    readonly referralId: string,
    readonly reason: string,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(WithdrawTemporaryReferralCommand)
export class WithdrawTemporaryReferralHandler implements ICommandHandler<WithdrawTemporaryReferralCommand> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute({ referralId, reason, cause }: WithdrawTemporaryReferralCommand): Promise<Status> {
    const known = await this.ctx.applications.load(referralId, { transaction: cause.transaction });
    if (known.state.status === 'none') return 'none';
    const now = this.ctx.now();
    const { state } = await this.ctx.applications.handle(
      referralId,
      { type: 'WithdrawApplication', reason, now: now.toISOString() },
      { metadata: systemMetadata(now, cause), transaction: cause.transaction, known },
    );
    return state.status;
  }
}
