import { uuidv7, type RecordedEvent } from '@platform/event-store';
import { readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PendingReferralEvent, ReferralFact } from './facts.entities.js';
import { factsReadModel } from './facts.read-model.js';
import { referralFactsProjection } from './referral-facts.projection.js';

// Real PostgreSQL. Oversight reads five topics side by side: a department's events about a referral can
// reach the ledger before intake's ReferralIssued. The facts must end the same in any arrival order.
describe('referral facts converge whatever the arrival order', () => {
  let pool: Pool;
  let schema: string;
  let dataSource: DataSource;
  let position = 0n;

  beforeAll(async () => {
    pool = testPool(3);
    schema = uniqueName('facts');
    await runReadModelMigrations(pool, schema, factsReadModel.migrations);
    dataSource = await readModelDataSource({ pool, schema, entities: factsReadModel.entities }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const event = (
    type: string,
    data: Record<string, unknown>,
    at: string,
    actor = 'u-window',
  ): RecordedEvent => {
    position++;
    return {
      eventId: uuidv7(),
      type,
      schemaVersion: 1,
      data,
      metadata: {
        actor: { id: actor, role: 'r', department: 'd', jurisdiction: 'j' },
        correlationId: 'c',
        causationId: null,
        occurredAt: at,
      },
      streamId: `ledger-${String(data.caseId)}`,
      streamVersion: Number(position),
      globalPosition: position,
      transactionId: position,
      recordedAt: new Date(at),
      hash: '00',
    };
  };

  /** One referral's life: intake's two events and health's four. */
  const life = () => {
    const caseId = uuidv7();
    const referralId = uuidv7();
    const intake = [
      event(
        'intake.CaseOpened',
        { caseId, caseNumber: '150802-2026-000001', countyCode: '150802000000' },
        '2026-11-01T01:00:00Z',
      ),
      event(
        'intake.ReferralIssued',
        { caseId, referralId, department: 'health', jurisdiction: '150802000000', category: 'medical' },
        '2026-11-01T02:00:00Z',
      ),
    ];
    const health = [
      event('health.ReferralReceived', { caseId, referralId }, '2026-11-01T02:00:01Z', 'u-health'),
      event('health.ReferralAcknowledged', { caseId, referralId }, '2026-11-01T03:00:00Z', 'u-health'),
      event('health.ReferralAccepted', { caseId, referralId }, '2026-11-01T04:00:00Z', 'u-health'),
      event(
        'health.ReferralCompleted',
        { caseId, referralId, outcome: 'granted', amount: 1800 },
        '2026-11-01T05:00:00Z',
        'u-health',
      ),
    ];
    return { referralId, intake, health };
  };

  const fold = async (batches: RecordedEvent[][]) => {
    const projection = referralFactsProjection();
    for (const batch of batches) await dataSource.transaction((m) => projection.apply(batch, m));
  };

  const factOf = async (referralId: string) => {
    const f = await dataSource.getRepository(ReferralFact).findOneByOrFail({ referralId });
    return {
      status: f.status,
      receivedAt: f.receivedAt?.toISOString(),
      acknowledgedAt: f.acknowledgedAt?.toISOString(),
      acknowledgedBy: f.acknowledgedBy,
      decidedAt: f.decidedAt?.toISOString(),
      completedAt: f.completedAt?.toISOString(),
      outcome: f.outcome,
      amount: f.amount === null ? null : Number(f.amount),
      countyCode: f.countyCode,
    };
  };

  it('a department read before intake ends as read after it, in one batch or one event at a time', async () => {
    const inOrder = life();
    await fold([[...inOrder.intake, ...inOrder.health]]);
    const expected = await factOf(inOrder.referralId);
    expect(expected).toMatchObject({
      status: 'completed',
      outcome: 'granted',
      amount: 1800,
      acknowledgedBy: 'u-health',
    });

    const early = life();
    await fold([[early.intake[0]!, ...early.health, early.intake[1]!]]);
    expect(await factOf(early.referralId)).toEqual(expected);

    const oneByOne = life();
    await fold([[oneByOne.intake[0]!], ...oneByOne.health.map((e) => [e]), [oneByOne.intake[1]!]]);
    expect(await factOf(oneByOne.referralId)).toEqual(expected);

    // Nothing is left waiting.
    expect(await dataSource.getRepository(PendingReferralEvent).count()).toBe(0);
  });

  it('keeps a department’s events while their referral is unknown, and applies each once', async () => {
    const waiting = life();
    await fold([[waiting.intake[0]!, ...waiting.health]]);
    expect(
      await dataSource.getRepository(PendingReferralEvent).countBy({ referralId: waiting.referralId }),
    ).toBe(4);
    // Delivered twice (a redelivered batch): kept once.
    await fold([waiting.health]);
    expect(
      await dataSource.getRepository(PendingReferralEvent).countBy({ referralId: waiting.referralId }),
    ).toBe(4);
    await fold([[waiting.intake[1]!]]);
    expect(await factOf(waiting.referralId)).toMatchObject({ status: 'completed', amount: 1800 });
    expect(
      await dataSource.getRepository(PendingReferralEvent).countBy({ referralId: waiting.referralId }),
    ).toBe(0);
  });
});
