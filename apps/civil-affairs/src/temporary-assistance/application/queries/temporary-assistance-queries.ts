import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, type AuthenticatedActor } from '@platform/auth';
import {
  AREA_NAMES,
  HARDSHIP_KIND_NAMES,
  STATUS_NAMES,
  type Area,
  type HardshipKind,
  type Status,
  type TemporaryAssistanceState,
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

/** Beijing wall time of an instant, as officers read it: 2026-11-27 10:00. */
export function beijingTime(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
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
    readonly filter: { status?: Status; page: number; pageSize: number },
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
