import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import type { DbExecutor } from '@platform/event-store';
import type { Program } from '../../domain/allowance.js';
import { areaOfVillageName, type ApplicationStatus } from '../../domain/dibao-application.decider.js';
import { workingDaysFrom } from '../../domain/deadlines.js';
import {
  CASE_ACCEPTED,
  CASE_REGISTERED,
  caseRegistrationStream,
  DIBAO,
  type CaseRegistration,
  type DibaoContext,
} from '../dibao-context.js';

/** Where a consumer's command runs: in its inbox transaction, caused by one message. */
export interface MessageCause {
  transaction: DbExecutor;
  correlationId: string;
  causationId: string;
}

const systemMetadata = (now: Date, cause: MessageCause) =>
  eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now, ...cause });

/**
 * Intake opened a case that asks for dibao or special hardship: where the household lives is kept
 * (village, township, county, case number), for the application its referral will open.
 */
export class RegisterDibaoCaseCommand extends Command<void> {
  constructor(
    readonly registration: Omit<CaseRegistration, 'at'>,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(RegisterDibaoCaseCommand)
export class RegisterDibaoCaseHandler implements ICommandHandler<RegisterDibaoCaseCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ registration, cause }: RegisterDibaoCaseCommand): Promise<void> {
    const stream = caseRegistrationStream(registration.caseId);
    const existing = await this.ctx.store.readStream(stream, { transaction: cause.transaction });
    if (existing.length > 0) return;
    const now = this.ctx.now();
    await this.ctx.store.appendToStream(
      stream,
      [
        {
          type: CASE_REGISTERED,
          data: { ...registration, at: now.toISOString() } satisfies CaseRegistration,
          metadata: systemMetadata(now, cause),
        },
      ],
      { expectedVersion: 'no_stream', transaction: cause.transaction },
    );
  }
}

/**
 * Intake accepted the case at the township window: who accepted it is kept beside the registration, so
 * that officer cannot take part in the county's approval. Cases without a dibao or special-hardship need
 * have no registration and are passed over.
 */
export class RecordDibaoCaseAcceptedCommand extends Command<void> {
  constructor(
    readonly caseId: string,
    readonly acceptedBy: string,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(RecordDibaoCaseAcceptedCommand)
export class RecordDibaoCaseAcceptedHandler implements ICommandHandler<RecordDibaoCaseAcceptedCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ caseId, acceptedBy, cause }: RecordDibaoCaseAcceptedCommand): Promise<void> {
    const stream = caseRegistrationStream(caseId);
    const existing = await this.ctx.store.readStream(stream, { transaction: cause.transaction });
    if (existing.length === 0 || existing.some((e) => e.type === CASE_ACCEPTED)) return;
    const now = this.ctx.now();
    await this.ctx.store.appendToStream(
      stream,
      [
        {
          type: CASE_ACCEPTED,
          data: { caseId, acceptedBy, at: now.toISOString() },
          metadata: systemMetadata(now, cause),
        },
      ],
      { expectedVersion: existing.length, transaction: cause.transaction },
    );
  }
}

export interface DibaoReferral {
  caseId: string;
  referralId: string;
  category: Program;
  description: string;
  urgency: 'normal' | 'urgent';
  applicant: { name: string; idNumber: string; phone: string | null } | null;
}

/**
 * Intake referred a dibao or special-hardship need to civil affairs, already accepted at the township
 * window: it becomes an application, the applicant matched against the staff-relative filings.
 */
export class ReceiveDibaoApplicationCommand extends Command<ApplicationStatus> {
  constructor(
    readonly referral: DibaoReferral,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(ReceiveDibaoApplicationCommand)
export class ReceiveDibaoApplicationHandler implements ICommandHandler<ReceiveDibaoApplicationCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ referral: r, cause }: ReceiveDibaoApplicationCommand): Promise<ApplicationStatus> {
    const { ctx } = this;
    const registered = await ctx.store.readStream(caseRegistrationStream(r.caseId), {
      transaction: cause.transaction,
    });
    if (registered.length === 0) {
      throw new DomainError(
        'CASE_NOT_REGISTERED',
        `案件 ${r.caseId} 的登记信息（所在村、乡镇）尚未收到，无法建立低保申请`,
        409,
      );
    }
    const place = registered[0]!.data as CaseRegistration;
    const accepted = registered.find((e) => e.type === CASE_ACCEPTED)?.data as
      { acceptedBy: string } | undefined;
    const village = ctx.tree().get(place.villageCode);
    const now = ctx.now();
    const calendar = ctx.policy.asOf('calendar', now);
    const staffMatches = r.applicant ? await ctx.registry.match([r.applicant.idNumber]) : [];
    const { state } = await ctx.applications.handle(
      r.referralId,
      {
        type: 'ReceiveApplication',
        details: {
          applicationId: r.referralId,
          caseId: r.caseId,
          caseNumber: place.caseNumber,
          program: r.category,
          villageCode: place.villageCode,
          townshipCode: place.townshipCode,
          countyCode: place.countyCode,
          area: areaOfVillageName(village?.officialName ?? village?.name ?? ''),
          applicant: r.applicant,
          description: r.description,
          urgency: r.urgency,
          acceptedBy: accepted?.acceptedBy ?? null,
          confirmation: ctx.rules.townshipConfirmationCounties?.includes(place.countyCode)
            ? 'township'
            : 'county',
        },
        staffMatches,
        investigationDeadline: workingDaysFrom(now, ctx.rules.investigationWorkingDays, calendar.content),
        townshipReviewDeadline: workingDaysFrom(now, ctx.rules.townshipReviewWorkingDays, calendar.content),
        policy: { calendar: calendar.version },
        rules: ctx.rules,
        now: now.toISOString(),
      },
      { metadata: systemMetadata(now, cause), transaction: cause.transaction },
    );
    return state.status;
  }
}

/** Intake revoked the referral: an open application is withdrawn; a decided one keeps its record. */
export class WithdrawDibaoApplicationCommand extends Command<ApplicationStatus> {
  constructor(
    readonly referralId: string,
    readonly reason: string,
    readonly cause: MessageCause,
  ) {
    super();
  }
}

@CommandHandler(WithdrawDibaoApplicationCommand)
export class WithdrawDibaoApplicationHandler implements ICommandHandler<WithdrawDibaoApplicationCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ referralId, reason, cause }: WithdrawDibaoApplicationCommand): Promise<ApplicationStatus> {
    const known = await this.ctx.applications.load(referralId, { transaction: cause.transaction });
    // A revocation names no category: one for a referral that never became an application is not ours.
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
