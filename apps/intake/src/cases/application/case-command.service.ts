import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { createHash } from 'node:crypto';
import {
  signalCommitted,
  StreamVersionConflict,
  withTransaction,
  type DbExecutor,
  type EventStore,
  type RecordedEvent,
} from '@platform/event-store';
import type { Pool } from 'pg';
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
  /** The case as already loaded in this transaction (a batch read): spares the first load. */
  known?: LoadedCase;
}

export interface LoadedCase {
  state: CaseState;
  version: number;
}

export const caseStream = (caseId: string) => `case-${caseId}`;

/** A signed 64-bit advisory lock key for a person, in the intake's own key space. */
function personLockKey(idNumber: string): bigint {
  return createHash('sha256').update(`intake:person:${idNumber}`).digest().readBigInt64BE(0);
}

function fold(events: RecordedEvent[]): LoadedCase {
  return {
    state: events.reduce(
      (s, e) => evolveCase(s, { type: e.type, data: e.data } as CaseEvent),
      initialCaseState(),
    ),
    version: events.length,
  };
}

/** Load the case stream → decide → append at the expected version. */
export class CaseCommandService {
  constructor(
    private readonly store: EventStore,
    private readonly pool?: Pool,
  ) {}

  /**
   * Runs `work` in one transaction holding a lock per person (resident ID) until it commits, so two
   * windows registering the same person at the same moment take turns: the second sees the first.
   */
  async forPeople<T>(idNumbers: string[], work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    if (!this.pool) throw new Error('CaseCommandService needs a pool for transactions');
    const keys = [...new Set(idNumbers)].map(personLockKey).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // Integer keys only, so the locks can ride on BEGIN in one round trip; sorted against deadlocks.
    const locks = keys.map((k) => `pg_advisory_xact_lock(${k.toString()})`).join(', ') || '1';
    const result = await withTransaction(this.pool, work, `BEGIN; SELECT ${locks}`);
    signalCommitted(this.store.schema);
    return result;
  }

  async load(caseId: string, until?: Date, transaction?: DbExecutor): Promise<LoadedCase> {
    const events = await this.store.readStream(caseStream(caseId), {
      ...(until ? { until } : {}),
      transaction,
    });
    return fold(events);
  }

  /** Several cases in one query, by case id. */
  async loadMany(caseIds: string[], transaction?: DbExecutor): Promise<Map<string, LoadedCase>> {
    const streams = await this.store.readStreams(caseIds.map(caseStream), { transaction });
    return new Map(caseIds.map((id) => [id, fold(streams.get(caseStream(id)) ?? [])]));
  }

  /** `command` may depend on the loaded state (routing plans); it is rebuilt on each retry. */
  async handle(
    caseId: string,
    command: (state: CaseState) => CaseCommand,
    ctx: CaseContext,
    retries = 3,
    /** The id was minted for this command: there is no stream to read yet. */
    isNew = false,
  ): Promise<{ state: CaseState; events: CaseEvent[]; version: number }> {
    for (let attempt = 0; ; attempt++) {
      const { state, version } =
        attempt === 0 && isNew
          ? { state: initialCaseState(), version: 0 }
          : attempt === 0 && ctx.known
            ? ctx.known
            : await this.load(caseId, undefined, ctx.transaction);
      const events = decideCase(command(state), state);
      if (events.length === 0) return { state, events, version };
      try {
        await this.store.appendToStream(
          caseStream(caseId),
          events.map((e) => ({ type: e.type, data: e.data, metadata: eventMetadata(ctx.actor, ctx) })),
          { expectedVersion: version === 0 ? 'no_stream' : version, transaction: ctx.transaction },
        );
        return { state: events.reduce(evolveCase, state), events, version: version + events.length };
      } catch (e) {
        if (e instanceof StreamVersionConflict && attempt < retries && !ctx.transaction) continue;
        throw e;
      }
    }
  }
}
