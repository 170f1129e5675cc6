import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR, type AuthenticatedActor } from '@platform/auth';
import { DomainError, VERIFYING_DEPARTMENTS } from '@platform/contracts';
import { uuidv7, type DbExecutor } from '@platform/event-store';
import { beijingDay, workingDaysDeadline } from '@platform/policy';
import { parseAnswerFile } from '../domain/answer-file.js';
import type { Member, VerificationState } from '../domain/verification.decider.js';
import { officerOf, verificationFor, VERIFICATIONS, type Verifications } from './verifications.js';

export interface VerificationRequestBody {
  /** A dibao or special-hardship application the verification serves (its household and village). */
  applicationId: string | null;
  /** Otherwise the village the household lives in. */
  villageCode: string | null;
  members: Member[];
  authorisation: { reference: string; signedOn: string };
}

/**
 * 发起核对: a township or county civil-affairs officer asks every department on the platform, with the
 * household's written authorisation; each must answer within the working days of the policy table.
 */
export class RequestVerificationCommand extends Command<VerificationState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly body: VerificationRequestBody,
  ) {
    super();
  }
}

/** Where an application lies and which case it belongs to, from its first event in the shared log. */
async function applicationPlace(ctx: Verifications, applicationId: string) {
  const [first] = await ctx.store.readStream(`dibao-${applicationId}`, { toVersion: 1 });
  if (!first || first.type !== 'civil-affairs.DibaoApplicationReceived') {
    throw new DomainError('APPLICATION_NOT_FOUND', 'applicationId：低保（特困）申请不存在', 404, {
      field: 'applicationId',
    });
  }
  const d = first.data as { caseId: string; villageCode: string; countyCode: string };
  return { caseId: d.caseId, villageCode: d.villageCode, countyCode: d.countyCode };
}

@CommandHandler(RequestVerificationCommand)
export class RequestVerificationHandler implements ICommandHandler<RequestVerificationCommand> {
  constructor(@Inject(VERIFICATIONS) private readonly ctx: Verifications) {}

  async execute({ actor, body }: RequestVerificationCommand): Promise<VerificationState> {
    const { ctx } = this;
    const place = body.applicationId ? await applicationPlace(ctx, body.applicationId) : null;
    const villageCode = place?.villageCode ?? body.villageCode;
    const village = villageCode ? ctx.tree().get(villageCode) : undefined;
    if (!villageCode || village?.level !== 'village') {
      throw new DomainError(
        'VILLAGE_REQUIRED',
        'villageCode：须指明家庭所在村（社区）的 12 位区划代码',
        422,
        {
          field: 'villageCode',
        },
      );
    }
    ctx.authz.assertWithin(actor, villageCode, 'verification:request');
    const now = this.ctx.now();
    const calendar = ctx.policy.asOf('calendar', now);
    const rules = ctx.policy.asOf('household-verification', now);
    const due = workingDaysDeadline(now, rules.content.answerWorkingDays, calendar.content);
    const verificationId = uuidv7(now.getTime());
    const { state } = await ctx.verifications.handle(
      verificationId,
      {
        type: 'RequestVerification',
        details: {
          verificationId,
          caseId: place?.caseId ?? null,
          applicationId: body.applicationId,
          countyCode: `${villageCode.slice(0, 6)}000000`,
          villageCode,
          members: body.members.map((m) => ({ ...m, idNumber: m.idNumber.toUpperCase() })),
          authorisation: body.authorisation,
          asOf: beijingDay(now),
        },
        departments: [...VERIFYING_DEPARTMENTS],
        dueAt: due.due.toISOString(),
        policy: { 'household-verification': rules.version, calendar: calendar.version },
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), isNew: true },
    );
    return state;
  }
}

/** A department's answer over the platform, recorded in the inbox transaction that received it. */
export class RecordVerificationAnswerCommand extends Command<void> {
  constructor(
    readonly verificationId: string,
    readonly department: string,
    readonly answer: Record<string, unknown>,
    readonly cause: { transaction: DbExecutor; correlationId: string; causationId: string },
  ) {
    super();
  }
}

@CommandHandler(RecordVerificationAnswerCommand)
export class RecordVerificationAnswerHandler implements ICommandHandler<RecordVerificationAnswerCommand> {
  constructor(@Inject(VERIFICATIONS) private readonly ctx: Verifications) {}

  async execute(c: RecordVerificationAnswerCommand): Promise<void> {
    const now = this.ctx.now();
    await this.ctx.verifications.handle(
      c.verificationId,
      { type: 'RecordAnswer', department: c.department, answer: c.answer, now: now.toISOString() },
      {
        metadata: eventMetadata(
          { ...SYSTEM_ACTOR, department: 'civil-affairs' },
          { now, correlationId: c.cause.correlationId, causationId: c.cause.causationId },
        ),
        transaction: c.cause.transaction,
      },
    );
  }
}

/** 导入核对结果: the answer file of a department not on the platform, checked line by line. */
export class ImportVerificationAnswerCommand extends Command<VerificationState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly verificationId: string,
    readonly department: string,
    readonly file: string,
  ) {
    super();
  }
}

@CommandHandler(ImportVerificationAnswerCommand)
export class ImportVerificationAnswerHandler implements ICommandHandler<ImportVerificationAnswerCommand> {
  constructor(@Inject(VERIFICATIONS) private readonly ctx: Verifications) {}

  async execute(c: ImportVerificationAnswerCommand): Promise<VerificationState> {
    const known = await verificationFor(this.ctx, c.actor, c.verificationId, 'verification:import');
    const ids = known.state.details!.members.map((m) => m.idNumber);
    const parsed = parseAnswerFile(c.department, c.file, ids);
    const now = this.ctx.now();
    const { state } = await this.ctx.verifications.handle(
      c.verificationId,
      {
        type: 'ImportAnswer',
        department: c.department,
        answer: { ...parsed },
        officer: officerOf(c.actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(c.actor, { now }), known },
    );
    return state;
  }
}

/** The deadline watch: each department still silent after the deadline marked once. */
export class MarkOverdueVerificationsCommand extends Command<number> {}

@CommandHandler(MarkOverdueVerificationsCommand)
export class MarkOverdueVerificationsHandler implements ICommandHandler<MarkOverdueVerificationsCommand> {
  constructor(@Inject(VERIFICATIONS) private readonly ctx: Verifications) {}

  async execute(): Promise<number> {
    const now = this.ctx.now();
    let marked = 0;
    for (const id of await this.ctx.query.dueForOverdue(now)) {
      const { events } = await this.ctx.verifications.handle(
        id,
        { type: 'MarkOverdue', now: now.toISOString() },
        { metadata: eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now }) },
      );
      if (events.length > 0) marked++;
    }
    return marked;
  }
}
