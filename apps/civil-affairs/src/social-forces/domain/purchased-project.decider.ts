import {
  amountOf,
  day,
  err,
  fen,
  required,
  SERVICE_KIND_NAMES,
  yuanText,
  type Officer,
  type ServiceKind,
} from './social-forces.values.js';

/**
 * 政府购买服务项目: county civil affairs buys services from one provider for a period within a budget;
 * every service delivered under the project is charged against it, and the sum charged never exceeds
 * the budget (compared in fen: exactly at the budget is allowed, one fen over is refused). Pure.
 */

export interface ProjectDefinition {
  projectId: string;
  name: string;
  countyCode: string;
  provider: { providerId: string; name: string };
  /** Yuan. */
  budget: number;
  periodFrom: string;
  periodTo: string;
}

export interface Charge {
  serviceId: string;
  service: ServiceKind;
  amount: number;
  on: string;
  at: string;
}

export interface ProjectState {
  status: 'none' | 'active';
  project: ProjectDefinition | null;
  createdBy: Officer | null;
  createdAt: string | null;
  charges: Charge[];
  /** Sum of the charges, in fen. */
  chargedFen: number;
  updatedAt: string | null;
}

export type ProjectCommand =
  | {
      type: 'CreateProject';
      projectId: string;
      name: string;
      countyCode: string;
      provider: { providerId: string; name: string };
      budget: number;
      periodFrom: string;
      periodTo: string;
      actor: Officer;
      now: string;
    }
  | {
      type: 'ChargeService';
      serviceId: string;
      service: ServiceKind;
      providerId: string;
      amount: number;
      /** The day the service is assigned (Beijing). */
      on: string;
      actor: Officer;
      now: string;
    };

export type ProjectEvent =
  | {
      type: 'civil-affairs.PurchasedServiceProjectCreated';
      data: ProjectDefinition & { by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.PurchasedServiceCharged';
      data: { projectId: string } & Charge & { by: Officer };
    };

export const initialProjectState = (): ProjectState => ({
  status: 'none',
  project: null,
  createdBy: null,
  createdAt: null,
  charges: [],
  chargedFen: 0,
  updatedAt: null,
});

/** What is left of the budget, yuan. */
export const remainingOf = (state: ProjectState): number =>
  (fen(state.project!.budget) - state.chargedFen) / 100;

export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  switch (command.type) {
    case 'CreateProject': {
      if (state.status !== 'none') err('PROJECT_EXISTS', '政府购买服务项目已存在', 409);
      const periodFrom = day(command.periodFrom, 'periodFrom', '服务期开始日期');
      const periodTo = day(command.periodTo, 'periodTo', '服务期结束日期');
      if (periodTo < periodFrom) {
        err('INVALID_PERIOD', 'periodTo：服务期结束日期不能早于开始日期', 422, { field: 'periodTo' });
      }
      return [
        {
          type: 'civil-affairs.PurchasedServiceProjectCreated',
          data: {
            projectId: command.projectId,
            name: required(command.name, 'name', '项目名称', 200),
            countyCode: command.countyCode,
            provider: command.provider,
            budget: amountOf(command.budget, 'budget', '项目预算'),
            periodFrom,
            periodTo,
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'ChargeService': {
      if (state.status === 'none') {
        err('PROJECT_NOT_FOUND', 'projectId：政府购买服务项目不存在', 404, { field: 'projectId' });
      }
      const p = state.project!;
      if (state.charges.some((c) => c.serviceId === command.serviceId)) return [];
      if (command.providerId !== p.provider.providerId) {
        err(
          'PROVIDER_NOT_IN_PROJECT',
          `projectId：项目「${p.name}」的承接方是${p.provider.name}，不能列入其他服务方的服务`,
          422,
          {
            field: 'projectId',
          },
        );
      }
      if (command.on < p.periodFrom || command.on > p.periodTo) {
        err(
          'OUTSIDE_PROJECT_PERIOD',
          `projectId：${command.on} 不在项目「${p.name}」的服务期（${p.periodFrom} 至 ${p.periodTo}）内`,
          422,
          {
            field: 'projectId',
          },
        );
      }
      const amount = amountOf(command.amount, 'cost', '服务费用');
      if (state.chargedFen + fen(amount) > fen(p.budget)) {
        err(
          'BUDGET_EXCEEDED',
          `cost：服务费用 ${yuanText(amount)} 元超出项目「${p.name}」的剩余预算（预算 ${yuanText(p.budget)} 元，已用 ${yuanText(state.chargedFen / 100)} 元，剩余 ${yuanText(remainingOf(state))} 元）`,
          422,
          { field: 'cost', remaining: remainingOf(state) },
        );
      }
      return [
        {
          type: 'civil-affairs.PurchasedServiceCharged',
          data: {
            projectId: p.projectId,
            serviceId: command.serviceId,
            service: command.service,
            amount,
            on: command.on,
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

export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  switch (event.type) {
    case 'civil-affairs.PurchasedServiceProjectCreated': {
      const { by, at, ...project } = event.data;
      return { ...state, status: 'active', project, createdBy: by, createdAt: at, updatedAt: at };
    }
    case 'civil-affairs.PurchasedServiceCharged': {
      const { projectId: _, by: __, ...charge } = event.data;
      return {
        ...state,
        charges: [...state.charges, charge],
        chargedFen: state.chargedFen + fen(charge.amount),
        updatedAt: charge.at,
      };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const projectDecider = {
  decide: decideProject,
  evolve: evolveProject,
  initialState: initialProjectState,
};

export const serviceNameOf = (s: ServiceKind) => SERVICE_KIND_NAMES[s] ?? s;
