import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  projectDecider,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
} from './purchased-project.decider.js';
import {
  providerDecider,
  type ProviderCommand,
  type ProviderEvent,
  type ProviderProfile,
  type ProviderState,
} from './provider.decider.js';
import {
  serviceDecider,
  type ProviderSnapshot,
  type ServiceCommand,
  type ServiceEvent,
  type ServiceState,
} from './service-assignment.decider.js';

const providers = deciderSpec<ProviderCommand, ProviderEvent, ProviderState>(providerDecider);
const services = deciderSpec<ServiceCommand, ServiceEvent, ServiceState>(serviceDecider);
const projects = deciderSpec<ProjectCommand, ProjectEvent, ProjectState>(projectDecider);

// 2026-11-27 10:00 Beijing.
const now = '2026-11-27T02:00:00.000Z';
const county = { id: 'u-ca-linhe', name: '刘海燕', role: 'county_civil_affairs' };
const worker = { id: 'u-sw-linhe', name: '何芳', role: 'social_worker' };
const otherWorker = { id: 'u-sw-other', name: '张三', role: 'social_worker' };
const providerId = '0190a4c4-0000-7000-8000-00000000e001';
const serviceId = '0190a4c4-0000-7000-8000-00000000e101';
const projectId = '0190a4c4-0000-7000-8000-00000000e201';
const LINHE = '150802000000';
const place = { villageCode: '150802100201', townshipCode: '150802100000', countyCode: LINHE };
const placePath = [place.villageCode, place.townshipCode, LINHE, '150800000000'];

function refused<C, E, S>(
  decider: { decide: (c: C, s: S) => E[]; evolve: (s: S, e: E) => S; initialState: () => S },
  given: E[],
  command: C,
  code: string,
  status: number,
): DomainError {
  try {
    decider.decide(command, given.reduce(decider.evolve, decider.initialState()));
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code, status });
    return e as DomainError;
  }
  throw new Error(`expected ${code}`);
}

const profile: ProviderProfile = {
  name: '临河区阳光社会工作服务中心',
  kind: 'social_organisation',
  services: ['daily_care', 'counselling'],
  areaCodes: [LINHE],
  userIds: [worker.id],
  contact: '',
};

describe('social-force provider decider', () => {
  it('registers a provider with its services, areas and users', () => {
    providers
      .given([])
      .when({ type: 'RegisterProvider', providerId, countyCode: LINHE, profile, actor: county, now })
      .then([
        {
          type: 'civil-affairs.SocialForceProviderRegistered',
          data: { providerId, countyCode: LINHE, profile, by: county, at: now },
        },
      ]);
  });

  it('refuses a service outside the fixed list and a provider without services or area', () => {
    const register = (p: Partial<ProviderProfile>): ProviderCommand => ({
      type: 'RegisterProvider',
      providerId,
      countyCode: LINHE,
      profile: { ...profile, ...p },
      actor: county,
      now,
    });
    expect(
      refused(
        providerDecider,
        [],
        register({ services: ['daily_care', 'cooking'] as never }),
        'UNKNOWN_SERVICE',
        422,
      ).message,
    ).toMatch(/^services\[1\]：服务应为 daily_care（生活照料）/);
    refused(providerDecider, [], register({ services: [] }), 'NO_SERVICES', 422);
    refused(providerDecider, [], register({ areaCodes: [] }), 'NO_AREA', 422);
    refused(providerDecider, [], register({ kind: 'company' as never }), 'UNKNOWN_PROVIDER_KIND', 422);
  });
});

const snapshot: ProviderSnapshot = {
  providerId,
  name: profile.name,
  active: true,
  services: profile.services,
  areaCodes: profile.areaCodes,
  userIds: profile.userIds,
};
const consent = { given: true, recordedOn: '2026-11-26', signedBy: '王建国' };
const assign = (over: Partial<Extract<ServiceCommand, { type: 'AssignService' }>> = {}): ServiceCommand => ({
  type: 'AssignService',
  serviceId,
  caseId: '0190a4c4-0000-7000-8000-0000000000aa',
  caseNumber: 'LH-2026-000123',
  householdName: '王建国',
  service: 'daily_care',
  description: '独居老人，每周上门照料',
  place,
  placePath,
  consent,
  provider: snapshot,
  projectId: null,
  cost: null,
  actor: county,
  now,
  ...over,
});
const assigned: ServiceEvent = {
  type: 'civil-affairs.SocialServiceAssigned',
  data: {
    serviceId,
    caseId: '0190a4c4-0000-7000-8000-0000000000aa',
    caseNumber: 'LH-2026-000123',
    householdName: '王建国',
    service: 'daily_care',
    description: '独居老人，每周上门照料',
    place,
    consent,
    provider: { providerId, name: profile.name },
    projectId: null,
    cost: null,
    by: county,
    at: now,
  },
};
const visited: ServiceEvent = {
  type: 'civil-affairs.SocialServiceVisitRecorded',
  data: {
    serviceId,
    visitId: 'v1',
    visitedOn: '2026-11-27',
    content: '上门打扫卫生',
    by: worker,
    onBehalfOfProvider: false,
    at: now,
  },
};
const closed: ServiceEvent = {
  type: 'civil-affairs.SocialServiceClosed',
  data: { serviceId, outcome: 'goal_met', summary: '生活环境改善', by: worker, at: now },
};

describe('social service assignment decider', () => {
  it('assigns a service with the household consent to a provider offering it in the area', () => {
    services.given([]).when(assign()).then([assigned]);
  });

  it('requires the household consent: none, or not given, is refused', () => {
    const e = refused(serviceDecider, [], assign({ consent: null }), 'CONSENT_REQUIRED', 422);
    expect(e.message).toMatch(/^consent\.given：/);
    refused(serviceDecider, [], assign({ consent: { ...consent, given: false } }), 'CONSENT_REQUIRED', 422);
    refused(
      serviceDecider,
      [],
      assign({ consent: { ...consent, recordedOn: '2026-11-28' } }),
      'CONSENT_IN_FUTURE',
      422,
    );
  });

  it('requires a provider that offers the service', () => {
    const e = refused(
      serviceDecider,
      [],
      assign({ service: 'resource_linking' }),
      'SERVICE_NOT_OFFERED',
      422,
    );
    expect(e.message).toContain('资源链接');
    refused(
      serviceDecider,
      [],
      assign({ provider: { ...snapshot, active: false } }),
      'PROVIDER_INACTIVE',
      422,
    );
  });

  it('requires the household to live in the provider area', () => {
    const wuyuan = ['150821100201', '150821100000', '150821000000', '150800000000'];
    refused(
      serviceDecider,
      [],
      assign({
        placePath: wuyuan,
        place: { villageCode: wuyuan[0]!, townshipCode: wuyuan[1]!, countyCode: wuyuan[2]! },
      }),
      'OUTSIDE_PROVIDER_AREA',
      422,
    );
    // An area given as a township covers its villages.
    services
      .given([])
      .when(assign({ provider: { ...snapshot, areaCodes: [place.townshipCode] } }))
      .thenState((s) => expect(s.status).toBe('in_service'));
  });

  it('charges a cost only under a project', () => {
    refused(serviceDecider, [], assign({ projectId, cost: null }), 'COST_REQUIRED', 422);
    refused(serviceDecider, [], assign({ cost: 100 }), 'PROJECT_REQUIRED', 422);
  });

  it('lets the provider social worker, or the county on its behalf, record visits', () => {
    services
      .given([assigned])
      .when({
        type: 'RecordVisit',
        visitId: 'v1',
        visitedOn: '2026-11-27',
        content: '上门打扫卫生',
        providerUserIds: [worker.id],
        actor: worker,
        now,
      })
      .then([visited]);
    services
      .given([assigned])
      .when({
        type: 'RecordVisit',
        visitId: 'v2',
        visitedOn: '2026-11-27',
        content: '电话回访',
        providerUserIds: [worker.id],
        actor: county,
        now,
      })
      .thenState((s) => expect(s.visits[0]).toMatchObject({ onBehalfOfProvider: true, by: county }));
    refused(
      serviceDecider,
      [assigned],
      {
        type: 'RecordVisit',
        visitId: 'v3',
        visitedOn: '2026-11-27',
        content: '走访',
        providerUserIds: [worker.id],
        actor: otherWorker,
        now,
      },
      'NOT_PROVIDER_STAFF',
      403,
    );
    refused(
      serviceDecider,
      [assigned],
      {
        type: 'RecordVisit',
        visitId: 'v4',
        visitedOn: '2026-11-26',
        content: '走访',
        providerUserIds: [worker.id],
        actor: worker,
        now,
      },
      'VISIT_BEFORE_ASSIGNMENT',
      422,
    );
  });

  it('closes the service with the outcome, and refuses a visit after it', () => {
    services
      .given([assigned, visited])
      .when({
        type: 'RecordOutcome',
        outcome: 'goal_met',
        summary: '生活环境改善',
        providerUserIds: [worker.id],
        actor: worker,
        now,
      })
      .then([closed]);
    refused(
      serviceDecider,
      [assigned, visited, closed],
      {
        type: 'RecordVisit',
        visitId: 'v5',
        visitedOn: '2026-11-27',
        content: '再次走访',
        providerUserIds: [worker.id],
        actor: worker,
        now,
      },
      'VISIT_AFTER_OUTCOME',
      409,
    );
    refused(
      serviceDecider,
      [assigned, visited, closed],
      {
        type: 'RecordOutcome',
        outcome: 'not_met',
        summary: '改',
        providerUserIds: [worker.id],
        actor: county,
        now,
      },
      'SERVICE_CLOSED',
      409,
    );
  });
});

const created: ProjectEvent = {
  type: 'civil-affairs.PurchasedServiceProjectCreated',
  data: {
    projectId,
    name: '2026 年生活照料服务项目',
    countyCode: LINHE,
    provider: { providerId, name: profile.name },
    budget: 1000,
    periodFrom: '2026-01-01',
    periodTo: '2026-12-31',
    by: county,
    at: now,
  },
};
const charge = (id: string, amount: number): ProjectCommand => ({
  type: 'ChargeService',
  serviceId: id,
  service: 'daily_care',
  providerId,
  amount,
  on: '2026-11-27',
  actor: county,
  now,
});
const charged = (id: string, amount: number): ProjectEvent => ({
  type: 'civil-affairs.PurchasedServiceCharged',
  data: { projectId, serviceId: id, service: 'daily_care', amount, on: '2026-11-27', by: county, at: now },
});

describe('purchased-service project decider', () => {
  it('creates a project with a budget for a period', () => {
    projects
      .given([])
      .when({
        type: 'CreateProject',
        projectId,
        name: '2026 年生活照料服务项目',
        countyCode: LINHE,
        provider: { providerId, name: profile.name },
        budget: 1000,
        periodFrom: '2026-01-01',
        periodTo: '2026-12-31',
        actor: county,
        now,
      })
      .then([created]);
    refused(
      projectDecider,
      [],
      {
        type: 'CreateProject',
        projectId,
        name: '项目',
        countyCode: LINHE,
        provider: { providerId, name: profile.name },
        budget: 1000,
        periodFrom: '2026-12-31',
        periodTo: '2026-01-01',
        actor: county,
        now,
      },
      'INVALID_PERIOD',
      422,
    );
  });

  it('charges exactly up to the budget, and refuses one fen over', () => {
    // 0.1 + 0.2 never decides: compared in fen.
    projects
      .given([created, charged('s1', 999.7)])
      .when(charge('s2', 0.3))
      .then([charged('s2', 0.3)]);
    const e = refused(
      projectDecider,
      [created, charged('s1', 999.7)],
      charge('s2', 0.31),
      'BUDGET_EXCEEDED',
      422,
    );
    expect(e.message).toMatch(
      /^cost：服务费用 0\.31 元超出项目「2026 年生活照料服务项目」的剩余预算（预算 1000 元，已用 999\.70 元，剩余 0\.30 元）/,
    );
    projects
      .given([created])
      .when(charge('s1', 1000))
      .then([charged('s1', 1000)]);
    refused(projectDecider, [created], charge('s1', 1000.01), 'BUDGET_EXCEEDED', 422);
  });

  it('counts each service once, only the project provider, only within the period', () => {
    projects
      .given([created, charged('s1', 100)])
      .when(charge('s1', 100))
      .then([]);
    refused(
      projectDecider,
      [created],
      { ...charge('s1', 100), providerId: 'other' } as ProjectCommand,
      'PROVIDER_NOT_IN_PROJECT',
      422,
    );
    refused(
      projectDecider,
      [created],
      { ...charge('s1', 100), on: '2027-01-01' } as ProjectCommand,
      'OUTSIDE_PROJECT_PERIOD',
      422,
    );
    projects
      .given([created, charged('s1', 100), charged('s2', 250.5)])
      .when(charge('s3', 1))
      .thenState((s) => expect(s.chargedFen).toBe(35150));
  });
});
