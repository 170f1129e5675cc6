import type { z } from 'zod';
import { topicOf } from './departments.js';

export interface IntegrationContract {
  /** Past tense, namespaced by department: `health.ReferralAccepted`. */
  type: string;
  department: string;
  /** The topic it travels on; `<department>.events` unless named. */
  topic?: string;
  schemaVersion: number;
  /** Validated when published and when consumed. */
  schema: z.ZodType;
  /** The case the event belongs to: the Kafka key, so one case's events stay in order. */
  subject: (data: Record<string, unknown>) => string;
  description?: string;
}

export function contractTopic(c: IntegrationContract): string {
  return c.topic ?? topicOf(c.department);
}

export class ContractValidationError extends Error {
  readonly code = 'CONTRACT_VALIDATION';
  constructor(
    public readonly type: string,
    public readonly problems: string[],
  ) {
    super(`${type} does not match its contract: ${problems.join('; ')}`);
    this.name = 'ContractValidationError';
  }
}

/**
 * The integration events departments publish. Only events registered here leave a service;
 * everything else in its event store stays internal.
 */
export class ContractRegistry {
  private readonly contracts = new Map<string, IntegrationContract>();

  register(...contracts: IntegrationContract[]): this {
    for (const c of contracts) {
      if (this.contracts.has(c.type)) throw new Error(`Contract ${c.type} is registered twice`);
      this.contracts.set(c.type, c);
    }
    return this;
  }

  get(type: string): IntegrationContract | undefined {
    return this.contracts.get(type);
  }

  isPublic(type: string): boolean {
    return this.contracts.has(type);
  }

  topicOf(type: string): string {
    const c = this.contracts.get(type);
    if (!c) throw new Error(`No contract for ${type}`);
    return contractTopic(c);
  }

  /** Every topic that carries at least one contract. */
  topics(): string[] {
    return [...new Set([...this.contracts.values()].map(contractTopic))];
  }

  list(): IntegrationContract[] {
    return [...this.contracts.values()];
  }

  /** Returns the parsed data or throws ContractValidationError naming each problem. */
  validate(type: string, schemaVersion: number, data: unknown): unknown {
    const c = this.contracts.get(type);
    if (!c) throw new ContractValidationError(type, ['unknown event type']);
    if (schemaVersion !== c.schemaVersion) {
      throw new ContractValidationError(type, [`schemaVersion ${schemaVersion} is not ${c.schemaVersion}`]);
    }
    const result = c.schema.safeParse(data);
    if (!result.success) {
      throw new ContractValidationError(
        type,
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      );
    }
    return result.data;
  }
}
