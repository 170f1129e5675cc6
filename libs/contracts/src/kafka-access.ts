import type { ContractRegistry } from './contract-registry.js';
import {
  deadLetterTopicOf,
  DEPARTMENTS,
  PUBLISHING_DEPARTMENTS,
  topicOf,
  type Department,
} from './departments.js';
import { sealTopicOf } from './seal.contracts.js';
import { RECIPIENTS_TOPIC, verificationTopicOf, VERIFYING_DEPARTMENTS } from './verification.contracts.js';

const others = (d: Department) => PUBLISHING_DEPARTMENTS.filter((p) => p !== d);

/**
 * The topics each department's service subscribes to (its consumer groups are named `<department>.…`).
 * A subscription not listed here is refused by a broker with the platform's ACLs (`npm run kafka:setup`):
 * test/e2e/kafka-security.e2e.spec.ts runs every service that way and wants each group a member.
 */
export const CONSUMED_TOPICS: Readonly<Record<Department, readonly string[]>> = {
  // Referral progress from every department, objections to dibao notices, the others' seals (witness).
  intake: [...others('intake').map(topicOf), ...others('intake').map(sealTopicOf)],
  // Dibao, temporary assistance and its referral desk read the window's cases; it collects every
  // department's verification answers; witness of the others' seals.
  'civil-affairs': [
    topicOf('intake'),
    ...VERIFYING_DEPARTMENTS.map(verificationTopicOf),
    ...others('civil-affairs').map(sealTopicOf),
  ],
  health: [
    topicOf('intake'),
    verificationTopicOf('civil-affairs'),
    RECIPIENTS_TOPIC,
    ...others('health').map(sealTopicOf),
  ],
  housing: [
    topicOf('intake'),
    verificationTopicOf('civil-affairs'),
    RECIPIENTS_TOPIC,
    ...others('housing').map(sealTopicOf),
  ],
  education: [
    topicOf('intake'),
    verificationTopicOf('civil-affairs'),
    ...others('education').map(sealTopicOf),
  ],
  // The accountability ledger records every department's events and seals.
  oversight: [...PUBLISHING_DEPARTMENTS.map(topicOf), ...PUBLISHING_DEPARTMENTS.map(sealTopicOf)],
};

export type KafkaOperation = 'READ' | 'WRITE' | 'DESCRIBE';

/** One ACL: allow `principal` these operations on a topic or consumer group (literal name or prefix). */
export interface KafkaGrant {
  principal: string;
  resource: 'topic' | 'group';
  pattern: 'literal' | 'prefixed';
  name: string;
  operations: readonly KafkaOperation[];
}

/** The Kafka user a department's service logs in as (SCRAM), with the deployment's name prefix. */
export function kafkaPrincipalOf(department: Department, namePrefix = ''): string {
  return `User:${namePrefix}${department}`;
}

/**
 * The Kafka user of `apps/platform` when it runs every department in one process over Kafka: the union of
 * the department users' grants (it is all of them), and nothing beyond.
 */
export const SINGLE_PROCESS_USER = 'platform';

/** Every Kafka user `kafka:setup` manages: one per department service, and the single-process platform's. */
export function kafkaPrincipals(namePrefix = ''): string[] {
  return [
    ...DEPARTMENTS.map((d) => kafkaPrincipalOf(d, namePrefix)),
    `User:${namePrefix}${SINGLE_PROCESS_USER}`,
  ];
}

/** Every topic of the platform with its dead-letter topic: what `kafka:setup` creates. */
export function platformTopics(contracts: ContractRegistry): string[] {
  const topics = new Set([...contracts.topics(), ...Object.values(CONSUMED_TOPICS).flat()]);
  return [...topics].flatMap((t) => [t, deadLetterTopicOf(t)]).sort();
}

/**
 * What each service may do, and nothing more: write the topics of the events it owns (per the contracts),
 * read what it consumes, write those topics' dead-letter topics (a consumer parks poison messages there),
 * and use consumer groups named after itself. No service may create topics or change ACLs: the
 * administrator's `kafka:setup` does that. (Write and Read imply Describe in Kafka.)
 */
export function kafkaGrants(contracts: ContractRegistry, namePrefix = ''): KafkaGrant[] {
  const owned = new Map<string, Set<string>>();
  for (const c of contracts.list()) {
    const set = owned.get(c.department) ?? new Set<string>();
    set.add(contracts.topicOf(c.type));
    owned.set(c.department, set);
  }
  const topic = (principal: string, name: string, operations: KafkaOperation[]): KafkaGrant => ({
    principal,
    resource: 'topic',
    pattern: 'literal',
    name: `${namePrefix}${name}`,
    operations,
  });
  const perService = DEPARTMENTS.flatMap((department) => {
    const principal = kafkaPrincipalOf(department, namePrefix);
    const reads = CONSUMED_TOPICS[department];
    return [
      ...[...(owned.get(department) ?? [])].sort().map((t) => topic(principal, t, ['WRITE'])),
      ...reads.map((t) => topic(principal, t, ['READ'])),
      ...reads.map((t) => topic(principal, deadLetterTopicOf(t), ['WRITE'])),
      {
        principal,
        resource: 'group' as const,
        pattern: 'prefixed' as const,
        name: `${namePrefix}${department}.`,
        operations: ['READ'] as KafkaOperation[],
      },
    ];
  });
  const single = `User:${namePrefix}${SINGLE_PROCESS_USER}`;
  const union = new Map<string, KafkaGrant>();
  for (const g of perService) {
    const key = `${g.resource}\u0000${g.pattern}\u0000${g.name}`;
    const operations = new Set([...(union.get(key)?.operations ?? []), ...g.operations]);
    union.set(key, { ...g, principal: single, operations: [...operations].sort() });
  }
  return [...perService, ...union.values()];
}
