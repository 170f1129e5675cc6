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
