import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import {
  StreamVersionConflict,
  type DbExecutor,
  type EventStore,
  type RecordedEvent,
} from '@platform/event-store';
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
  /** The referral's stream as just read in this transaction (a batch read): spares the first load. */
  stream?: RecordedEvent[];
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

  /** Several referrals' streams in one query, by referral id. */
  async readMany(referralIds: string[], transaction?: DbExecutor): Promise<Map<string, RecordedEvent[]>> {
    const streams = await this.store.readStreams(
      referralIds.map((id) => this.streamOf(id)),
      { transaction },
    );
    return new Map(referralIds.map((id) => [id, streams.get(this.streamOf(id)) ?? []]));
  }

  async load(
    referralId: string,
    transaction?: DbExecutor,
    stream?: RecordedEvent[],
  ): Promise<{ state: ReferralState; version: number }> {
    const events = stream ?? (await this.store.readStream(this.streamOf(referralId), { transaction }));
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
      const { state, version } = await this.load(
        referralId,
        ctx.transaction,
        attempt === 0 ? ctx.stream : undefined,
      );
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
