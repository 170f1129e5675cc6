/**
 * In-process wake-ups for log subscriptions. Tailing a log by polling alone costs a query per
 * subscriber per interval while nothing happens, and adds up to an interval of latency when something
 * does. Whoever commits events calls `signalCommitted(schema)` after the commit; subscriptions on that
 * schema in this process poll at once. Commits made by other processes are found by the (slower)
 * fallback poll.
 */
import { idempotencyScope } from './idempotency-scope.js';

type Listener = () => void;

const listeners = new Map<string, Set<Listener>>();

export function onCommitted(schema: string, listener: Listener): () => void {
  let set = listeners.get(schema);
  if (!set) listeners.set(schema, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(schema);
  };
}

/** Events may have committed in `schema`: wake its subscriptions in this process. */
export function signalCommitted(schema: string): void {
  const set = listeners.get(schema);
  // Outside any request's idempotency scope: timers a wake-up starts must not carry the request's key
  // into appends made by subscriptions later.
  if (set)
    idempotencyScope.exit(() => {
      for (const listener of set) listener();
    });
}
