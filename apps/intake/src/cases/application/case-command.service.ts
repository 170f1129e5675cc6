import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { StreamVersionConflict, type DbExecutor, type EventStore } from '@platform/event-store';
import {
  decideCase,
  evolveCase,
  initialCaseState,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
} from '../domain/case.decider.js';

export interface CaseContext {
  actor: Pick<AuthenticatedActor, 'id' | 'role' | 'department' | 'jurisdiction' | 'organisation'>;
  now: Date;
  correlationId?: string | null;
  causationId?: string | null;
  onBehalfOf?: string;
  transaction?: DbExecutor;
}

export const caseStream = (caseId: string) => `case-${caseId}`;

/** Load the case stream → decide → append at the expected version. */
export class CaseCommandService {
  constructor(private readonly store: EventStore) {}

  async load(
    caseId: string,
    until?: Date,
    transaction?: DbExecutor,
  ): Promise<{ state: CaseState; version: number }> {
    const events = await this.store.readStream(caseStream(caseId), {
      ...(until ? { until } : {}),
      transaction,
    });
    return {
      state: events.reduce(
        (s, e) => evolveCase(s, { type: e.type, data: e.data } as CaseEvent),
        initialCaseState(),
      ),
      version: events.length,
    };
  }

  /** `command` may depend on the loaded state (routing plans); it is rebuilt on each retry. */
  async handle(
    caseId: string,
    command: (state: CaseState) => CaseCommand,
    ctx: CaseContext,
    retries = 3,
  ): Promise<{ state: CaseState; events: CaseEvent[] }> {
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(caseId, undefined, ctx.transaction);
      const events = decideCase(command(state), state);
      if (events.length === 0) return { state, events };
      try {
        await this.store.appendToStream(
          caseStream(caseId),
          events.map((e) => ({ type: e.type, data: e.data, metadata: eventMetadata(ctx.actor, ctx) })),
          { expectedVersion: version === 0 ? 'no_stream' : version, transaction: ctx.transaction },
        );
        return { state: events.reduce(evolveCase, state), events };
      } catch (e) {
        if (e instanceof StreamVersionConflict && attempt < retries && !ctx.transaction) continue;
        throw e;
      }
    }
  }
}
