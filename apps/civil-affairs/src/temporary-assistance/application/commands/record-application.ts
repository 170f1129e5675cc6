import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, validateResidentId, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import type {
  Area,
  HardshipKind,
  TemporaryAssistanceState,
  Urgency,
} from '../../domain/temporary-assistance.decider.js';
import {
  officerOf,
  TEMPORARY_ASSISTANCE,
  type TemporaryAssistanceContext,
} from '../temporary-assistance-context.js';

export interface RecordApplicationRequest {
  members: Array<{ name: string; idNumber: string }>;
  hardship: { kind: HardshipKind; description: string };
  requestedAmount: number;
  area: Area;
  villageCode: string;
  /** 'urgent': the green channel (救急难, 先行救助、后补材料); absent: normal. */
  urgency?: Urgency;
}

/** 受理: the township window records a household's application for temporary assistance. */
export class RecordTemporaryAssistanceCommand extends Command<TemporaryAssistanceState> {
  constructor(
    readonly request: RecordApplicationRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordTemporaryAssistanceCommand)
export class RecordTemporaryAssistanceHandler implements ICommandHandler<RecordTemporaryAssistanceCommand> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute({ request, actor }: RecordTemporaryAssistanceCommand): Promise<TemporaryAssistanceState> {
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
    this.ctx.authz.assertWithin(actor, village.code, 'temporary-assistance:record');
    const now = this.ctx.now();
    request.members.forEach((m, i) => {
      const r = validateResidentId(m.idNumber.trim().toUpperCase(), now);
      if (!r.valid) {
        throw new DomainError('INVALID_RESIDENT_ID', `members[${i}].idNumber：${r.reason}`, 422, {
          field: `members[${i}].idNumber`,
        });
      }
    });
    const applicationId = uuidv7(now.getTime());
    const { state } = await this.ctx.applications.handle(
      applicationId,
      {
        type: 'RecordApplication',
        applicationId,
        members: request.members,
        hardship: request.hardship,
        requestedAmount: request.requestedAmount,
        area: request.area,
        urgency: request.urgency ?? 'normal',
        place: {
          villageCode: village.code,
          townshipCode: township.code,
          countyCode: county.code,
          countyName: county.name,
        },
        actor: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), isNew: true },
    );
    return state;
  }
}
