export type Upcaster = (data: unknown) => unknown;

/**
 * Old event versions are upcast on read, never rewritten: register (type, fromVersion) → data of fromVersion+1.
 * Reads apply the chain until no upcaster matches, so consumers only ever see the current version.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.upcasters.has(key)) throw new Error(`Upcaster for ${key} is already registered`);
    this.upcasters.set(key, upcast);
    return this;
  }

  upcast(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
    let version = schemaVersion;
    let current = data;
    for (
      let up = this.upcasters.get(`${type}@${version}`);
      up;
      up = this.upcasters.get(`${type}@${version}`)
    ) {
      current = up(current);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }

  get size(): number {
    return this.upcasters.size;
  }
}
