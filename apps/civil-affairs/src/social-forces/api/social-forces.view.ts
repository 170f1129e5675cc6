import { beijingMinute as beijingTime } from '@platform/contracts';
import { ROLE_NAMES_ZH, type Role } from '@platform/auth';
import { remainingOf, type ProjectState } from '../domain/purchased-project.decider.js';
import type { ProviderState } from '../domain/provider.decider.js';
import {
  OUTCOME_NAMES,
  SERVICE_STATUS_NAMES,
  type ServiceState,
} from '../domain/service-assignment.decider.js';
import {
  PROVIDER_KIND_NAMES,
  SERVICE_KIND_NAMES,
  type Officer,
  type ServiceKind,
} from '../domain/social-forces.values.js';

const officer = (o: Officer) => ({ name: o.name, roleName: ROLE_NAMES_ZH[o.role as Role] ?? o.role });
const serviceName = (s: ServiceKind) => SERVICE_KIND_NAMES[s] ?? s;

type PlaceName = (code: string) => string;

/** A provider as officers read it: kind, services and areas by name, users by name. */
export function providerView(s: ProviderState, placeName: PlaceName, userNames: Map<string, string>) {
  const p = s.profile!;
  return {
    providerId: s.providerId!,
    name: p.name,
    kind: p.kind,
    kindName: PROVIDER_KIND_NAMES[p.kind] ?? p.kind,
    services: p.services,
    serviceNames: p.services.map(serviceName),
    areas: p.areaCodes.map((code) => ({ code, name: placeName(code) || code })),
    users: p.userIds.map((id) => ({ id, name: userNames.get(id) ?? id })),
    contact: p.contact || null,
    countyName: placeName(s.countyCode!) || s.countyCode!,
    active: s.status === 'active',
    statusName: s.status === 'active' ? '服务中' : '已停止服务',
    registeredBy: officer(s.registeredBy!),
    registeredAt: beijingTime(s.registeredAt!),
    updatedAt: beijingTime(s.updatedAt!),
  };
}

/** A service as officers read it: the consent, the visits and the outcome, in Chinese and Beijing time. */
export function serviceView(s: ServiceState, placeName: PlaceName) {
  const a = s.assignment!;
  return {
    serviceId: a.serviceId,
    caseId: a.caseId,
    caseNumber: a.caseNumber,
    householdName: a.householdName,
    service: a.service,
    serviceName: serviceName(a.service),
    description: a.description,
    villageName: placeName(a.place.villageCode) || a.place.villageCode,
    countyName: placeName(a.place.countyCode) || a.place.countyCode,
    consent: { given: a.consent.given, recordedOn: a.consent.recordedOn, signedBy: a.consent.signedBy },
    provider: a.provider,
    projectId: a.projectId,
    cost: a.cost,
    status: s.status,
    statusName: SERVICE_STATUS_NAMES[s.status],
    assignedBy: officer(s.assignedBy!),
    assignedAt: beijingTime(s.assignedAt!),
    visits: s.visits.map((v) => ({
      visitId: v.visitId,
      visitedOn: v.visitedOn,
      content: v.content,
      by: officer(v.by),
      onBehalfOfProvider: v.onBehalfOfProvider,
      at: beijingTime(v.at),
    })),
    outcome: s.outcome && {
      outcome: s.outcome.outcome,
      outcomeName: OUTCOME_NAMES[s.outcome.outcome] ?? s.outcome.outcome,
      summary: s.outcome.summary,
      by: officer(s.outcome.by),
      at: beijingTime(s.outcome.at),
    },
    updatedAt: beijingTime(s.updatedAt!),
  };
}

/** A purchased-service project: budget, what is charged and what is left, each service charged. */
export function projectView(s: ProjectState, placeName: PlaceName) {
  const p = s.project!;
  return {
    projectId: p.projectId,
    name: p.name,
    provider: p.provider,
    countyName: placeName(p.countyCode) || p.countyCode,
    budget: p.budget,
    charged: s.chargedFen / 100,
    remaining: remainingOf(s),
    periodFrom: p.periodFrom,
    periodTo: p.periodTo,
    services: s.charges.map((c) => ({
      serviceId: c.serviceId,
      service: c.service,
      serviceName: serviceName(c.service),
      amount: c.amount,
      on: c.on,
      at: beijingTime(c.at),
    })),
    createdBy: officer(s.createdBy!),
    createdAt: beijingTime(s.createdAt!),
  };
}
