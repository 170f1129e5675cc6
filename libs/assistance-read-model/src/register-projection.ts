import type { RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import type { EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The ancestors of a statistical division code by its digits (GB/T 2260 county, then the township's and
 * the village's three digits): a register's projection has no jurisdiction tree, and needs none for these.
 */
export const countyCodeOf = (code: string) => `${code.slice(0, 6)}000000`;
export const townshipCodeOf = (code: string) => `${code.slice(0, 9)}000`;

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const CHUNK = 1000;

/**
 * A register whose every entry is the fold of one event alone (a payment, an allocation, a leaving names
 * the person and the place): its projection reads no stream, it inserts the batch's rows, ignoring those
 * already there (the row's key is the event's id).
 */
export function registerProjection<Row extends ObjectLiteral>(o: {
  name: string;
  entity: EntityTarget<Row>;
  rowsOf: (events: readonly RecordedEvent[]) => Row[];
}): Projection {
  return {
    name: o.name,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(o.entity).execute();
    },
    async apply(events, manager) {
      const rows = o.rowsOf(events);
      for (let i = 0; i < rows.length; i += CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(o.entity)
          .values(rows.slice(i, i + CHUNK))
          .orIgnore()
          .updateEntity(false)
          .execute();
      }
    },
  };
}

/** A work list kept beside a register: one row per case, refolded from its whole stream. */
export interface CaseList<Row extends ObjectLiteral> {
  entity: EntityTarget<Row>;
  /** Whether a stream holds one of the list's cases. */
  holds: (streamId: string) => boolean;
  /** The case's row from its whole history, or null while it is not a case yet. */
  rowOf: (streamId: string, history: RecordedEvent[]) => Row | null;
  /** The row's key column(s) and the columns a later event may change. */
  key: string[];
  changing: string[];
}

/**
 * A register's projection with work lists beside it, in one transaction per batch: the register's rows as
 * `registerProjection` writes them, and each list's row of every case the batch touched, refolded from its
 * stream and upserted (a batch applied again writes the same rows).
 */
export function registerWithCaseLists(
  store: { readStreams(ids: string[]): Promise<Map<string, RecordedEvent[]>> },
  register: Projection,
  lists: CaseList<ObjectLiteral>[],
): Projection {
  return {
    name: register.name,
    async reset(manager) {
      await register.reset(manager);
      for (const l of lists) await manager.createQueryBuilder().delete().from(l.entity).execute();
    },
    async apply(events, manager) {
      await register.apply(events, manager);
      for (const l of lists) {
        const streams = [...new Set(events.map((e) => e.streamId).filter(l.holds))];
        if (streams.length === 0) continue;
        const histories = await store.readStreams(streams);
        const rows = streams.flatMap((id) => {
          const history = histories.get(id) ?? [];
          const row = history.length > 0 ? l.rowOf(id, history) : null;
          return row ? [row] : [];
        });
        for (let i = 0; i < rows.length; i += CHUNK) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(l.entity)
            .values(rows.slice(i, i + CHUNK))
            .orUpdate(l.changing, l.key)
            .updateEntity(false)
            .execute();
        }
      }
    },
  };
}
