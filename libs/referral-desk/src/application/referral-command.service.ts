import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { StreamVersionConflict, type DbExecutor, type EventStore } from '@platform/event-store';
import {
  decideReferral,
  evolveReferral,
  initialReferralState,
  referralEventName,
  referralEventType,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
} from '../domain/referral.decider.js';

export interface CommandContext {
  actor: AuthenticatedActor;
  now: Date;
  correlationId?: string | null;
  causationId?: string | null;
  transaction?: DbExecutor;
}

/** Load the referral stream → decide → append at the expected version. Nothing else. */
export class ReferralCommandService {
  constructor(
    private readonly department: string,
    private readonly store: EventStore,
  ) {}

  streamOf(referralId: string): string {
    return `referral-${referralId}`;
  }

  async load(
    referralId: string,
    transaction?: DbExecutor,
  ): Promise<{ state: ReferralState; version: number }> {
    const events = await this.store.readStream(this.streamOf(referralId), { transaction });
    const state = events.reduce(
      (s, e) => evolveReferral(s, { type: referralEventName(e.type), data: e.data } as ReferralEvent),
      initialReferralState(),
    );
    return { state, version: events.length };
  }

  async handle(
    referralId: string,
    command: ReferralCommand,
    ctx: CommandContext,
    retries = 3,
  ): Promise<ReferralState> {
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(referralId, ctx.transaction);
      const events = decideReferral(command, state);
      if (events.length === 0) return state;
      try {
        await this.store.appendToStream(
          this.streamOf(referralId),
          events.map((e) => ({
            type: referralEventType(this.department, e.type),
            data: e.data,
            metadata: eventMetadata(ctx.actor, ctx),
          })),
          { expectedVersion: version === 0 ? 'no_stream' : version, transaction: ctx.transaction },
        );
        return events.reduce(evolveReferral, state);
      } catch (e) {
        // Commands are re-decided on fresh state, so retrying after a conflict is safe.
        if (e instanceof StreamVersionConflict && attempt < retries && !ctx.transaction) continue;
        throw e;
      }
    }
  }
}
