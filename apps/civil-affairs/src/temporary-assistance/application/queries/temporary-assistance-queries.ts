import { beijingMinute as beijingTime } from '@platform/contracts';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import {
  AREA_NAMES,
  HARDSHIP_KIND_NAMES,
  OBLIGATION_STATUS_NAMES,
  STATUS_NAMES,
  URGENCY_NAMES,
  type Area,
  type HardshipKind,
  type ObligationStatus,
  type Status,
  type TemporaryAssistanceState,
  type Urgency,
} from '../../domain/temporary-assistance.decider.js';
import {
  applicationFor,
  scopeOf,
  TEMPORARY_ASSISTANCE,
  type TemporaryAssistanceContext,
} from '../temporary-assistance-context.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TemporaryAssistanceListItem {
  applicationId: string;
  applicantName: string;
  /** Masked: full ID numbers only on the detail view, which is recorded. */
  applicantIdNumber: string;
  memberCount: number;
  hardshipKind: string;
  hardshipKindName: string;
  areaName: string;
  urgency: string;
  urgencyName: string;
  villageName: string;
  requestedAmount: number;
  grantedAmount: number | null;
  status: string;
  statusName: string;
  decidedByName: string | null;
  paidOn: string | null;
  recordedAt: string;
}

/** The applications of the actor's jurisdiction (auditors: all), newest first. */
export class ListTemporaryAssistanceQuery extends Query<Page<TemporaryAssistanceListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { status?: Status; urgency?: Urgency; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListTemporaryAssistanceQuery)
export class ListTemporaryAssistanceHandler implements IQueryHandler<ListTemporaryAssistanceQuery> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute({ actor, filter }: ListTemporaryAssistanceQuery): Promise<Page<TemporaryAssistanceListItem>> {
    const tree = this.ctx.tree();
    const r = await this.ctx.query.list({ scope: scopeOf(this.ctx, actor), ...filter });
    return {
      items: r.rows.map((row) => ({
        applicationId: row.applicationId,
        applicantName: row.applicantName,
        applicantIdNumber: maskIdNumber(row.applicantIdNumber),
        memberCount: row.memberCount,
        hardshipKind: row.hardshipKind,
        hardshipKindName: HARDSHIP_KIND_NAMES[row.hardshipKind as HardshipKind] ?? row.hardshipKind,
        areaName: AREA_NAMES[row.area as Area] ?? row.area,
        urgency: row.urgency,
        urgencyName: URGENCY_NAMES[row.urgency as Urgency] ?? row.urgency,
        villageName: tree.fullName(row.villageCode) || row.villageCode,
        requestedAmount: row.requestedFen / 100,
        grantedAmount: row.grantedFen === null ? null : row.grantedFen / 100,
        status: row.status,
        statusName: STATUS_NAMES[row.status as Status] ?? row.status,
        decidedByName:
          row.decidedLevel === 'county'
            ? '旗县区民政部门'
            : row.decidedLevel === 'township'
              ? '乡镇（街道）'
              : null,
        paidOn: row.paidOn,
        recordedAt: beijingTime(row.recordedAt),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** One application with every ID number in full: the view is recorded in the access log. */
export class ViewTemporaryAssistanceQuery extends Query<TemporaryAssistanceState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly applicationId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewTemporaryAssistanceQuery)
export class ViewTemporaryAssistanceHandler implements IQueryHandler<ViewTemporaryAssistanceQuery> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute({
    actor,
    applicationId,
    purpose,
  }: ViewTemporaryAssistanceQuery): Promise<TemporaryAssistanceState> {
    const { state } = await applicationFor(this.ctx, actor, applicationId, 'temporary-assistance:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'temporary-assistance',
      resourceId: applicationId,
      caseId: null,
      fields: ['members.name', 'members.idNumber', 'hardship.description'],
      purpose,
    });
    return state;
  }
}

export interface ObligationListItem {
  applicationId: string;
  obligationNo: number;
  material: string;
  status: string;
  statusName: string;
  /** Beijing time of the deadline (end of the working day). */
  dueAt: string;
  /** Counted without a calendar for some year: the deadline may move once the year is loaded. */
  provisional: boolean;
  /** Masked, like every list. */
  applicantName: string;
  villageName: string;
  decidedByName: string;
  decidedAt: string;
  fulfilledAt: string | null;
  fulfilledByName: string | null;
  fulfilledLate: boolean | null;
  waivedAt: string | null;
  waivedByName: string | null;
  waivedReason: string | null;
  overdueAt: string | null;
}

/** 补充材料义务 of the actor's jurisdiction (auditors: all), the earliest deadline first. */
export class ListObligationsQuery extends Query<Page<ObligationListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { status?: ObligationStatus; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListObligationsQuery)
export class ListObligationsHandler implements IQueryHandler<ListObligationsQuery> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute({ actor, filter }: ListObligationsQuery): Promise<Page<ObligationListItem>> {
    const tree = this.ctx.tree();
    const r = await this.ctx.query.listObligations({ scope: scopeOf(this.ctx, actor), ...filter });
    const time = (d: Date | null) => (d ? beijingTime(d) : null);
    return {
      items: r.rows.map((row) => ({
        applicationId: row.applicationId,
        obligationNo: row.obligationNo,
        material: row.material,
        status: row.status,
        statusName: OBLIGATION_STATUS_NAMES[row.status as ObligationStatus] ?? row.status,
        dueAt: beijingTime(row.dueAt),
        provisional: row.provisional,
        applicantName: maskName(row.applicantName),
        villageName: tree.fullName(row.villageCode) || row.villageCode,
        decidedByName: row.decidedLevel === 'county' ? '旗县区民政部门' : '乡镇（街道）',
        decidedAt: beijingTime(row.decidedAt),
        fulfilledAt: time(row.fulfilledAt),
        fulfilledByName: row.fulfilledBy,
        fulfilledLate: row.fulfilledLate,
        waivedAt: time(row.waivedAt),
        waivedByName: row.waivedBy,
        waivedReason: row.waivedReason,
        overdueAt: time(row.overdueAt),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}
