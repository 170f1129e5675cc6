import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { In, type EntityManager } from 'typeorm';
import { projectDecider, type ProjectEvent, type ProjectState } from '../domain/purchased-project.decider.js';
import { providerDecider, type ProviderEvent, type ProviderState } from '../domain/provider.decider.js';
import {
  serviceDecider,
  type ServiceEvent,
  type ServiceState,
} from '../domain/service-assignment.decider.js';
import { fen } from '../domain/social-forces.values.js';
import {
  PurchasedServiceProjectRow,
  SocialForceProviderRow,
  SocialServiceRow,
} from './social-forces.entities.js';
import { SOCIAL_FORCES_PROJECTION_NAME } from './social-forces.read-model.js';

export const PROVIDER_STREAM_PREFIX = 'social-force-provider-';
export const SERVICE_STREAM_PREFIX = 'social-service-';
export const PROJECT_STREAM_PREFIX = 'purchased-service-project-';

export const providerStream = (id: string) => `${PROVIDER_STREAM_PREFIX}${id}`;
export const serviceStream = (id: string) => `${SERVICE_STREAM_PREFIX}${id}`;
export const projectStream = (id: string) => `${PROJECT_STREAM_PREFIX}${id}`;

const fold = <E, S>(d: { evolve: (s: S, e: E) => S; initialState: () => S }, history: RecordedEvent[]): S =>
  history.reduce((s, e) => d.evolve(s, { type: e.type, data: e.data } as E), d.initialState());

export function providerRowOf(s: ProviderState, updatedAt: Date): SocialForceProviderRow | null {
  if (s.status === 'none') return null;
  const p = s.profile!;
  return {
    providerId: s.providerId!,
    name: p.name,
    kind: p.kind,
    services: p.services,
    areaCodes: p.areaCodes,
    userIds: p.userIds,
    countyCode: s.countyCode!,
    active: s.status === 'active',
    registeredAt: new Date(s.registeredAt!),
    updatedAt,
  };
}

export function serviceRowOf(s: ServiceState, updatedAt: Date): SocialServiceRow | null {
  if (s.status === 'none') return null;
  const a = s.assignment!;
  return {
    serviceId: a.serviceId,
    caseId: a.caseId,
    caseNumber: a.caseNumber,
    householdName: a.householdName,
    service: a.service,
    providerId: a.provider.providerId,
    providerName: a.provider.name,
    projectId: a.projectId,
    costFen: a.cost === null ? null : fen(a.cost),
    villageCode: a.place.villageCode,
    townshipCode: a.place.townshipCode,
    countyCode: a.place.countyCode,
    status: s.status,
    outcome: s.outcome?.outcome ?? null,
    visitCount: s.visits.length,
    assignedAt: new Date(s.assignedAt!),
    closedAt: s.outcome ? new Date(s.outcome.at) : null,
    updatedAt,
  };
}

export function projectRowOf(s: ProjectState, updatedAt: Date): PurchasedServiceProjectRow | null {
  if (s.status === 'none') return null;
  const p = s.project!;
  return {
    projectId: p.projectId,
    name: p.name,
    providerId: p.provider.providerId,
    providerName: p.provider.name,
    countyCode: p.countyCode,
    budgetFen: fen(p.budget),
    chargedFen: s.chargedFen,
    serviceCount: s.charges.length,
    periodFrom: p.periodFrom,
    periodTo: p.periodTo,
    createdAt: new Date(s.createdAt!),
    updatedAt,
  };
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
async function replace(manager: EntityManager, entity: Function, key: string, ids: string[], rows: object[]) {
  if (ids.length === 0) return;
  await manager.delete(entity, { [key]: In(ids) });
  if (rows.length > 0) {
    await manager.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
  }
}

/**
 * The providers, services and projects kept current by re-folding each touched stream and replacing its
 * row: one delete and one insert per table and batch.
 */
export function socialForcesProjection(store: EventStore): Projection {
  return {
    name: SOCIAL_FORCES_PROJECTION_NAME,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(SocialForceProviderRow).execute();
      await manager.createQueryBuilder().delete().from(SocialServiceRow).execute();
      await manager.createQueryBuilder().delete().from(PurchasedServiceProjectRow).execute();
    },
    async apply(events, manager) {
      const touched = new Set<string>();
      for (const e of events) {
        if (
          e.streamId.startsWith(PROVIDER_STREAM_PREFIX) ||
          e.streamId.startsWith(SERVICE_STREAM_PREFIX) ||
          e.streamId.startsWith(PROJECT_STREAM_PREFIX)
        )
          touched.add(e.streamId);
      }
      if (touched.size === 0) return;
      const histories = await store.readStreams([...touched]);
      const ids = { providers: [] as string[], services: [] as string[], projects: [] as string[] };
      const providers: SocialForceProviderRow[] = [];
      const services: SocialServiceRow[] = [];
      const projects: PurchasedServiceProjectRow[] = [];
      for (const stream of touched) {
        const history = histories.get(stream) ?? [];
        if (history.length === 0) continue;
        const at = history.at(-1)!.recordedAt;
        if (stream.startsWith(PROVIDER_STREAM_PREFIX)) {
          ids.providers.push(stream.slice(PROVIDER_STREAM_PREFIX.length));
          const row = providerRowOf(fold<ProviderEvent, ProviderState>(providerDecider, history), at);
          if (row) providers.push(row);
        } else if (stream.startsWith(SERVICE_STREAM_PREFIX)) {
          ids.services.push(stream.slice(SERVICE_STREAM_PREFIX.length));
          const row = serviceRowOf(fold<ServiceEvent, ServiceState>(serviceDecider, history), at);
          if (row) services.push(row);
        } else {
          ids.projects.push(stream.slice(PROJECT_STREAM_PREFIX.length));
          const row = projectRowOf(fold<ProjectEvent, ProjectState>(projectDecider, history), at);
          if (row) projects.push(row);
        }
      }
      await replace(manager, SocialForceProviderRow, 'providerId', ids.providers, providers);
      await replace(manager, SocialServiceRow, 'serviceId', ids.services, services);
      await replace(manager, PurchasedServiceProjectRow, 'projectId', ids.projects, projects);
    },
  };
}
