import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { signalCommitted, uuidv7, withTransaction } from '@platform/event-store';
import type { Consent, ServiceState } from '../../domain/service-assignment.decider.js';
import { beijingDay, type ServiceKind } from '../../domain/social-forces.values.js';
import {
  officerOf,
  providerFor,
  serviceFor,
  snapshotOf,
  SOCIAL_FORCES,
  type SocialForcesContext,
} from '../social-forces-context.js';

export interface AssignServiceRequest {
  caseId: string;
  caseNumber: string;
  householdName: string;
  villageCode: string;
  service: string;
  description: string;
  providerId: string;
  consent?: Consent | null;
  projectId?: string | null;
  cost?: number | null;
}

/**
 * 派单: county civil affairs assigns a service for a case to a provider, with the household's consent;
 * under a purchased-service project the service is charged there in the same transaction, so a service
 * over the budget is not recorded either.
 */
export class AssignSocialServiceCommand extends Command<ServiceState> {
  constructor(
    readonly request: AssignServiceRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(AssignSocialServiceCommand)
export class AssignSocialServiceHandler implements ICommandHandler<AssignSocialServiceCommand> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ request, actor }: AssignSocialServiceCommand): Promise<ServiceState> {
    const permission = 'social-forces:assign';
    const tree = this.ctx.tree();
    const village = tree.get(request.villageCode);
    const township = village && tree.at(village.code, 'township');
    const county = village && tree.at(village.code, 'county');
    if (!village || village.level !== 'village' || !township || !county) {
      throw new DomainError(
        'UNKNOWN_VILLAGE',
        `villageCode：${request.villageCode} 不是已登记的村（社区）`,
        422,
        { field: 'villageCode' },
      );
    }
    this.ctx.authz.assertWithin(actor, village.code, permission);
    const provider = await providerFor(this.ctx, actor, request.providerId, permission, 'providerId');
    if (request.projectId && (await this.ctx.projects.load(request.projectId)).state.status === 'none') {
      throw new DomainError(
        'PROJECT_NOT_FOUND',
        `projectId：政府购买服务项目 ${request.projectId} 不存在`,
        422,
        {
          field: 'projectId',
        },
      );
    }
    const now = this.ctx.now();
    const serviceId = uuidv7(now.getTime());
    const metadata = eventMetadata(actor, { now });
    const officer = officerOf(actor);
    const result = await withTransaction(this.ctx.pool, async (transaction) => {
      const { state } = await this.ctx.services.handle(
        serviceId,
        {
          type: 'AssignService',
          serviceId,
          caseId: request.caseId,
          caseNumber: request.caseNumber,
          householdName: request.householdName,
          service: request.service,
          description: request.description,
          place: { villageCode: village.code, townshipCode: township.code, countyCode: county.code },
          placePath: tree.path(village.code).map((n) => n.code),
          consent: request.consent ?? null,
          provider: snapshotOf(provider.state),
          projectId: request.projectId ?? null,
          cost: request.cost ?? null,
          actor: officer,
          now: now.toISOString(),
        },
        { metadata, isNew: true, transaction },
      );
      if (request.projectId) {
        await this.ctx.projects.handle(
          request.projectId,
          {
            type: 'ChargeService',
            serviceId,
            service: request.service as ServiceKind,
            providerId: request.providerId,
            amount: state.assignment!.cost!,
            on: beijingDay(now.toISOString()),
            actor: officer,
            now: now.toISOString(),
          },
          { metadata, transaction },
        );
      }
      return state;
    });
    signalCommitted(this.ctx.schema);
    return result;
  }
}

/** 走访记录: the provider's social worker, or a county officer on its behalf. */
export class RecordSocialServiceVisitCommand extends Command<ServiceState> {
  constructor(
    readonly serviceId: string,
    readonly request: { visitedOn: string; content: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordSocialServiceVisitCommand)
export class RecordSocialServiceVisitHandler implements ICommandHandler<RecordSocialServiceVisitCommand> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ serviceId, request, actor }: RecordSocialServiceVisitCommand): Promise<ServiceState> {
    const { service, provider } = await serviceFor(this.ctx, actor, serviceId, 'social-forces:visit');
    const now = this.ctx.now();
    const userIds = provider.profile?.userIds ?? [];
    const { state } = await this.ctx.services.handle(
      serviceId,
      {
        type: 'RecordVisit',
        visitId: uuidv7(now.getTime()),
        visitedOn: request.visitedOn,
        content: request.content,
        providerUserIds: userIds,
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      {
        metadata: eventMetadata(actor, {
          now,
          ...(userIds.includes(actor.id)
            ? {}
            : { onBehalfOf: service.state.assignment!.provider.providerId }),
        }),
        known: service,
      },
    );
    return state;
  }
}

/** 服务成效: closes the service. */
export class RecordSocialServiceOutcomeCommand extends Command<ServiceState> {
  constructor(
    readonly serviceId: string,
    readonly request: { outcome: string; summary: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordSocialServiceOutcomeCommand)
export class RecordSocialServiceOutcomeHandler implements ICommandHandler<RecordSocialServiceOutcomeCommand> {
  constructor(@Inject(SOCIAL_FORCES) private readonly ctx: SocialForcesContext) {}

  async execute({ serviceId, request, actor }: RecordSocialServiceOutcomeCommand): Promise<ServiceState> {
    const { service, provider } = await serviceFor(this.ctx, actor, serviceId, 'social-forces:outcome');
    const now = this.ctx.now();
    const userIds = provider.profile?.userIds ?? [];
    const { state } = await this.ctx.services.handle(
      serviceId,
      {
        type: 'RecordOutcome',
        outcome: request.outcome,
        summary: request.summary,
        providerUserIds: userIds,
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      {
        metadata: eventMetadata(actor, {
          now,
          ...(userIds.includes(actor.id)
            ? {}
            : { onBehalfOf: service.state.assignment!.provider.providerId }),
        }),
        known: service,
      },
    );
    return state;
  }
}
