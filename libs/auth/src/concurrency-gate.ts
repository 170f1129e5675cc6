/** Refused because `maxConcurrent` operations run and `maxQueued` more already wait. */
export class GateFullError extends Error {
  constructor() {
    super('too many operations waiting');
    this.name = 'GateFullError';
  }
}

/**
 * At most `maxConcurrent` operations at once; up to `maxQueued` more wait their turn (first come, first
 * served); beyond that `run` refuses at once with GateFullError instead of queueing without limit.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {
    if (!(maxConcurrent >= 1)) throw new Error('maxConcurrent must be at least 1');
    if (!(maxQueued >= 0)) throw new Error('maxQueued must not be negative');
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueued) throw new GateFullError();
      // The finishing operation hands its place over directly (running stays the same).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await operation();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }
}
