import { StreamVersionConflict } from './errors.js';
import type { DbExecutor, EventMetadata, EventStore, RecordedEvent } from './event-store.port.js';

/** A decider: the pure decision and evolution functions of one aggregate (docs/architecture.md). */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** An aggregate's state as folded from its stream, and the stream's version it was folded at. */
export interface Loaded<State> {
  state: State;
  version: number;
}

export interface DeciderStoreOptions<Command, Event, State> {
  store: EventStore;
  decider: Decider<Command, Event, State>;
  /** The aggregate's stream, e.g. `case-<id>`. */
  streamOf: (id: string) => string;
  /** Domain event → what is stored (the stored type may carry a department prefix). */
  toStored: (event: Event) => { type: string; data: unknown };
  /** Stored event → domain event. */
  fromStored: (event: RecordedEvent) => Event;
}

export interface HandleOptions<State> {
  /** Who, when, why: the same metadata on every event the command decides. */
  metadata: EventMetadata;
  /** Run inside the caller's transaction (a consumer's inbox transaction, a locked command). */
  transaction?: DbExecutor;
  /** The aggregate as already loaded in this transaction (a batch read): spares the first load. */
  known?: Loaded<State>;
  /** The id was minted for this command: there is no stream to read yet. */
  isNew?: boolean;
  /** Attempts after a version conflict; never inside a caller's transaction (it would see the same snapshot). */
  retries?: number;
}

export interface Handled<Event, State> extends Loaded<State> {
  /** What the command decided (empty when it changed nothing). */
  events: Event[];
}

/**
 * The one command-handling path of every aggregate: load the stream → pure `decide` → append at the
 * expected version → on a version conflict, re-decide on fresh state (safe: the decision is a pure
 * function of the state). A new aggregate writes only its decider and its command handlers.
 */
export class DeciderStore<Command, Event, State> {
  constructor(private readonly o: DeciderStoreOptions<Command, Event, State>) {}

  get store(): EventStore {
    return this.o.store;
  }

  streamOf(id: string): string {
    return this.o.streamOf(id);
  }

  fold(events: RecordedEvent[]): Loaded<State> {
    const { decider, fromStored } = this.o;
    return {
      state: events.reduce((s, e) => decider.evolve(s, fromStored(e)), decider.initialState()),
      version: events.length,
    };
  }

  async load(id: string, options: { transaction?: DbExecutor; until?: Date } = {}): Promise<Loaded<State>> {
    return this.fold(
      await this.o.store.readStream(this.o.streamOf(id), {
        ...(options.until ? { until: options.until } : {}),
        transaction: options.transaction,
      }),
    );
  }

  /** Several aggregates in one round trip, by id (missing ones are in their initial state). */
  async loadMany(ids: string[], transaction?: DbExecutor): Promise<Map<string, Loaded<State>>> {
    const streams = await this.o.store.readStreams(ids.map(this.o.streamOf), { transaction });
    return new Map(ids.map((id) => [id, this.fold(streams.get(this.o.streamOf(id)) ?? [])]));
  }

  /**
   * Decides `command` on the aggregate's current state and appends what it decided. `command` may be
   * a function of the state (e.g. a routing plan made from the case's needs): it is rebuilt on each retry.
   */
  async handle(
    id: string,
    command: Command | ((state: State) => Command),
    options: HandleOptions<State>,
  ): Promise<Handled<Event, State>> {
    const { decider } = this.o;
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const { state, version } =
        attempt === 0 && options.isNew
          ? { state: decider.initialState(), version: 0 }
          : attempt === 0 && options.known
            ? options.known
            : await this.load(id, { transaction: options.transaction });
      const decided = decider.decide(
        typeof command === 'function' ? (command as (s: State) => Command)(state) : command,
        state,
      );
      if (decided.length === 0) return { state, version, events: decided };
      try {
        await this.o.store.appendToStream(
          this.o.streamOf(id),
          decided.map((e) => ({ ...this.o.toStored(e), metadata: options.metadata })),
          { expectedVersion: version === 0 ? 'no_stream' : version, transaction: options.transaction },
        );
        return {
          state: decided.reduce(decider.evolve, state),
          version: version + decided.length,
          events: decided,
        };
      } catch (e) {
        if (e instanceof StreamVersionConflict && attempt < retries && !options.transaction) continue;
        throw e;
      }
    }
  }
}
