import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import type { ProjectState } from '../../domain/purchased-project.decider.js';
import {
  countyOf,
  officerOf,
  providerFor,
  SOCIAL_FORCES,
  type SocialForcesContext,
} from '../social-forces-context.js';

export interface CreateProjectRequest {
  name: string;
  providerId: string;
  budget: number;
  periodFrom: string;
  periodTo: string;
}

/** 政府购买服务项目立项: budget, provider, period. */
export class CreatePurchasedServiceProjectCommand extends Command<ProjectState> {
  constructor(
    readonly request: CreateProjectRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(CreatePurchasedServiceProjectCommand)
export class CreatePurchasedServiceProjectHandler implements ICommandHandler<CreatePurchasedServiceProjectCommand> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ request, actor }: CreatePurchasedServiceProjectCommand): Promise<ProjectState> {
    const permission = 'social-forces:projects';
    const countyCode = countyOf(this.ctx, actor, permission);
    const provider = await providerFor(this.ctx, actor, request.providerId, permission, 'providerId');
    const now = this.ctx.now();
    const projectId = uuidv7(now.getTime());
    const { state } = await this.ctx.projects.handle(
      projectId,
      {
        type: 'CreateProject',
        projectId,
        name: request.name,
        countyCode,
        provider: { providerId: provider.state.providerId!, name: provider.state.profile!.name },
        budget: request.budget,
        periodFrom: request.periodFrom,
        periodTo: request.periodTo,
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), isNew: true },
    );
    return state;
  }
}
