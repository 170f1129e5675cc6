import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Authorizer, maskIdNumber, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  STAFF_KIND_NAMES,
  type StaffFilingState,
  type StaffKind,
} from '../../domain/staff-filing.decider.js';
import type { JurisdictionScope } from '../../read-model/staff-filing.query.js';
import { filingFor, jurisdictionNode, STAFF_FILINGS, type StaffFilings } from '../staff-filings.js';

export interface StaffFilingListItem {
  filingId: string;
  staffName: string;
  /** Masked: full ID numbers only on the detail view, which is recorded. */
  staffIdNumber: string;
  kind: string;
  kindName: string;
  position: string;
  organisation: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  relativeCount: number;
  active: boolean;
  statusName: string;
  filedAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface StaffFilingListRequest {
  organisation?: string;
  jurisdictionCode?: string;
  active?: boolean;
  kind?: StaffKind;
  name?: string;
  page: number;
  pageSize: number;
}

/** The filings of the actor's jurisdiction (auditors: all), newest first, ID numbers masked. */
export class ListStaffFilingsQuery extends Query<Page<StaffFilingListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: StaffFilingListRequest,
  ) {
    super();
  }
}

@QueryHandler(ListStaffFilingsQuery)
export class ListStaffFilingsHandler implements IQueryHandler<ListStaffFilingsQuery> {
  constructor(
    @Inject(STAFF_FILINGS) private readonly ctx: StaffFilings,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ actor, filter }: ListStaffFilingsQuery): Promise<Page<StaffFilingListItem>> {
    const tree = this.authz.tree;
    const permission = 'staff-filings:list';
    let scope: JurisdictionScope | null = null;
    if (actor.role !== 'auditor') {
      const own = tree.get(actor.jurisdiction);
      if (!own) {
        throw new DomainError(
          'OUT_OF_JURISDICTION',
          `无权执行此操作（${permission}）：账号的辖区未登记`,
          403,
          {
            permission,
          },
        );
      }
      scope = { code: own.code, level: own.level };
    }
    let jurisdiction: JurisdictionScope | undefined;
    if (filter.jurisdictionCode) {
      const node = jurisdictionNode(tree, filter.jurisdictionCode, 'jurisdictionCode');
      if (actor.role !== 'auditor') this.authz.assertWithin(actor, node.code, permission);
      jurisdiction = { code: node.code, level: node.level };
    }
    if (actor.role === 'township_officer' && filter.kind === 'staff') {
      throw new DomainError(
        'CADRES_ONLY',
        `无权执行此操作（${permission}）：乡镇（街道）只能查看所辖村（社区）村（居）委会干部的备案`,
        403,
        { permission },
      );
    }
    const r = await this.ctx.query.list({
      scope,
      jurisdiction,
      kind: actor.role === 'township_officer' ? 'cadre' : filter.kind,
      organisation: filter.organisation?.trim() || undefined,
      active: filter.active,
      name: filter.name?.trim() || undefined,
      page: filter.page,
      pageSize: filter.pageSize,
    });
    return {
      items: r.rows.map((row) => ({
        filingId: row.filingId,
        staffName: row.staffName,
        staffIdNumber: maskIdNumber(row.idNumber),
        kind: row.staffKind,
        kindName: STAFF_KIND_NAMES[row.staffKind as StaffKind] ?? row.staffKind,
        position: row.position,
        organisation: row.organisation,
        jurisdictionCode: row.jurisdictionCode,
        jurisdictionName: tree.fullName(row.jurisdictionCode) || row.jurisdictionCode,
        relativeCount: row.relativeCount,
        active: row.active,
        statusName: row.active ? '在册' : '已注销',
        filedAt: row.filedAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** One filing with every ID number in full: the view is recorded in the access log. */
export class ViewStaffFilingQuery extends Query<StaffFilingState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filingId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewStaffFilingQuery)
export class ViewStaffFilingHandler implements IQueryHandler<ViewStaffFilingQuery> {
  constructor(
    @Inject(STAFF_FILINGS) private readonly ctx: StaffFilings,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ actor, filingId, purpose }: ViewStaffFilingQuery): Promise<StaffFilingState> {
    const state = await filingFor(this.ctx, this.authz, actor, filingId, 'staff-filings:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'staff-filing',
      resourceId: filingId,
      caseId: null,
      fields: ['staff.idNumber', 'relatives.name', 'relatives.idNumber'],
      purpose,
    });
    return state;
  }
}
