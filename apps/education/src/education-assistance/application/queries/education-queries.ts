import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
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
import type { RegisterScope } from '../../read-model/education-register.query.js';
import { EDUCATION_ASSISTANCE, placeOf, studentFor, type EducationContext } from '../education-context.js';
import type { StudentOutcome } from '../commands/student-aid.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

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

/** The actor's node as a register scope; null for auditors (everything). */
function scopeOf(ctx: EducationContext, actor: AuthenticatedActor, permission: string): RegisterScope | null {
  if (actor.role === 'auditor') return null;
  const own = ctx.authz.tree.get(actor.jurisdiction);
  if (!own) {
    throw new DomainError('OUT_OF_JURISDICTION', `无权执行此操作（${permission}）：账号的辖区未登记`, 403, {
      permission,
    });
  }
  return { code: own.code, level: own.level };
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

  async execute({ actor, filter }: ListEducationRegisterQuery): Promise<Page<RegisterItem>> {
    const permission = 'education-register:list';
    const scope = scopeOf(this.ctx, actor, permission);
    let jurisdiction: RegisterScope | undefined;
    if (filter.jurisdictionCode) {
      const node = placeOf(
        this.ctx,
        filter.jurisdictionCode,
        'jurisdictionCode',
        ['city', 'county', 'township', 'village'],
        '行政区划',
      );
      if (scope) this.ctx.authz.assertWithin(actor, node.code, permission);
      jurisdiction = { code: node.code, level: node.level };
    }
    if (filter.from && filter.to && filter.from > filter.to) {
      throw new DomainError('DATE_OUT_OF_ORDER', 'from：起始日期不能晚于截止日期', 422, { field: 'from' });
    }
    const r = await this.ctx.register.list({ scope, jurisdiction, ...filter });
    return {
      items: r.rows.map((row) => itemOf(this.ctx, row, false)),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
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

  async execute({ actor, idNumbers, purpose }: LookupEducationRegisterQuery) {
    const scope = scopeOf(this.ctx, actor, 'education-register:lookup');
    const ids = [...new Set(idNumbers.map((id) => id.trim().toUpperCase()))];
    const rows = await this.ctx.register.byPeople(ids, scope);
    for (const id of ids) {
      await this.ctx.accessLog.record(actor, {
        resourceType: 'education-register',
        resourceId: personKeyOf(id),
        caseId: null,
        fields: ['studentName', 'idNumber'],
        purpose,
      });
    }
    return { idNumbers: ids, items: rows.map((row) => itemOf(this.ctx, row, true)) };
  }
}
