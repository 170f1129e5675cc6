import { eventually, requireDatabaseUrl, requireKafkaBrokers, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface Ready {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
}
interface GroupState {
  state: string;
  partitions: Record<string, number[]>;
  lag: Record<string, number>;
  lastDeliveryAt: string | null;
}

/**
 * A department killed with `kill -9` and started again takes its referrals again without waiting out a
 * long consumer session, loses none and doubles none, and its /ready tells whether its consumers are
 * taking messages (intake and health as their own processes over real Kafka). How fast is measured by
 * `npm run bench -- resume` (docs/reliability.md), not here.
 */
describe('a consumer killed and restarted resumes (real Kafka)', () => {
  const prefix = uniqueName('resume');
  const env = {
    DATABASE_URL: requireDatabaseUrl(),
    DATABASE_SCHEMA_PREFIX: prefix,
    JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
    KAFKA_BROKERS: requireKafkaBrokers().join(','),
    KAFKA_NAME_PREFIX: `${prefix}.`,
    KAFKA_TOPIC_PARTITIONS: '3',
    DATABASE_POOL_SIZE: '4',
  };
  let intake: RunningService;
  let health: RunningService;
  let window: Api;
  let person = 0;

  beforeAll(async () => {
    intake = await startService('intake', env);
    health = await startService('health', env);
    window = new Api(intake.url).as(await new Api(intake.url).login('shuanghe.window'));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([health?.stop(), intake?.stop()]);
  });

  /** Opens and accepts a case with one medical need; the referral's id. */
  const refer = async (): Promise<string> => {
    const opened = await window.ok<{ caseId: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: '150802100201',
        household: [
          {
            name: '恢复测试',
            idNumber: residentId(`15080219800620${String(++person).padStart(3, '0')}`),
            relationship: 'applicant',
          },
        ],
        needs: [{ category: 'medical', description: '住院费用' }],
        consentToShare: true,
      },
      201,
    );
    const accepted = await window.ok<{ referrals: Array<{ referralId: string; department: string }> }>(
      'POST',
      `/cases/${opened.caseId}/accept`,
    );
    return accepted.referrals.find((r) => r.department === 'health')!.referralId;
  };

  const inbox = async (officer: Api) =>
    (
      await officer.ok<{ items: Array<{ referralId: string }> }>('GET', '/health/referrals?pageSize=100')
    ).items.map((i) => i.referralId);

  const groupsOf = (ready: Ready) =>
    ((ready.info ?? ready.error)?.['transport:kafka']?.consumerGroups ?? {}) as Record<string, GroupState>;

  it('after kill -9 and an immediate restart, referrals sent meanwhile and after arrive once each', async () => {
    const officer = () => new Api(health.url).login('linhe.health').then((t) => new Api(health.url).as(t));
    const before = await refer();
    let h = await officer();
    await eventually(async () => ((await inbox(h)).includes(before) ? true : undefined), {
      what: 'the first referral in health’s inbox',
    });

    // Ready: its consumer group is a member with partitions of intake's topic, and says when it last took
    // messages in.
    const ready = (await (await fetch(`${health.url}/ready`)).json()) as Ready;
    expect(ready.status).toBe('ok');
    const groups = groupsOf(ready);
    expect(Object.keys(groups).length).toBeGreaterThan(0);
    const intakeGroup = Object.values(groups).find((g) => 'intake.events' in g.partitions);
    expect(intakeGroup).toBeDefined();
    expect(intakeGroup!.state).toBe('member');
    expect(intakeGroup!.partitions['intake.events']).toEqual([0, 1, 2]);
    expect(intakeGroup!.lastDeliveryAt).not.toBeNull();

    await health.kill();
    // Sent while health is down, and after it is back.
    const whileDown = await refer();
    health = await startService('health', env);
    const after = await refer();
    h = await officer();
    await eventually(
      async () => {
        const ids = await inbox(h);
        return ids.includes(whileDown) && ids.includes(after) ? ids : undefined;
      },
      { what: 'both referrals in health’s inbox after the restart', timeoutMs: 60_000 },
    );
    const ids = await inbox(h);
    for (const id of [before, whileDown, after]) expect(ids.filter((x) => x === id)).toHaveLength(1);
    // Back as a member, and ready says so.
    const again = (await (await fetch(`${health.url}/ready`)).json()) as Ready;
    expect(again.status).toBe('ok');
    expect(Object.values(groupsOf(again)).every((g) => g.state === 'member')).toBe(true);
    // The metrics say the same.
    const metrics = await (await fetch(`${health.url}/metrics`)).text();
    expect(metrics).toMatch(/^sap_consumer_member\{[^}]*\} 1$/m);
    expect(metrics).toMatch(/^sap_consumer_last_delivery_timestamp_seconds\{[^}]*\} \d/m);
    expect(metrics).toMatch(/^sap_kafka_consumer_lag_messages\{[^}]*\} \d+$/m);
  }, 180_000);
});
