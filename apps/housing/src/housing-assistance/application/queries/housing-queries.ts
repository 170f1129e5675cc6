import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listRegister, lookupRegister, type Page } from '@platform/assistance-register';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import { PROGRAMME_NAMES, type HousingProgramme } from '../../domain/assistance-register.js';
import {
  GRADE_NAMES,
  STATUS_NAMES as RENOVATION_STATUS_NAMES,
  type Grade,
  type HouseRenovationState,
  type RenovationStatus,
} from '../../domain/house-renovation.decider.js';
import { categoryName } from '../../domain/household.js';
import { waitingListOn } from '../../domain/public-rental.decider.js';
import {
  STATUS_NAMES as SUBSIDY_STATUS_NAMES,
  type RentalSubsidyState,
  type SubsidyStatus,
} from '../../domain/rental-subsidy.decider.js';
import type { HousingCaseRow } from '../../read-model/housing-cases.entities.js';
import type { HousingCaseFilter } from '../../read-model/housing-cases.query.js';
import type { HousingRegisterEntryRow } from '../../read-model/housing-register.entities.js';
import {
  beijingDay,
  beijingTime,
  countyOf,
  HOUSING_ASSISTANCE,
  housingTableOn,
  personKeyOf,
  renovationFor,
  subsidyFor,
  type HousingContext,
} from '../housing-context.js';

export type { Page } from '@platform/assistance-register';

/** A renovation project with the household's ID numbers in full: the view is recorded in the access log. */
export class ViewRenovationQuery extends Query<HouseRenovationState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly projectId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewRenovationQuery)
export class ViewRenovationHandler implements IQueryHandler<ViewRenovationQuery> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ actor, projectId, purpose }: ViewRenovationQuery): Promise<HouseRenovationState> {
    const state = await renovationFor(this.ctx, actor, projectId, 'house-renovation:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'house-renovation',
      resourceId: projectId,
      caseId: null,
      fields: ['household.headName', 'household.headIdNumber', 'household.memberIdNumbers', 'address'],
      purpose,
    });
    return state;
  }
}

/** A rental subsidy with the household's ID numbers in full: recorded in the access log. */
export class ViewRentalSubsidyQuery extends Query<RentalSubsidyState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly grantId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewRentalSubsidyQuery)
export class ViewRentalSubsidyHandler implements IQueryHandler<ViewRentalSubsidyQuery> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ actor, grantId, purpose }: ViewRentalSubsidyQuery): Promise<RentalSubsidyState> {
    const state = await subsidyFor(this.ctx, actor, grantId, 'rental-subsidy:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'rental-subsidy',
      resourceId: grantId,
      caseId: null,
      fields: ['household.headName', 'household.headIdNumber', 'household.memberIdNumbers'],
      purpose,
    });
    return state;
  }
}

export interface WaitingListItem {
  position: number;
  applicationId: string;
  headName: string;
  /** Masked. */
  headIdNumber: string;
  householdSize: number;
  category: string;
  categoryName: string;
  priority: boolean;
  appliedOn: string;
  jurisdictionName: string;
}

export interface WaitingList extends Page<WaitingListItem> {
  countyCode: string;
  countyName: string;
  day: string;
  policyVersion: number;
  priorityCategoryNames: string[];
}

/** 公租房轮候名单 of a county on a day, in the order units go to the households; ID numbers masked. */
export class ViewWaitingListQuery extends Query<WaitingList> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly countyCode: string,
    readonly filter: { day?: string; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ViewWaitingListQuery)
export class ViewWaitingListHandler implements IQueryHandler<ViewWaitingListQuery> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  async execute({ actor, countyCode, filter }: ViewWaitingListQuery): Promise<WaitingList> {
    const county = countyOf(this.ctx, actor, countyCode, 'public-rental:view');
    const day = filter.day ?? beijingDay(this.ctx.now());
    const table = housingTableOn(this.ctx, day);
    const { state } = await this.ctx.waitingLists.load(county.code);
    const priority = table.content.publicRental.priorityCategories;
    const line = waitingListOn(state, day, priority);
    const tree = this.ctx.authz.tree;
    const start = (filter.page - 1) * filter.pageSize;
    return {
      countyCode: county.code,
      countyName: tree.fullName(county.code),
      day,
      policyVersion: table.version,
      priorityCategoryNames: priority.map(categoryName),
      items: line.slice(start, start + filter.pageSize).map((x) => {
        const a = state.applications.find((y) => y.applicationId === x.applicationId)!;
        return {
          position: x.position,
          applicationId: x.applicationId,
          headName: a.household.headName,
          headIdNumber: maskIdNumber(a.household.headIdNumber),
          householdSize: a.household.memberIdNumbers.length,
          category: x.category,
          categoryName: categoryName(x.category),
          priority: x.priority,
          appliedOn: x.appliedOn,
          jurisdictionName: tree.fullName(a.jurisdictionCode) || a.jurisdictionCode,
        };
      }),
      total: line.length,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}

export interface RegisterItem {
  entryId: string;
  programme: string;
  programmeName: string;
  headName: string;
  headIdNumber: string;
  /** Every member the assistance housed (masked in the list, in full in a lookup). */
  memberIdNumbers: string[];
  amountYuan: number;
  /** The day paid or allocated (Beijing). */
  date: string;
  month: string | null;
  decisionReference: string;
  subjectId: string;
  jurisdictionCode: string;
  jurisdictionName: string;
}

function itemOf(ctx: HousingContext, r: HousingRegisterEntryRow, full: boolean): RegisterItem {
  const mask = (id: string) => (full ? id : maskIdNumber(id));
  return {
    entryId: r.eventId,
    programme: r.programme,
    programmeName: PROGRAMME_NAMES[r.programme as HousingProgramme] ?? r.programme,
    headName: r.personName,
    headIdNumber: mask(r.personIdNumber),
    memberIdNumbers: r.memberIdNumbers.map(mask),
    amountYuan: r.amountFen / 100,
    date: r.date,
    month: r.month,
    decisionReference: r.decisionReference,
    subjectId: r.subjectId,
    jurisdictionCode: r.jurisdictionCode,
    jurisdictionName: ctx.authz.tree.fullName(r.jurisdictionCode) || r.jurisdictionCode,
  };
}

export interface RegisterListRequest {
  programme?: HousingProgramme;
  jurisdictionCode?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** 住房救助台账 of the officer's jurisdiction, newest first, ID numbers masked. */
export class ListHousingRegisterQuery extends Query<Page<RegisterItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: RegisterListRequest,
  ) {
    super();
  }
}

@QueryHandler(ListHousingRegisterQuery)
export class ListHousingRegisterHandler implements IQueryHandler<ListHousingRegisterQuery> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  execute({ actor, filter }: ListHousingRegisterQuery): Promise<Page<RegisterItem>> {
    const { ctx } = this;
    return listRegister(
      ctx.authz,
      actor,
      'housing-register:list',
      filter,
      (f) => ctx.register.list(f),
      (row) => itemOf(ctx, row, false),
    );
  }
}

/**
 * 台账查询 by a household's members: every entry naming any of them, in the officer's jurisdiction, ID
 * numbers in full; recorded in the access log with the ID numbers asked about.
 */
export class LookupHousingRegisterQuery extends Query<{ idNumbers: string[]; items: RegisterItem[] }> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly idNumbers: string[],
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(LookupHousingRegisterQuery)
export class LookupHousingRegisterHandler implements IQueryHandler<LookupHousingRegisterQuery> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  execute({ actor, idNumbers, purpose }: LookupHousingRegisterQuery) {
    const { ctx } = this;
    return lookupRegister(
      {
        authz: ctx.authz,
        accessLog: ctx.accessLog,
        permission: 'housing-register:lookup',
        resourceType: 'housing-register',
        fields: ['headName', 'headIdNumber', 'memberIdNumbers'],
        personKeyOf,
        // Every entry naming any of them as a member.
        rowsOf: (ids, scope) => ctx.register.byMembers(ids, scope),
        itemOf: (row) => itemOf(ctx, row, true),
      },
      actor,
      idNumbers,
      purpose,
    );
  }
}

/** A case on an officer's list: the household masked (its detail view shows it in full, and is recorded). */
export interface CaseListItem {
  id: string;
  status: string;
  statusName: string;
  headName: string;
  headIdNumber: string;
  householdSize: number;
  jurisdictionCode: string;
  jurisdictionName: string;
  /** Renovation: grade and the subsidy approved. */
  grade: string | null;
  gradeName: string | null;
  approvedYuan: number | null;
  paidYuan: number;
  /** Subsidy: the first month that needs a review first, and the latest month paid. */
  reviewDueFrom: string | null;
  lastPaidMonth: string | null;
  /** Appraised (renovation) or granted (subsidy). */
  openedOn: string;
  updatedAt: string;
}

export interface CaseListRequest {
  status?: string;
  head?: string;
  jurisdictionCode?: string;
  page: number;
  pageSize: number;
}

function caseItemOf(ctx: HousingContext, r: HousingCaseRow): CaseListItem {
  const renovation = r.kind === 'renovation';
  return {
    id: r.caseId,
    status: r.status,
    statusName: renovation
      ? (RENOVATION_STATUS_NAMES[r.status as RenovationStatus] ?? r.status)
      : (SUBSIDY_STATUS_NAMES[r.status as SubsidyStatus] ?? r.status),
    headName: maskName(r.headName),
    headIdNumber: maskIdNumber(r.headIdNumber),
    householdSize: r.householdSize,
    jurisdictionCode: r.jurisdictionCode,
    jurisdictionName: ctx.authz.tree.fullName(r.jurisdictionCode) || r.jurisdictionCode,
    grade: r.grade,
    gradeName: r.grade ? (GRADE_NAMES[r.grade as Grade] ?? r.grade) : null,
    approvedYuan: r.approvedFen === null ? null : r.approvedFen / 100,
    paidYuan: r.paidFen / 100,
    reviewDueFrom: r.reviewDueFrom,
    lastPaidMonth: r.lastPaidMonth,
    openedOn: r.openedOn,
    updatedAt: beijingTime(r.updatedAt.toISOString()),
  };
}

/** 危房改造项目 or 租赁补贴 of the officer's jurisdiction, the most recently changed first. */
export class ListHousingCasesQuery extends Query<Page<CaseListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly kind: HousingCaseFilter['kind'],
    readonly filter: CaseListRequest,
  ) {
    super();
  }
}

@QueryHandler(ListHousingCasesQuery)
export class ListHousingCasesHandler implements IQueryHandler<ListHousingCasesQuery> {
  constructor(@Inject(HOUSING_ASSISTANCE) private readonly ctx: HousingContext) {}

  execute({ actor, kind, filter }: ListHousingCasesQuery): Promise<Page<CaseListItem>> {
    const { ctx } = this;
    return listRegister(
      ctx.authz,
      actor,
      kind === 'renovation' ? 'house-renovation:list' : 'rental-subsidy:list',
      filter,
      (f) => ctx.cases.list({ ...f, kind }),
      (row) => caseItemOf(ctx, row),
    );
  }
}
