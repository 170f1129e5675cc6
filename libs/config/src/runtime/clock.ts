/** Time is injected: domain code never reads the system clock itself. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/**
 * The system clock plus an offset that tests (and only deployments with CLOCK_CONTROL=true) can move,
 * e.g. to let a referral pass its deadline across separate processes.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
