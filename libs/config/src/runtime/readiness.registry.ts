/** A dependency that must answer before the service is ready (database, transport). */
export interface ReadinessCheck {
  name: string;
  /** Throws when not ready; may resolve with details shown under the check (e.g. warnings). */
  check(): Promise<void | Record<string, unknown>>;
}

/** Modules register their checks at construction; /ready runs them all. */
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  list(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}
