import { AsyncLocalStorage } from 'node:async_hooks';
import type { Checkpoint } from './event-store.port.js';

/**
 * Read-your-writes (docs/reliability.md). A command's answer carries where its events committed, per
 * event log (`Commit-Position: <schema>:<transaction id>:<position>,…`); a read sent with that value in
 * `Read-After` waits, bounded, until this process's read models of those logs have applied it.
 */
export type CommitPositions = Map<string, Checkpoint>;

/** Filled by the event store with what a request's appends committed. */
export const commitPositionScope = new AsyncLocalStorage<CommitPositions>();

export function isAfter(a: Checkpoint, b: Checkpoint): boolean {
  return (
    a.transactionId > b.transactionId ||
    (a.transactionId === b.transactionId && a.globalPosition > b.globalPosition)
  );
}

/** Records an append's last event for the request in scope (the later position per log wins). */
export function recordCommitPosition(schema: string, at: Checkpoint): void {
  const positions = commitPositionScope.getStore();
  if (!positions) return;
  const known = positions.get(schema);
  if (!known || isAfter(at, known)) positions.set(schema, at);
}

export function formatCommitPositions(positions: CommitPositions): string {
  return [...positions]
    .map(([schema, c]) => `${schema}:${c.transactionId.toString()}:${c.globalPosition.toString()}`)
    .join(',');
}

const ITEM = /^([a-z_][a-z0-9_]{0,62}):(\d{1,20}):(\d{1,20})$/;

/** Parses a `Read-After` value; null when it is not one (at most 32 logs). */
export function parseCommitPositions(text: string): CommitPositions | null {
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 0 || items.length > 32) return null;
  const positions: CommitPositions = new Map();
  for (const item of items) {
    const m = ITEM.exec(item);
    if (!m) return null;
    const at = { transactionId: BigInt(m[2]!), globalPosition: BigInt(m[3]!) };
    const known = positions.get(m[1]!);
    if (!known || isAfter(at, known)) positions.set(m[1]!, at);
  }
  return positions;
}

type Waiter = { target: Checkpoint; resolve: () => void };

/**
 * The read models of this process and how far each has applied its log: projections report after each
 * committed batch; reads wait here for a position.
 */
class ReadModelPositions {
  private readonly models = new Map<string, Map<object, { at: Checkpoint; waiters: Waiter[] }>>();

  register(schema: string, model: object, at: Checkpoint): void {
    let bySchema = this.models.get(schema);
    if (!bySchema) this.models.set(schema, (bySchema = new Map()));
    bySchema.set(model, { at, waiters: [] });
  }

  unregister(schema: string, model: object): void {
    const entry = this.models.get(schema)?.get(model);
    if (!entry) return;
    // A stopped read model holds no read back.
    for (const w of entry.waiters) w.resolve();
    this.models.get(schema)!.delete(model);
  }

  applied(schema: string, model: object, at: Checkpoint): void {
    const entry = this.models.get(schema)?.get(model);
    if (!entry) return;
    if (isAfter(at, entry.at)) entry.at = at;
    entry.waiters = entry.waiters.filter((w) => {
      if (isAfter(w.target, entry.at)) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves true once every read model of each log has applied its position, false after `timeoutMs`. */
  async waitFor(positions: CommitPositions, timeoutMs: number): Promise<boolean> {
    const pending: Promise<void>[] = [];
    const created: Array<{ entry: { waiters: Waiter[] }; waiter: Waiter }> = [];
    for (const [schema, target] of positions) {
      for (const entry of this.models.get(schema)?.values() ?? []) {
        if (!isAfter(target, entry.at)) continue;
        pending.push(
          new Promise<void>((resolve) => {
            const waiter = { target, resolve };
            entry.waiters.push(waiter);
            created.push({ entry, waiter });
          }),
        );
      }
    }
    if (pending.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([Promise.all(pending).then(() => true as const), timedOut]);
    clearTimeout(timer);
    // Whatever is still waiting (a timeout) is dropped.
    for (const { entry, waiter } of created) {
      const i = entry.waiters.indexOf(waiter);
      if (i >= 0) entry.waiters.splice(i, 1);
    }
    return result;
  }
}

export const readModelPositions = new ReadModelPositions();
