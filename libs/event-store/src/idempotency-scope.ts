import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A request that carries an `Idempotency-Key` (docs/reliability.md): whatever events it appends mark
 * its key as committed in the same transaction, so the key and the events it caused exist together or
 * not at all. Set by the HTTP layer around the command; read by the event store at append time.
 */
export interface IdempotencyMark {
  /** Quoted, schema-qualified table of idempotency keys, e.g. `"requests"."idempotency_keys"`. */
  table: string;
  service: string;
  userId: string;
  key: string;
}

export const idempotencyScope = new AsyncLocalStorage<IdempotencyMark>();

/** The statement that marks the key in the scope as committed (repeats are harmless). */
export function idempotencyMarkSql(mark: IdempotencyMark, firstParameter = 1): string {
  const p = (i: number) => `$${firstParameter + i}`;
  return (
    `UPDATE ${mark.table} SET committed_at = coalesce(committed_at, now()) ` +
    `WHERE service = ${p(0)} AND user_id = ${p(1)} AND key = ${p(2)}`
  );
}

export function idempotencyMarkValues(mark: IdempotencyMark): string[] {
  return [mark.service, mark.userId, mark.key];
}
