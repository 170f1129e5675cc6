import { beijingMinute as beijingTime } from '@platform/contracts';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskName, type AuthenticatedActor } from '@platform/auth';
import type { ProjectState } from '../../domain/purchased-project.decider.js';
import type { ProviderWithUsers } from '../commands/providers.js';
import {
  OUTCOME_NAMES,
  SERVICE_STATUS_NAMES,
  type Outcome,
  type ServiceState,
  type ServiceStatus,
} from '../../domain/service-assignment.decider.js';
import {
  PROVIDER_KIND_NAMES,
  SERVICE_KIND_NAMES,
  type ProviderKind,
  type ServiceKind,
} from '../../domain/social-forces.values.js';
import {
  countyScopeOf,
  projectFor,
  providerFor,
  scopeOf,
  serviceFor,
  SOCIAL_FORCES,
  type SocialForcesContext,
} from '../social-forces-context.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const serviceName = (s: string) => SERVICE_KIND_NAMES[s as ServiceKind] ?? s;

export interface PageFilter {
  page: number;
  pageSize: number;
}

/** Providers maintained by the reader's county (city-level readers and auditors: all), by name. */
export class ListSocialForceProvidersQuery extends Query<Page<Record<string, unknown>>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: PageFilter & { kind?: string; service?: string },
  ) {
    super();
  }
}

@QueryHandler(ListSocialForceProvidersQuery)
export class ListSocialForceProvidersHandler implements IQueryHandler<ListSocialForceProvidersQuery> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ actor, filter }: ListSocialForceProvidersQuery) {
    const tree = this.ctx.tree();
    const r = await this.ctx.query.listProviders({ countyCode: countyScopeOf(this.ctx, actor), ...filter });
    return {
      items: r.rows.map((row) => ({
        providerId: row.providerId,
        name: row.name,
        kind: row.kind,
        kindName: PROVIDER_KIND_NAMES[row.kind as ProviderKind] ?? row.kind,
        services: row.services,
        serviceNames: row.services.map(serviceName),
        areaNames: row.areaCodes.map((c) => tree.fullName(c) || c),
        countyName: tree.fullName(row.countyCode) || row.countyCode,
        active: row.active,
        statusName: row.active ? '服务中' : '已停止服务',
        updatedAt: beijingTime(row.updatedAt),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

export class ViewSocialForceProviderQuery extends Query<ProviderWithUsers> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly providerId: string,
  ) {
    super();
  }
}

@QueryHandler(ViewSocialForceProviderQuery)
export class ViewSocialForceProviderHandler implements IQueryHandler<ViewSocialForceProviderQuery> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ actor, providerId }: ViewSocialForceProviderQuery): Promise<ProviderWithUsers> {
    const { state } = await providerFor(this.ctx, actor, providerId, 'social-forces:view');
    return { state, userNames: await this.ctx.directory.namesOf(state.profile!.userIds) };
  }
}

/** Services of households in the reader's jurisdiction, newest first; a social worker sees their providers'. */
export class ListSocialServicesQuery extends Query<Page<Record<string, unknown>>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: PageFilter & { status?: string; providerId?: string },
  ) {
    super();
  }
}

@QueryHandler(ListSocialServicesQuery)
export class ListSocialServicesHandler implements IQueryHandler<ListSocialServicesQuery> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ actor, filter }: ListSocialServicesQuery) {
    const tree = this.ctx.tree();
    const r = await this.ctx.query.listServices({
      scope: scopeOf(this.ctx, actor),
      ...(actor.role === 'social_worker' ? { userId: actor.id } : {}),
      ...filter,
    });
    return {
      items: r.rows.map((row) => ({
        serviceId: row.serviceId,
        caseId: row.caseId,
        caseNumber: row.caseNumber,
        // Lists mask names; the service's detail view (access-logged) shows it whole.
        householdName: maskName(row.householdName),
        service: row.service,
        serviceName: serviceName(row.service),
        providerId: row.providerId,
        providerName: row.providerName,
        projectId: row.projectId,
        cost: row.costFen === null ? null : row.costFen / 100,
        villageName: tree.fullName(row.villageCode) || row.villageCode,
        status: row.status,
        statusName: SERVICE_STATUS_NAMES[row.status as ServiceStatus] ?? row.status,
        outcomeName: row.outcome ? (OUTCOME_NAMES[row.outcome as Outcome] ?? row.outcome) : null,
        visitCount: row.visitCount,
        assignedAt: beijingTime(row.assignedAt),
        closedAt: row.closedAt ? beijingTime(row.closedAt) : null,
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** One service, folded from its stream; the view is recorded in the access log. */
export class ViewSocialServiceQuery extends Query<ServiceState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly serviceId: string,
  ) {
    super();
  }
}

@QueryHandler(ViewSocialServiceQuery)
export class ViewSocialServiceHandler implements IQueryHandler<ViewSocialServiceQuery> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ actor, serviceId }: ViewSocialServiceQuery): Promise<ServiceState> {
    const { service } = await serviceFor(this.ctx, actor, serviceId, 'social-forces:view');
    const a = service.state.assignment!;
    await this.ctx.accessLog.record(actor, {
      resourceType: 'social-service',
      resourceId: serviceId,
      caseId: a.caseId,
      fields: ['householdName', 'description', 'visits.content', 'outcome.summary'],
      purpose: null,
    });
    return service.state;
  }
}

/** Purchased-service projects of the reader's county (city-level readers and auditors: all), newest first. */
export class ListPurchasedServiceProjectsQuery extends Query<Page<Record<string, unknown>>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: PageFilter,
  ) {
    super();
  }
}

@QueryHandler(ListPurchasedServiceProjectsQuery)
export class ListPurchasedServiceProjectsHandler implements IQueryHandler<ListPurchasedServiceProjectsQuery> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ actor, filter }: ListPurchasedServiceProjectsQuery) {
    const tree = this.ctx.tree();
    const r = await this.ctx.query.listProjects({ countyCode: countyScopeOf(this.ctx, actor), ...filter });
    return {
      items: r.rows.map((row) => ({
        projectId: row.projectId,
        name: row.name,
        providerId: row.providerId,
        providerName: row.providerName,
        countyName: tree.fullName(row.countyCode) || row.countyCode,
        budget: row.budgetFen / 100,
        charged: row.chargedFen / 100,
        remaining: (row.budgetFen - row.chargedFen) / 100,
        serviceCount: row.serviceCount,
        periodFrom: row.periodFrom,
        periodTo: row.periodTo,
        createdAt: beijingTime(row.createdAt),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

export class ViewPurchasedServiceProjectQuery extends Query<ProjectState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly projectId: string,
  ) {
    super();
  }
}

@QueryHandler(ViewPurchasedServiceProjectQuery)
export class ViewPurchasedServiceProjectHandler implements IQueryHandler<ViewPurchasedServiceProjectQuery> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ actor, projectId }: ViewPurchasedServiceProjectQuery): Promise<ProjectState> {
    return (await projectFor(this.ctx, actor, projectId, 'social-forces:view')).state;
  }
}
