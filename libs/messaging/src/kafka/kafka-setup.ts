import type { KafkaGrant, KafkaOperation } from '@platform/contracts';
import kafkajs from 'kafkajs';
import type { AclEntry } from 'kafkajs';
import type { KafkaConnection } from './kafka-connection.js';

const { Kafka, logLevel, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } =
  kafkajs;

export interface KafkaSetupOptions {
  brokers: string[];
  connection: KafkaConnection;
  clientId?: string;
  /** Physical topic names (with the deployment's prefix) to exist. */
  topics: string[];
  partitions: number;
  replicationFactor: number;
  grants: KafkaGrant[];
  /** Principals whose ACLs this setup owns: any ACL of theirs not in `grants` is removed. */
  principals: string[];
}

export interface KafkaSetupResult {
  topicsCreated: string[];
  topicsExisting: number;
  aclsAdded: number;
  aclsRemoved: string[];
}

const OPERATION: Record<KafkaOperation, number> = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
};

/** The ACL entries of the grants (one per operation). */
export function aclEntriesOf(grants: KafkaGrant[]): AclEntry[] {
  return grants.flatMap((g) =>
    g.operations.map((op) => ({
      resourceType: g.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
      resourceName: g.name,
      resourcePatternType:
        g.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
      principal: g.principal,
      host: '*',
      operation: OPERATION[op],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

const keyOf = (a: AclEntry) =>
  [
    a.principal,
    a.resourceType,
    a.resourcePatternType,
    a.resourceName,
    a.operation,
    a.permissionType,
    a.host,
  ].join('\u0000');

/** One ACL in the words of kafka-acls (for printing and logs). */
export function describeAcl(a: AclEntry): string {
  const resource =
    a.resourceType === AclResourceTypes.TOPIC
      ? 'topic'
      : a.resourceType === AclResourceTypes.GROUP
        ? 'group'
        : String(a.resourceType);
  const pattern = a.resourcePatternType === ResourcePatternTypes.PREFIXED ? 'prefixed' : 'literal';
  // kafkajs' enums are plain objects at run time (no reverse mapping).
  const op =
    Object.entries(AclOperationTypes as unknown as Record<string, number>).find(
      ([, v]) => v === a.operation,
    )?.[0] ?? String(a.operation);
  const perm = a.permissionType === AclPermissionTypes.ALLOW ? 'ALLOW' : 'DENY';
  return `${a.principal} ${perm} ${op} ${resource}:${pattern}:${a.resourceName}`;
}

/**
 * Creates the platform's missing topics and brings each service's ACLs to exactly `grants`: adds what
 * is missing and removes what a principal of the platform holds beyond them. Safe to repeat. Needs a
 * principal allowed to create topics and alter ACLs (the cluster's administrator).
 */
export async function applyKafkaSetup(o: KafkaSetupOptions): Promise<KafkaSetupResult> {
  const kafka = new Kafka({
    clientId: o.clientId ?? 'social-assistance-setup',
    brokers: o.brokers,
    logLevel: logLevel.NOTHING,
    ...o.connection,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = o.topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: o.partitions,
          replicationFactor: o.replicationFactor,
        })),
      });
    }
    const wanted = aclEntriesOf(o.grants);
    const wantedKeys = new Set(wanted.map(keyOf));
    const heldAcls = async (): Promise<AclEntry[]> => {
      const held: AclEntry[] = [];
      for (const principal of o.principals) {
        const found = await admin.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          principal,
          host: '*',
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        });
        for (const r of found.resources)
          for (const acl of r.acls)
            held.push({
              resourceType: r.resourceType,
              resourceName: r.resourceName,
              resourcePatternType: r.resourcePatternType,
              ...acl,
            });
      }
      return held;
    };
    const held = await heldAcls();
    const heldKeys = new Set(held.map(keyOf));
    const toAdd = wanted.filter((a) => !heldKeys.has(keyOf(a)));
    const toRemove = held.filter((a) => !wantedKeys.has(keyOf(a)));
    if (toAdd.length > 0) await admin.createAcls({ acl: toAdd });
    if (toRemove.length > 0) await admin.deleteAcls({ filters: toRemove });
    // The controller has committed them; a broker applies them a moment later. Return once the broker
    // answers with exactly the grants, so services started next are not refused.
    for (let waited = 0; ; waited += 100) {
      const now = new Set((await heldAcls()).map(keyOf));
      if (now.size === wantedKeys.size && [...wantedKeys].every((k) => now.has(k))) break;
      if (waited >= 15_000) throw new Error('the broker does not show the granted ACLs after 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      topicsCreated: missing,
      topicsExisting: o.topics.length - missing.length,
      aclsAdded: toAdd.length,
      aclsRemoved: toRemove.map(describeAcl),
    };
  } finally {
    await admin.disconnect();
  }
}
