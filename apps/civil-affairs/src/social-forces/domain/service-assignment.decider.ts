import {
  amountOf,
  beijingDay,
  day,
  err,
  required,
  SERVICE_KIND_NAMES,
  SERVICE_KINDS,
  serviceKindList,
  type Officer,
  type ServiceKind,
} from './social-forces.values.js';

/**
 * 社会力量服务: county civil affairs assigns one service (生活照料, 心理疏导, 资源链接, 能力提升) for an assisted
 * household's case to a provider, only with the household's recorded consent and only to a provider
 * that offers that service in the household's area; the provider (its linked social worker, or a county
 * officer on its behalf) records visits, then the outcome, which closes the service. Pure: the provider
 * as it stands, the household's place and its path up the jurisdiction tree come in with the command.
 */

export const OUTCOMES = ['goal_met', 'partially_met', 'not_met', 'household_withdrew'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_NAMES: Record<Outcome, string> = {
  goal_met: '服务目标达成',
  partially_met: '服务目标部分达成',
  not_met: '服务目标未达成',
  household_withdrew: '家庭退出服务',
};

export type ServiceStatus = 'none' | 'in_service' | 'closed';
export const SERVICE_STATUS_NAMES: Record<ServiceStatus, string> = {
  none: '不存在',
  in_service: '服务中',
  closed: '已结案',
};

export interface Consent {
  /** The household agreed to the service and to its details being shared with the provider. */
  given: boolean;
  /** The day the consent was signed (YYYY-MM-DD). */
  recordedOn: string;
  /** Who signed for the household. */
  signedBy: string;
}

/** The provider as it stands when the service is assigned or a visit recorded (from its stream). */
export interface ProviderSnapshot {
  providerId: string;
  name: string;
  active: boolean;
  services: ServiceKind[];
  areaCodes: string[];
  userIds: string[];
}

export interface Place {
  villageCode: string;
  townshipCode: string;
  countyCode: string;
}

export interface Assignment {
  serviceId: string;
  caseId: string;
  caseNumber: string;
  householdName: string;
  service: ServiceKind;
  description: string;
  place: Place;
  consent: Consent;
  provider: { providerId: string; name: string };
  /** The purchased-service project it is delivered under, and its cost charged there (yuan). */
  projectId: string | null;
  cost: number | null;
}

export interface Visit {
  visitId: string;
  visitedOn: string;
  content: string;
  by: Officer;
  onBehalfOfProvider: boolean;
  at: string;
}

export interface ServiceState {
  status: ServiceStatus;
  assignment: Assignment | null;
  assignedBy: Officer | null;
  assignedAt: string | null;
  visits: Visit[];
  outcome: { outcome: Outcome; summary: string; by: Officer; at: string } | null;
  updatedAt: string | null;
}

export type ServiceCommand =
  | {
      type: 'AssignService';
      serviceId: string;
      caseId: string;
      caseNumber: string;
      householdName: string;
      service: string;
      description: string;
      place: Place;
      /** The household's village and every node above it, up to the city. */
      placePath: string[];
      consent: Consent | null;
      provider: ProviderSnapshot;
      projectId: string | null;
      cost: number | null;
      actor: Officer;
      now: string;
    }
  | {
      type: 'RecordVisit';
      visitId: string;
      visitedOn: string;
      content: string;
      /** The provider's users as they stand today: a social worker must be one of them. */
      providerUserIds: string[];
      actor: Officer;
      now: string;
    }
  | {
      type: 'RecordOutcome';
      outcome: string;
      summary: string;
      providerUserIds: string[];
      actor: Officer;
      now: string;
    };

export type ServiceEvent =
  | {
      type: 'civil-affairs.SocialServiceAssigned';
      data: Assignment & { by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.SocialServiceVisitRecorded';
      data: { serviceId: string } & Visit;
    }
  | {
      type: 'civil-affairs.SocialServiceClosed';
      data: { serviceId: string; outcome: Outcome; summary: string; by: Officer; at: string };
    };

export const initialServiceState = (): ServiceState => ({
  status: 'none',
  assignment: null,
  assignedBy: null,
  assignedAt: null,
  visits: [],
  outcome: null,
  updatedAt: null,
});

function assertExists(state: ServiceState): Assignment {
  if (state.status === 'none') err('SERVICE_NOT_FOUND', '社会力量服务不存在', 404);
  return state.assignment!;
}

/** The provider's own social worker, or a county civil-affairs officer on its behalf; nobody else. */
function actingFor(actor: Officer, providerUserIds: string[], provider: string): boolean {
  if (actor.role === 'county_civil_affairs') return !providerUserIds.includes(actor.id);
  if (actor.role === 'social_worker' && providerUserIds.includes(actor.id)) return false;
  return err(
    'NOT_PROVIDER_STAFF',
    `只有承接服务的${provider}的工作人员或旗县区民政部门可以记录服务情况`,
    403,
    {
      rule: 'provider_staff_only',
    },
  );
}

export function decideService(command: ServiceCommand, state: ServiceState): ServiceEvent[] {
  switch (command.type) {
    case 'AssignService': {
      if (state.status !== 'none') err('SERVICE_EXISTS', '社会力量服务已存在', 409);
      // Consent first: without it nothing about the household goes to a provider.
      const consent = command.consent;
      if (!consent || consent.given !== true) {
        err(
          'CONSENT_REQUIRED',
          'consent.given：未登记家庭同意接受服务并向服务方提供家庭信息的意见，不能派单',
          422,
          {
            field: 'consent.given',
          },
        );
      }
      const recordedOn = day(consent.recordedOn, 'consent.recordedOn', '家庭签署同意书的日期');
      if (recordedOn > beijingDay(command.now)) {
        err('CONSENT_IN_FUTURE', 'consent.recordedOn：签署同意书的日期不能晚于今天', 422, {
          field: 'consent.recordedOn',
        });
      }
      const signedBy = required(consent.signedBy, 'consent.signedBy', '签署同意书的家庭成员', 50);
      if (!(SERVICE_KINDS as readonly string[]).includes(command.service)) {
        err('UNKNOWN_SERVICE', `service：服务应为 ${serviceKindList} 之一`, 422, { field: 'service' });
      }
      const service = command.service as ServiceKind;
      const provider = command.provider;
      if (!provider.active) {
        err('PROVIDER_INACTIVE', `providerId：${provider.name}已停止服务，不能派单`, 422, {
          field: 'providerId',
        });
      }
      if (!provider.services.includes(service)) {
        err(
          'SERVICE_NOT_OFFERED',
          `providerId：${provider.name}未登记提供「${SERVICE_KIND_NAMES[service]}」服务`,
          422,
          { field: 'providerId', service },
        );
      }
      if (!provider.areaCodes.some((code) => command.placePath.includes(code))) {
        err('OUTSIDE_PROVIDER_AREA', `providerId：该家庭所在地不在${provider.name}登记的服务区域内`, 422, {
          field: 'providerId',
        });
      }
      let cost: number | null = null;
      if (command.projectId) {
        if (command.cost === null || command.cost === undefined) {
          err('COST_REQUIRED', 'cost：列入政府购买服务项目的服务须填写服务费用（元）', 422, {
            field: 'cost',
          });
        }
        cost = amountOf(command.cost, 'cost', '服务费用');
      } else if (command.cost !== null && command.cost !== undefined) {
        err('PROJECT_REQUIRED', 'cost：只有列入政府购买服务项目的服务才计费用，请填写 projectId', 422, {
          field: 'cost',
        });
      }
      return [
        {
          type: 'civil-affairs.SocialServiceAssigned',
          data: {
            serviceId: command.serviceId,
            caseId: required(command.caseId, 'caseId', '案件 ID', 100),
            caseNumber: required(command.caseNumber, 'caseNumber', '案件编号', 100),
            householdName: required(command.householdName, 'householdName', '户主姓名', 50),
            service,
            description: required(command.description, 'description', '服务需求说明'),
            place: command.place,
            consent: { given: true, recordedOn, signedBy },
            provider: { providerId: provider.providerId, name: provider.name },
            projectId: command.projectId,
            cost,
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'RecordVisit': {
      const a = assertExists(state);
      if (state.visits.some((v) => v.visitId === command.visitId)) return [];
      const onBehalf = actingFor(command.actor, command.providerUserIds, a.provider.name);
      if (state.status === 'closed') {
        err('VISIT_AFTER_OUTCOME', '该服务已登记服务成效并结案，不能再登记走访', 409, {
          status: state.status,
        });
      }
      const visitedOn = day(command.visitedOn, 'visitedOn', '走访日期');
      if (visitedOn > beijingDay(command.now)) {
        err('VISIT_IN_FUTURE', 'visitedOn：走访日期不能晚于今天', 422, { field: 'visitedOn' });
      }
      const assignedOn = beijingDay(state.assignedAt!);
      if (visitedOn < assignedOn) {
        err('VISIT_BEFORE_ASSIGNMENT', `visitedOn：走访日期不能早于派单日期（${assignedOn}）`, 422, {
          field: 'visitedOn',
        });
      }
      return [
        {
          type: 'civil-affairs.SocialServiceVisitRecorded',
          data: {
            serviceId: a.serviceId,
            visitId: command.visitId,
            visitedOn,
            content: required(command.content, 'content', '服务内容'),
            by: command.actor,
            onBehalfOfProvider: onBehalf,
            at: command.now,
          },
        },
      ];
    }
    case 'RecordOutcome': {
      const a = assertExists(state);
      actingFor(command.actor, command.providerUserIds, a.provider.name);
      if (state.status === 'closed') {
        if (state.outcome!.outcome === command.outcome && state.outcome!.by.id === command.actor.id)
          return [];
        err('SERVICE_CLOSED', '该服务已登记服务成效并结案', 409, { status: state.status });
      }
      if (!(OUTCOMES as readonly string[]).includes(command.outcome)) {
        const list = OUTCOMES.map((o) => `${o}（${OUTCOME_NAMES[o]}）`).join('、');
        err('UNKNOWN_OUTCOME', `outcome：服务成效应为 ${list} 之一`, 422, { field: 'outcome' });
      }
      return [
        {
          type: 'civil-affairs.SocialServiceClosed',
          data: {
            serviceId: a.serviceId,
            outcome: command.outcome as Outcome,
            summary: required(command.summary, 'summary', '服务成效说明'),
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveService(state: ServiceState, event: ServiceEvent): ServiceState {
  switch (event.type) {
    case 'civil-affairs.SocialServiceAssigned': {
      const { by, at, ...assignment } = event.data;
      return { ...state, status: 'in_service', assignment, assignedBy: by, assignedAt: at, updatedAt: at };
    }
    case 'civil-affairs.SocialServiceVisitRecorded': {
      const { serviceId: _, ...visit } = event.data;
      return { ...state, visits: [...state.visits, visit], updatedAt: visit.at };
    }
    case 'civil-affairs.SocialServiceClosed': {
      const { outcome, summary, by, at } = event.data;
      return { ...state, status: 'closed', outcome: { outcome, summary, by, at }, updatedAt: at };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const serviceDecider = {
  decide: decideService,
  evolve: evolveService,
  initialState: initialServiceState,
};
