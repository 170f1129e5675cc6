import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import type { ProviderProfile, ProviderState } from '../../domain/provider.decider.js';
import {
  countyOf,
  officerOf,
  providerFor,
  SOCIAL_FORCES,
  type SocialForcesContext,
} from '../social-forces-context.js';

export interface ProviderRequest {
  name: string;
  kind: string;
  services: string[];
  areaCodes: string[];
  userIds?: string[];
  contact?: string;
}

/** Area codes known to the tree and within the officer's reach; user ids of platform users. */
async function checkedProfile(
  ctx: SocialForcesContext,
  actor: AuthenticatedActor,
  request: ProviderRequest,
  permission: string,
): Promise<{ profile: ProviderProfile; userNames: Map<string, string> }> {
  const tree = ctx.tree();
  (request.areaCodes ?? []).forEach((code, i) => {
    if (!tree.has(code)) {
      throw new DomainError('UNKNOWN_AREA', `areaCodes[${i}]：${code} 不是已登记的区划代码`, 422, {
        field: `areaCodes[${i}]`,
      });
    }
    ctx.authz.assertWithin(actor, code, permission);
  });
  const userIds = request.userIds ?? [];
  const names = await ctx.directory.namesOf(userIds);
  userIds.forEach((id, i) => {
    if (!names.has(id)) {
      throw new DomainError('UNKNOWN_USER', `userIds[${i}]：用户 ${id} 不存在`, 422, {
        field: `userIds[${i}]`,
      });
    }
  });
  return {
    profile: {
      name: request.name,
      kind: request.kind as ProviderProfile['kind'],
      services: request.services as ProviderProfile['services'],
      areaCodes: request.areaCodes,
      userIds,
      contact: request.contact ?? '',
    },
    userNames: names,
  };
}

/** A provider with the names of its users, as the views show them. */
export interface ProviderWithUsers {
  state: ProviderState;
  userNames: Map<string, string>;
}

/** 登记社会力量: county civil affairs registers a provider for its county. */
export class RegisterSocialForceProviderCommand extends Command<ProviderWithUsers> {
  constructor(
    readonly request: ProviderRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RegisterSocialForceProviderCommand)
export class RegisterSocialForceProviderHandler implements ICommandHandler<RegisterSocialForceProviderCommand> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ request, actor }: RegisterSocialForceProviderCommand): Promise<ProviderWithUsers> {
    const permission = 'social-forces:providers';
    const countyCode = countyOf(this.ctx, actor, permission);
    const { profile, userNames } = await checkedProfile(this.ctx, actor, request, permission);
    const now = this.ctx.now();
    const providerId = uuidv7(now.getTime());
    const { state } = await this.ctx.providers.handle(
      providerId,
      {
        type: 'RegisterProvider',
        providerId,
        countyCode,
        profile,
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), isNew: true },
    );
    return { state, userNames };
  }
}

/** 变更社会力量登记信息: services, areas, users, contact; or stop (active = false). */
export class ChangeSocialForceProviderCommand extends Command<ProviderWithUsers> {
  constructor(
    readonly providerId: string,
    readonly request: ProviderRequest & { active?: boolean },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(ChangeSocialForceProviderCommand)
export class ChangeSocialForceProviderHandler implements ICommandHandler<ChangeSocialForceProviderCommand> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({
    providerId,
    request,
    actor,
  }: ChangeSocialForceProviderCommand): Promise<ProviderWithUsers> {
    const permission = 'social-forces:providers';
    const known = await providerFor(this.ctx, actor, providerId, permission);
    const { profile, userNames } = await checkedProfile(this.ctx, actor, request, permission);
    const now = this.ctx.now();
    const { state } = await this.ctx.providers.handle(
      providerId,
      {
        type: 'ChangeProvider',
        profile,
        active: request.active ?? true,
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), known },
    );
    return { state, userNames };
  }
}
