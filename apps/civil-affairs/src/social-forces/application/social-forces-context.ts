import type {
  AccessLog,
  AuthenticatedActor,
  Authorizer,
  JurisdictionTree,
  UserDirectory,
} from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { DeciderStore, type EventStore, type Loaded, type RecordedEvent } from '@platform/event-store';
import type { Pool } from 'pg';
import {
  projectDecider,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
} from '../domain/purchased-project.decider.js';
import {
  providerDecider,
  type ProviderCommand,
  type ProviderEvent,
  type ProviderState,
} from '../domain/provider.decider.js';
import {
  serviceDecider,
  type ProviderSnapshot,
  type ServiceCommand,
  type ServiceEvent,
  type ServiceState,
} from '../domain/service-assignment.decider.js';
import type { Officer } from '../domain/social-forces.values.js';
import { projectStream, providerStream, serviceStream } from '../read-model/social-forces.projection.js';
import type { Scope, SocialForcesQuery } from '../read-model/social-forces.query.js';

export type ProviderStore = DeciderStore<ProviderCommand, ProviderEvent, ProviderState>;
export type ServiceStore = DeciderStore<ServiceCommand, ServiceEvent, ServiceState>;
export type ProjectStore = DeciderStore<ProjectCommand, ProjectEvent, ProjectState>;

function storeOf<C, E, S>(
  store: EventStore,
  decider: { decide: (c: C, s: S) => E[]; evolve: (s: S, e: E) => S; initialState: () => S },
  streamOf: (id: string) => string,
): DeciderStore<C, E, S> {
  return new DeciderStore<C, E, S>({
    store,
    decider,
    streamOf,
    toStored: (e) => e as { type: string; data: unknown },
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as E,
  });
}

/** Providers `social-force-provider-<id>`, services `social-service-<id>`, projects `purchased-service-project-<id>`. */
export function socialForcesStores(store: EventStore) {
  return {
    providers: storeOf(store, providerDecider, providerStream) as ProviderStore,
    services: storeOf(store, serviceDecider, serviceStream) as ServiceStore,
    projects: storeOf(store, projectDecider, projectStream) as ProjectStore,
  };
}

/** What the social-forces command and query handlers work on. */
export interface SocialForcesContext {
  providers: ProviderStore;
  services: ServiceStore;
  projects: ProjectStore;
  query: SocialForcesQuery;
  /** The service pool: a service under a project is assigned and charged in one transaction. */
  pool: Pool;
  schema: string;
  directory: UserDirectory;
  tree: () => JurisdictionTree;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
}

export const SOCIAL_FORCES = Symbol('SOCIAL_FORCES');

export const officerOf = (actor: AuthenticatedActor): Officer => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
});

/** The county an officer belongs to; 403 for an account whose jurisdiction is above or outside counties. */
export function countyOf(ctx: SocialForcesContext, actor: AuthenticatedActor, permission: string): string {
  const county = ctx.tree().at(actor.jurisdiction, 'county');
  if (!county) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      `无权执行此操作（${permission}）：须由旗县区民政部门办理`,
      403,
      {
        permission,
      },
    );
  }
  return county.code;
}

/** The county whose records a reader sees; null (every county) for city-level readers and auditors. */
export function countyScopeOf(ctx: SocialForcesContext, actor: AuthenticatedActor): string | null {
  if (actor.role === 'auditor') return null;
  const node = ctx.tree().get(actor.jurisdiction);
  if (!node) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      '无权执行此操作（social-forces:list）：账号的辖区未登记',
      403,
    );
  }
  return node.level === 'city' ? null : (ctx.tree().at(node.code, 'county')?.code ?? node.code);
}

/** The actor's node as a list scope; null for auditors (everything). */
export function scopeOf(ctx: SocialForcesContext, actor: AuthenticatedActor): Scope | null {
  if (actor.role === 'auditor') return null;
  const node = ctx.tree().get(actor.jurisdiction);
  if (!node) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      '无权执行此操作（social-forces:list）：账号的辖区未登记',
      403,
    );
  }
  return { level: node.level, code: node.code };
}

/** A provider: 404 when absent (422 naming the field when it came in a request body), 403 outside the county. */
export async function providerFor(
  ctx: SocialForcesContext,
  actor: AuthenticatedActor,
  providerId: string,
  permission: string,
  field?: string,
): Promise<Loaded<ProviderState>> {
  const loaded = await ctx.providers.load(providerId);
  if (loaded.state.status === 'none') {
    if (field) {
      throw new DomainError('PROVIDER_NOT_FOUND', `${field}：社会力量 ${providerId} 未登记`, 422, { field });
    }
    throw new DomainError('PROVIDER_NOT_FOUND', '社会力量不存在', 404);
  }
  if (!field && actor.role !== 'auditor') ctx.authz.assertWithin(actor, loaded.state.countyCode!, permission);
  return loaded;
}

export const snapshotOf = (s: ProviderState): ProviderSnapshot => ({
  providerId: s.providerId!,
  name: s.profile!.name,
  active: s.status === 'active',
  services: s.profile!.services,
  areaCodes: s.profile!.areaCodes,
  userIds: s.profile!.userIds,
});

/**
 * A service: 404 when absent, 403 outside the officer's jurisdiction, and for a social worker 403 unless
 * they act for the provider that holds it. Returns the provider too (its users as they stand).
 */
export async function serviceFor(
  ctx: SocialForcesContext,
  actor: AuthenticatedActor,
  serviceId: string,
  permission: string,
): Promise<{ service: Loaded<ServiceState>; provider: ProviderState }> {
  const service = await ctx.services.load(serviceId);
  if (service.state.status === 'none') {
    throw new DomainError('SERVICE_NOT_FOUND', '社会力量服务不存在', 404);
  }
  const a = service.state.assignment!;
  if (actor.role !== 'auditor') ctx.authz.assertWithin(actor, a.place.villageCode, permission);
  const provider = (await ctx.providers.load(a.provider.providerId)).state;
  if (actor.role === 'social_worker' && !provider.profile?.userIds.includes(actor.id)) {
    throw new DomainError(
      'NOT_PROVIDER_STAFF',
      `无权执行此操作（${permission}）：该服务由${a.provider.name}承接，您不是其登记的工作人员`,
      403,
      { permission },
    );
  }
  return { service, provider };
}

/** A project: 404 when absent, 403 outside the county. */
export async function projectFor(
  ctx: SocialForcesContext,
  actor: AuthenticatedActor,
  projectId: string,
  permission: string,
): Promise<Loaded<ProjectState>> {
  const loaded = await ctx.projects.load(projectId);
  if (loaded.state.status === 'none') {
    throw new DomainError('PROJECT_NOT_FOUND', '政府购买服务项目不存在', 404);
  }
  if (actor.role !== 'auditor') ctx.authz.assertWithin(actor, loaded.state.project!.countyCode, permission);
  return loaded;
}
