import { beijingMinute as beijingTime } from '@platform/contracts';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AuthenticatedActor } from '@platform/auth';
import {
  COORDINATION_STATUS_NAMES,
  departmentName,
  type CoordinationState,
  type CoordinationStatus,
} from '../../domain/coordination.decider.js';
import { COORDINATION, itemFor, scopeOf, type CoordinationContext } from '../coordination-context.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CoordinationListItem {
  itemId: string;
  caseId: string;
  caseNumber: string;
  need: string;
  departmentNames: string[];
  villageName: string;
  status: string;
  statusName: string;
  meetingCount: number;
  decisionCount: number;
  doneCount: number;
  overdueCount: number;
  openedByName: string;
  openedAt: string;
  closedAt: string | null;
}

/** The items of the actor's jurisdiction (auditors, city-level roles: all), newest first. */
export class ListCoordinationItemsQuery extends Query<Page<CoordinationListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { status?: CoordinationStatus; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListCoordinationItemsQuery)
export class ListCoordinationItemsHandler implements IQueryHandler<ListCoordinationItemsQuery> {
  constructor(@Inject(COORDINATION) private readonly ctx: CoordinationContext) {}

  async execute({ actor, filter }: ListCoordinationItemsQuery): Promise<Page<CoordinationListItem>> {
    const tree = this.ctx.tree();
    const r = await this.ctx.query.list({ scope: scopeOf(this.ctx, actor), ...filter });
    return {
      items: r.rows.map((row) => ({
        itemId: row.itemId,
        caseId: row.caseId,
        caseNumber: row.caseNumber,
        need: row.need,
        departmentNames: row.departments.map(departmentName),
        villageName: tree.fullName(row.villageCode) || row.villageCode,
        status: row.status,
        statusName: COORDINATION_STATUS_NAMES[row.status as CoordinationStatus] ?? row.status,
        meetingCount: row.meetingCount,
        decisionCount: row.decisionCount,
        doneCount: row.doneCount,
        overdueCount: row.overdueCount,
        openedByName: row.openedByName,
        openedAt: beijingTime(row.openedAt),
        closedAt: row.closedAt ? beijingTime(row.closedAt) : null,
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** One item folded from its stream; the view is recorded in the access log (the need may be personal). */
export class ViewCoordinationItemQuery extends Query<CoordinationState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly itemId: string,
  ) {
    super();
  }
}

@QueryHandler(ViewCoordinationItemQuery)
export class ViewCoordinationItemHandler implements IQueryHandler<ViewCoordinationItemQuery> {
  constructor(@Inject(COORDINATION) private readonly ctx: CoordinationContext) {}

  async execute({ actor, itemId }: ViewCoordinationItemQuery): Promise<CoordinationState> {
    const { state } = await itemFor(this.ctx, actor, itemId, 'coordination:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'coordination',
      resourceId: itemId,
      caseId: state.item!.caseId,
      fields: ['need', 'meetings.minutes', 'followUps.note'],
      purpose: null,
    });
    return state;
  }
}
