import {
  err,
  PROVIDER_KINDS,
  providerKindList,
  required,
  serviceKindsOf,
  type Officer,
  type ProviderKind,
  type ServiceKind,
} from './social-forces.values.js';

/**
 * 社会力量登记: a social organisation, social worker or volunteer that provides services to assisted
 * households, maintained by county civil affairs: the services it offers (from the fixed list), the areas
 * it serves (jurisdiction codes, checked against the tree by the handler) and the platform users
 * (role `social_worker`) who act for it. Pure.
 */

export interface ProviderProfile {
  name: string;
  kind: ProviderKind;
  services: ServiceKind[];
  /** Jurisdiction codes it serves: a household at or below one of them is in its area. */
  areaCodes: string[];
  /** Platform users (role social_worker) who record its visits and outcomes. */
  userIds: string[];
  contact: string;
}

export interface ProviderState {
  status: 'none' | 'active' | 'inactive';
  providerId: string | null;
  /** The county whose civil affairs maintains it. */
  countyCode: string | null;
  profile: ProviderProfile | null;
  registeredBy: Officer | null;
  registeredAt: string | null;
  updatedAt: string | null;
}

export type ProviderCommand =
  | {
      type: 'RegisterProvider';
      providerId: string;
      countyCode: string;
      profile: ProviderProfile;
      actor: Officer;
      now: string;
    }
  | { type: 'ChangeProvider'; profile: ProviderProfile; active: boolean; actor: Officer; now: string };

export type ProviderEvent =
  | {
      type: 'civil-affairs.SocialForceProviderRegistered';
      data: { providerId: string; countyCode: string; profile: ProviderProfile; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.SocialForceProviderChanged';
      data: { providerId: string; profile: ProviderProfile; active: boolean; by: Officer; at: string };
    };

export const initialProviderState = (): ProviderState => ({
  status: 'none',
  providerId: null,
  countyCode: null,
  profile: null,
  registeredBy: null,
  registeredAt: null,
  updatedAt: null,
});

function profileOf(p: ProviderProfile): ProviderProfile {
  if (!(PROVIDER_KINDS as readonly string[]).includes(p?.kind)) {
    err('UNKNOWN_PROVIDER_KIND', `kind：类别应为 ${providerKindList} 之一`, 422, { field: 'kind' });
  }
  if (!Array.isArray(p.areaCodes) || p.areaCodes.length === 0) {
    err('NO_AREA', 'areaCodes：至少登记一个服务区域（区划代码）', 422, { field: 'areaCodes' });
  }
  const userIds = Array.isArray(p.userIds)
    ? [...new Set(p.userIds.map((u) => u.trim()).filter(Boolean))]
    : [];
  return {
    name: required(p.name, 'name', '名称', 200),
    kind: p.kind,
    services: serviceKindsOf(p.services, 'services'),
    areaCodes: [...new Set(p.areaCodes)],
    userIds,
    contact: typeof p.contact === 'string' ? p.contact.trim().slice(0, 200) : '',
  };
}

const same = (a: ProviderProfile, b: ProviderProfile) => JSON.stringify(a) === JSON.stringify(b);

export function decideProvider(command: ProviderCommand, state: ProviderState): ProviderEvent[] {
  switch (command.type) {
    case 'RegisterProvider': {
      if (state.status !== 'none') err('PROVIDER_EXISTS', '社会力量已登记', 409);
      return [
        {
          type: 'civil-affairs.SocialForceProviderRegistered',
          data: {
            providerId: command.providerId,
            countyCode: command.countyCode,
            profile: profileOf(command.profile),
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'ChangeProvider': {
      if (state.status === 'none') err('PROVIDER_NOT_FOUND', '社会力量不存在', 404);
      const profile = profileOf(command.profile);
      if (same(profile, state.profile!) && command.active === (state.status === 'active')) return [];
      return [
        {
          type: 'civil-affairs.SocialForceProviderChanged',
          data: {
            providerId: state.providerId!,
            profile,
            active: command.active,
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

export function evolveProvider(state: ProviderState, event: ProviderEvent): ProviderState {
  switch (event.type) {
    case 'civil-affairs.SocialForceProviderRegistered': {
      const d = event.data;
      return {
        status: 'active',
        providerId: d.providerId,
        countyCode: d.countyCode,
        profile: d.profile,
        registeredBy: d.by,
        registeredAt: d.at,
        updatedAt: d.at,
      };
    }
    case 'civil-affairs.SocialForceProviderChanged': {
      const d = event.data;
      return { ...state, status: d.active ? 'active' : 'inactive', profile: d.profile, updatedAt: d.at };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const providerDecider = {
  decide: decideProvider,
  evolve: evolveProvider,
  initialState: initialProviderState,
};
