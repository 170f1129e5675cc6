import { deadLetterTopicOf, DEPARTMENTS, PUBLISHING_DEPARTMENTS, topicOf } from './departments.js';
import { platformContracts } from './index.js';
import {
  CONSUMED_TOPICS,
  kafkaGrants,
  kafkaPrincipalOf,
  kafkaPrincipals,
  platformTopics,
} from './kafka-access.js';

describe('Kafka grants per service', () => {
  const contracts = platformContracts();
  const grants = kafkaGrants(contracts);
  const of = (department: (typeof DEPARTMENTS)[number], operation: 'READ' | 'WRITE') =>
    grants
      .filter((g) => g.principal === kafkaPrincipalOf(department) && g.resource === 'topic')
      .filter((g) => g.operations.includes(operation))
      .map((g) => g.name);

  it('lets each department write the topics of its own events and no other department write them', () => {
    for (const c of contracts.list()) {
      const topic = contracts.topicOf(c.type);
      const writers = DEPARTMENTS.filter((d) => of(d, 'WRITE').includes(topic));
      expect([c.type, writers]).toEqual([c.type, [c.department]]);
    }
    // Oversight only reads: its ledger is built from what the others publish.
    expect(of('oversight', 'WRITE').every((t) => t.endsWith('.dlq'))).toBe(true);
  });

  it('writes dead letters only of what it reads, and reads only declared topics that exist', () => {
    const topics = new Set(platformTopics(contracts));
    for (const d of DEPARTMENTS) {
      const reads = of(d, 'READ');
      expect(reads).toEqual([...CONSUMED_TOPICS[d]]);
      for (const t of reads) expect(topics.has(t)).toBe(true);
      const deadLetters = of(d, 'WRITE').filter((t) => t.endsWith('.dlq'));
      expect(deadLetters.sort()).toEqual(reads.map(deadLetterTopicOf).sort());
    }
    // Nobody reads health's referral answers but the window and oversight.
    const readers = DEPARTMENTS.filter((d) => of(d, 'READ').includes(topicOf('health')));
    expect(readers).toEqual(['intake', 'oversight']);
    // Every department's published events reach the ledger.
    for (const d of PUBLISHING_DEPARTMENTS) expect(of('oversight', 'READ')).toContain(topicOf(d));
  });

  it('names groups and topics with the deployment prefix, and groups after the department only', () => {
    const prefixed = kafkaGrants(contracts, 'staging.');
    expect(
      prefixed.every((g) => g.name.startsWith('staging.') && g.principal.startsWith('User:staging.')),
    ).toBe(true);
    const groups = grants.filter((g) => g.resource === 'group' && g.principal !== 'User:platform');
    expect(groups.map((g) => [g.principal, g.pattern, g.name])).toEqual(
      DEPARTMENTS.map((d) => [`User:${d}`, 'prefixed', `${d}.`]),
    );
    expect(kafkaPrincipals('staging.')).toEqual([
      ...DEPARTMENTS.map((d) => `User:staging.${d}`),
      'User:staging.platform',
    ]);
    // No grant lets anyone create, delete or alter anything.
    expect(new Set(grants.flatMap((g) => g.operations))).toEqual(new Set(['READ', 'WRITE']));
  });

  it('gives the single-process platform exactly the union of the services’ grants', () => {
    const allowed = (principal: (g: (typeof grants)[number]) => boolean) =>
      new Set(
        grants
          .filter(principal)
          .flatMap((g) => g.operations.map((o) => `${g.resource} ${g.pattern} ${g.name} ${o}`)),
      );
    const services = allowed((g) => g.principal !== 'User:platform');
    const platform = allowed((g) => g.principal === 'User:platform');
    expect([...platform].sort()).toEqual([...services].sort());
    // One grant per resource: the union is not a copy of every service's list.
    const own = grants.filter((g) => g.principal === 'User:platform');
    expect(new Set(own.map((g) => `${g.resource} ${g.name}`)).size).toBe(own.length);
    // Written and read: health's answers are written by health and read by the window and oversight.
    expect(own.find((g) => g.name === topicOf('health'))?.operations).toEqual(['READ', 'WRITE']);
  });
});
