import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listRegister, lookupRegister, type Page } from '@platform/assistance-register';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import {
  LEAVING_NAMES,
  PROGRAMME_NAMES,
  STAGE_NAMES,
  TERM_NAMES,
  schoolYearName,
  type LeavingReason,
  type Programme,
  type Stage,
  type Term,
} from '../../domain/education-assistance.decider.js';
import type { EducationRegisterEntryRow } from '../../read-model/education-register.entities.js';
import type { EducationStudentRow } from '../../read-model/education-students.entities.js';
import {
  beijingDay,
  beijingTime,
  EDUCATION_ASSISTANCE,
  studentFor,
  type EducationContext,
} from '../education-context.js';
import type { StudentOutcome } from '../commands/student-aid.js';

export type { Page } from '@platform/assistance-register';

/** A student's school record and aid with the ID number in full: the view is recorded in the access log. */
export class ViewStudentQuery extends Query<StudentOutcome> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly studentId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewStudentQuery)
export class ViewStudentHandler implements IQueryHandler<ViewStudentQuery> {
  constructor(@Inject(EDUCATION_ASSISTANCE) private readonly ctx: EducationContext) {}

  async execute({ actor, studentId, purpose }: ViewStudentQuery): Promise<StudentOutcome> {
    const state = await studentFor(this.ctx, actor, studentId, 'education-students:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'education-student',
      resourceId: studentId,
      caseId: null,
      fields: ['student.name', 'student.idNumber'],
      purpose,
    });
    return { studentId, state };
  }
}

export interface RegisterItem {
  entryId: string;
  kind: 'aid' | 'left_school';
  kindName: string;
  studentName: string;
  /** Masked in the list, in full in a lookup. */
  idNumber: string;
  programme: string | null;
  programmeName: string | null;
  stage: string | null;
  stageName: string | null;
  schoolYear: number | null;
  schoolYearName: string | null;
  term: string | null;
  termName: string | null;
  amountYuan: number;
  /** The day paid, or the day the student left (Beijing). */
  date: string;
  leavingReasonName: string | null;
  decisionReference: string | null;
  grantId: string | null;
  schoolName: string;
  jurisdictionName: string;
}

function itemOf(ctx: EducationContext, r: EducationRegisterEntryRow, full: boolean): RegisterItem {
  return {
    entryId: r.eventId,
    kind: r.kind as RegisterItem['kind'],
    kindName: r.kind === 'aid' ? '资助发放' : '离校',
    studentName: r.personName,
    idNumber: full ? r.personIdNumber : maskIdNumber(r.personIdNumber),
    programme: r.programme,
    programmeName: r.programme ? (PROGRAMME_NAMES[r.programme as Programme] ?? r.programme) : null,
    stage: r.stage,
    stageName: r.stage ? (STAGE_NAMES[r.stage as Stage] ?? r.stage) : null,
    schoolYear: r.schoolYear,
    schoolYearName: r.schoolYear ? schoolYearName(r.schoolYear) : null,
    term: r.term,
    termName: r.term ? (TERM_NAMES[r.term as Term] ?? r.term) : null,
    amountYuan: r.amountFen / 100,
    date: r.date,
    leavingReasonName: r.leavingReason
      ? (LEAVING_NAMES[r.leavingReason as LeavingReason] ?? r.leavingReason)
      : null,
    decisionReference: r.decisionReference,
    grantId: r.grantId,
    schoolName: r.schoolName,
    jurisdictionName: ctx.authz.tree.fullName(r.jurisdictionCode) || r.jurisdictionCode,
  };
}

export interface RegisterListRequest {
  programme?: Programme;
  schoolYear?: number;
  jurisdictionCode?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** 教育救助台账 of the officer's jurisdiction: the aid paid, newest first, ID numbers masked. */
export class ListEducationRegisterQuery extends Query<Page<RegisterItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: RegisterListRequest,
  ) {
    super();
  }
}

@QueryHandler(ListEducationRegisterQuery)
export class ListEducationRegisterHandler implements IQueryHandler<ListEducationRegisterQuery> {
  constructor(@Inject(EDUCATION_ASSISTANCE) private readonly ctx: EducationContext) {}

  execute({ actor, filter }: ListEducationRegisterQuery): Promise<Page<RegisterItem>> {
    const { ctx } = this;
    return listRegister(
      ctx.authz,
      actor,
      'education-register:list',
      filter,
      (f) => ctx.register.list(f),
      (row) => itemOf(ctx, row, false),
    );
  }
}

/** A person's key in the access log: a digest, so that no stream name carries the ID number itself. */
const personKeyOf = (idNumber: string) =>
  createHash('sha256').update(`education:person:${idNumber}`).digest('hex').slice(0, 32);

/**
 * 台账查询 by a household's members: every entry (aid, leaving) of any of them in the officer's
 * jurisdiction, ID numbers in full; recorded in the access log under each person asked about.
 */
export class LookupEducationRegisterQuery extends Query<{ idNumbers: string[]; items: RegisterItem[] }> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly idNumbers: string[],
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(LookupEducationRegisterQuery)
export class LookupEducationRegisterHandler implements IQueryHandler<LookupEducationRegisterQuery> {
  constructor(@Inject(EDUCATION_ASSISTANCE) private readonly ctx: EducationContext) {}

  execute({ actor, idNumbers, purpose }: LookupEducationRegisterQuery) {
    const { ctx } = this;
    return lookupRegister(
      {
        authz: ctx.authz,
        accessLog: ctx.accessLog,
        permission: 'education-register:lookup',
        resourceType: 'education-register',
        fields: ['studentName', 'idNumber'],
        personKeyOf,
        rowsOf: (ids, scope) => ctx.register.byPeople(ids, scope),
        itemOf: (row) => itemOf(ctx, row, true),
      },
      actor,
      idNumbers,
      purpose,
    );
  }
}

/** A student on the officers' list: name and ID number masked (the detail view shows them, and is recorded). */
export interface StudentListItem {
  studentId: string;
  name: string;
  idNumber: string;
  atSchool: boolean;
  stage: string;
  stageName: string;
  schoolName: string;
  jurisdictionName: string;
  grants: number;
  paidYuan: number;
  /** The first day of the earliest term granted and not paid; `due` when it has begun. */
  nextUnpaidOn: string | null;
  due: boolean;
  updatedAt: string;
}

export interface StudentListRequest {
  status?: 'at_school' | 'left';
  due?: boolean;
  student?: string;
  jurisdictionCode?: string;
  page: number;
  pageSize: number;
}

/** 学生资助档案 of the officer's jurisdiction (by the student's school): terms to pay first. */
export class ListStudentsQuery extends Query<Page<StudentListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: StudentListRequest,
  ) {
    super();
  }
}

@QueryHandler(ListStudentsQuery)
export class ListStudentsHandler implements IQueryHandler<ListStudentsQuery> {
  constructor(@Inject(EDUCATION_ASSISTANCE) private readonly ctx: EducationContext) {}

  execute({ actor, filter }: ListStudentsQuery): Promise<Page<StudentListItem>> {
    const { ctx } = this;
    const today = beijingDay(ctx.now());
    const itemOf = (r: EducationStudentRow): StudentListItem => ({
      studentId: r.studentId,
      name: maskName(r.name),
      idNumber: maskIdNumber(r.idNumber),
      atSchool: r.atSchool,
      stage: r.stage,
      stageName: STAGE_NAMES[r.stage as Stage] ?? r.stage,
      schoolName: r.schoolName,
      jurisdictionName: ctx.authz.tree.fullName(r.jurisdictionCode) || r.jurisdictionCode,
      grants: r.grants,
      paidYuan: r.paidFen / 100,
      nextUnpaidOn: r.nextUnpaidOn,
      due: r.nextUnpaidOn !== null && r.nextUnpaidOn <= today,
      updatedAt: beijingTime(r.updatedAt.toISOString()),
    });
    return listRegister(
      ctx.authz,
      actor,
      'education-students:list',
      filter,
      (f) =>
        ctx.studentList.list({
          scope: f.scope,
          jurisdiction: f.jurisdiction,
          atSchool: f.status === undefined ? undefined : f.status === 'at_school',
          dueBy: f.due ? today : undefined,
          student: f.student,
          page: f.page,
          pageSize: f.pageSize,
        }),
      itemOf,
    );
  }
}
