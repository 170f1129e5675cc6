/**
 * Wake-ups for log subscriptions. Tailing a log by polling alone costs a query per subscriber per
 * interval while nothing happens, and adds up to an interval of latency when something does. Whoever
 * commits events calls `signalCommitted(schema)` after the commit; subscriptions on that schema in this
 * process poll at once, and a `CommitNotifier` (when one is running) tells the other processes on the
 * database through PostgreSQL NOTIFY. The fallback poll still finds whatever a lost signal missed.
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

/** What sends a commit's signal to other processes (see CommitNotifier): one per database connection pool. */
const remotes = new Set<(schema: string) => void>();

export function addRemoteCommitSignal(send: (schema: string) => void): () => void {
  remotes.add(send);
  return () => remotes.delete(send);
}

/** Whether anything in this process follows `schema` (a signal from elsewhere about it is worth a poll). */
export function hasCommitListeners(schema: string): boolean {
  return listeners.has(schema);
}

/** Events may have committed in `schema`: wake its subscriptions here and in the other processes. */
export function signalCommitted(schema: string): void {
  wakeLocal(schema);
  for (const send of remotes) send(schema);
}

/** Wakes this process's subscriptions on `schema` only (a signal that came from another process). */
export function wakeLocal(schema: string): void {
  const set = listeners.get(schema);
  // Outside any request's idempotency scope: timers a wake-up starts must not carry the request's key
  // into appends made by subscriptions later.
  if (set)
    idempotencyScope.exit(() => {
      for (const listener of set) listener();
    });
}
