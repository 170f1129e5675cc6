import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import type {
  EducationAssistanceCommand,
  EducationAssistanceState,
  LeavingReason,
  Programme,
  Stage,
  Term,
  UniversityLocation,
} from '../../domain/education-assistance.decider.js';
import type { Officer } from '../../domain/values.js';
import {
  assertMay,
  EDUCATION_ASSISTANCE,
  educationTableForYear,
  officerMetadata,
  officerOf,
  placeOf,
  studentFor,
  studentKeyOf,
  type EducationContext,
} from '../education-context.js';

/** A student as a command leaves them, with the key the officer addresses them by. */
export interface StudentOutcome {
  studentId: string;
  state: EducationAssistanceState;
  /** The grant a GrantAid command made. */
  grantId?: string;
}

export interface RecordEnrolmentRequest {
  student: { idNumber: string; name: string };
  /** The household's head (the student's guardian on the household register), when known. */
  householdHeadIdNumber?: string;
  stage: Stage;
  school: { code: string; name: string; jurisdictionCode: string };
  boarder: boolean;
  from: string;
}

/**
 * 学籍登记: a student at a school from a day (a new student, a change of stage, school or boarding). The
 * school must lie in the officer's jurisdiction; a student transferring in is recorded by the receiving county.
 */
export class RecordEnrolmentCommand extends Command<StudentOutcome> {
  constructor(
    readonly request: RecordEnrolmentRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordEnrolmentCommand)
export class RecordEnrolmentHandler implements ICommandHandler<RecordEnrolmentCommand> {
  constructor(@Inject(EDUCATION_ASSISTANCE) private readonly ctx: EducationContext) {}

  async execute({ request, actor }: RecordEnrolmentCommand): Promise<StudentOutcome> {
    const place = placeOf(
      this.ctx,
      request.school.jurisdictionCode,
      'school.jurisdictionCode',
      ['county', 'township', 'village'],
      '旗县区、乡镇（街道）或村（社区）',
    );
    assertMay(this.ctx, actor, place.code, 'education-students:enrol');
    const idNumber = request.student.idNumber.trim().toUpperCase();
    const studentId = studentKeyOf(idNumber);
    const now = this.ctx.now();
    const { state } = await this.ctx.students.handle(
      studentId,
      {
        type: 'RecordEnrolment',
        student: {
          idNumber,
          name: request.student.name,
          householdId: request.householdHeadIdNumber?.trim().toUpperCase() || null,
        },
        stage: request.stage,
        school: { ...request.school, jurisdictionCode: place.code },
        boarder: request.boarder,
        from: request.from,
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: officerMetadata(actor, now) },
    );
    return { studentId, state };
  }
}

/** An officer's step on a student of their jurisdiction. */
export abstract class StudentStepCommand extends Command<StudentOutcome> {
  abstract readonly permission: string;

  constructor(
    readonly studentId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/** Visible to the officer (404 / 403 otherwise) → decide on the current state → append: every step alike. */
abstract class StudentStepHandler<C extends StudentStepCommand> {
  constructor(@Inject(EDUCATION_ASSISTANCE) protected readonly ctx: EducationContext) {}

  protected abstract decision(
    command: C,
    base: { officer: Officer; now: string },
  ): EducationAssistanceCommand;

  protected grantIdOf(_command: C): string | undefined {
    return undefined;
  }

  async execute(command: C): Promise<StudentOutcome> {
    await studentFor(this.ctx, command.actor, command.studentId, command.permission);
    const now = this.ctx.now();
    const { state } = await this.ctx.students.handle(
      command.studentId,
      this.decision(command, { officer: officerOf(command.actor), now: now.toISOString() }),
      { metadata: officerMetadata(command.actor, now) },
    );
    return { studentId: command.studentId, state, grantId: this.grantIdOf(command) };
  }
}

/** 离校: from that day no term is paid (a term that starts on or after it). */
export class RecordLeavingCommand extends StudentStepCommand {
  readonly permission = 'education-students:leave';
  constructor(
    studentId: string,
    actor: AuthenticatedActor,
    readonly leaving: { leftOn: string; reason: LeavingReason; note: string },
  ) {
    super(studentId, actor);
  }
}

@CommandHandler(RecordLeavingCommand)
export class RecordLeavingHandler
  extends StudentStepHandler<RecordLeavingCommand>
  implements ICommandHandler<RecordLeavingCommand>
{
  protected decision(c: RecordLeavingCommand, base: { officer: Officer; now: string }) {
    return { type: 'RecordLeaving' as const, ...c.leaving, ...base };
  }
}

/** 批准资助: a programme for a school year, the amount of the stage from the table in force on its first day. */
export class GrantAidCommand extends StudentStepCommand {
  readonly permission = 'education-aid:grant';
  /** Minted with the command: the same grant on a retry after a version conflict. */
  readonly grantId = uuidv7();
  constructor(
    studentId: string,
    actor: AuthenticatedActor,
    readonly grant: {
      programme: Programme;
      schoolYear: number;
      documentNumber: string;
      universityLocation: UniversityLocation | null;
    },
  ) {
    super(studentId, actor);
  }
}

@CommandHandler(GrantAidCommand)
export class GrantAidHandler
  extends StudentStepHandler<GrantAidCommand>
  implements ICommandHandler<GrantAidCommand>
{
  protected decision(c: GrantAidCommand, base: { officer: Officer; now: string }) {
    return {
      type: 'GrantAid' as const,
      grantId: c.grantId,
      ...c.grant,
      table: educationTableForYear(this.ctx, c.grant.schoolYear),
      ...base,
    };
  }

  protected override grantIdOf(c: GrantAidCommand): string {
    return c.grantId;
  }
}

/** 按学期发放: one term of a grant, to a student at school on the term's first day. */
export class DisburseTermCommand extends StudentStepCommand {
  readonly permission = 'education-aid:pay';
  constructor(
    studentId: string,
    actor: AuthenticatedActor,
    readonly grantId: string,
    readonly payment: { term: Term; paymentReference: string; paidOn: string },
  ) {
    super(studentId, actor);
  }
}

@CommandHandler(DisburseTermCommand)
export class DisburseTermHandler
  extends StudentStepHandler<DisburseTermCommand>
  implements ICommandHandler<DisburseTermCommand>
{
  protected decision(c: DisburseTermCommand, base: { officer: Officer; now: string }) {
    return { type: 'DisburseTerm' as const, grantId: c.grantId, ...c.payment, ...base };
  }

  protected override grantIdOf(c: DisburseTermCommand): string {
    return c.grantId;
  }
}
