import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, uniqueName } from '@platform/testing';
import kafkajs from 'kafkajs';
import { e2eEnv, startService, type RunningService } from './harness.js';
import { dashboardMetricNames, expectSettledMetrics, scrape } from './metrics-checks.js';
import { runOversightChecks } from './oversight-checks.js';
import { runReferralScenario } from './referral-scenario.js';

const { Kafka, logLevel, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } =
  kafkajs;

const APPS = ['intake', 'civil-affairs', 'health', 'housing', 'education', 'oversight'] as const;

/** Runs a command to its end; resolves with its exit code and output. */
function run(cmd: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A `KEY=value` file as an object. */
function envFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/**
 * The broker as production runs it (scripts/kafka.sh with KAFKA_SECURITY=sasl_ssl: TLS, SCRAM-SHA-512 users,
 * the StandardAuthorizer with the grants of `npm run kafka:setup`), every department as its own process
 * logged in as its own Kafka user — and the users who must get nothing: no TLS, no login, a wrong password,
 * a department on another's topic or consumer group, a client at the controller port.
 */
describe('Kafka with TLS, SCRAM users and per-service ACLs', () => {
  const state = mkdtempSync(path.join(tmpdir(), 'kafka-secure-'));
  const secrets = path.join(state, 'secrets');
  const brokerEnv: Record<string, string> = {
    KAFKA_SECURITY: 'sasl_ssl',
    KAFKA_STATE_DIR: state,
    KAFKA_TOPIC_PARTITIONS: '3',
  };
  let brokers: string[];
  let controllerPort: number;
  const services: RunningService[] = [];

  const password = (user: string) => readFileSync(path.join(secrets, `${user}.password`), 'utf8');
  const ca = () => readFileSync(path.join(secrets, 'ca.pem'), 'utf8');
  /** A kafkajs client; `user` null: TLS without a login. */
  const client = (user: string | null, options: { tls?: boolean; password?: string } = {}) =>
    new Kafka({
      clientId: 'kafka-security-spec',
      brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
      ...(options.tls === false ? {} : { ssl: { ca: [ca()] } }),
      ...(user
        ? {
            sasl: {
              mechanism: 'scram-sha-512' as const,
              username: user,
              password: options.password ?? password(user),
            },
          }
        : {}),
    });
  /** What a call was refused with: the kafkajs error's type (e.g. TOPIC_AUTHORIZATION_FAILED) or name. */
  const refusal = async (call: () => Promise<unknown>): Promise<string> => {
    try {
      await call();
    } catch (e) {
      const chain = [e, (e as { cause?: unknown }).cause, ...((e as { errors?: unknown[] }).errors ?? [])];
      const typed = chain.find((x) => typeof (x as { type?: unknown })?.type === 'string') as
        { type: string } | undefined;
      return typed?.type ?? (e as Error).name;
    }
    return 'allowed';
  };
  const produce = (user: string, topic: string) =>
    refusal(async () => {
      const producer = client(user).producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: 'spec', value: '{}' }] });
      } finally {
        await producer.disconnect();
      }
    });
  const listTopics = (kafka: InstanceType<typeof Kafka>) =>
    refusal(async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    });

  beforeAll(async () => {
    const port = await freePort();
    controllerPort = await freePort();
    brokers = [`127.0.0.1:${port}`];
    Object.assign(brokerEnv, { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort) });
    const started = await run('bash', ['scripts/kafka.sh', 'start'], brokerEnv);
    if (started.code !== 0) throw new Error(`scripts/kafka.sh start failed:\n${started.output}`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await run('bash', ['scripts/kafka.sh', 'stop'], brokerEnv);
    rmSync(state, { recursive: true, force: true });
  }, 60_000);

  it('keeps its secrets to the owner: keys, passwords and env files are mode 0600', async () => {
    const { code, output } = await run('bash', ['-c', `stat -c '%a %n' ${secrets} ${secrets}/*`], {});
    expect(code).toBe(0);
    const modes = output.trim().split('\n');
    expect(modes.length).toBeGreaterThan(10);
    for (const line of modes) expect(line).toMatch(/^(600|700) /);
  });

  /** A service's settings: its own schemas, and the Kafka user and password file kafka.sh wrote for it. */
  const serviceEnv = (prefix: string, user: string) => ({
    ...e2eEnv(prefix),
    KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_NAME_PREFIX: '',
    ...envFile(path.join(secrets, `${user}.env`)),
  });
  /** Every Kafka consumer group of a service, by /ready: each should be a member. */
  const groupStates = async (url: string) => {
    const ready = (await (await fetch(`${url}/ready`)).json()) as {
      info: Record<string, { consumerGroups?: Record<string, { state: string }> }>;
    };
    return Object.values(ready.info['transport:kafka']?.consumerGroups ?? {}).map((g) => g.state);
  };

  it('carries a household’s needs through every department, each as its own Kafka user with only its grants', async () => {
    const prefix = uniqueName('ksec');
    const envOf = (app: string) => serviceEnv(prefix, app);
    // Intake first: it creates the identity schema.
    services.push(await startService('intake', envOf('intake')));
    services.push(...(await Promise.all(APPS.slice(1).map((app) => startService(app, envOf(app))))));
    const url = Object.fromEntries(services.map((s) => [s.name, s.url])) as Record<
      (typeof APPS)[number],
      string
    >;
    try {
      const result = await runReferralScenario(url);
      await runOversightChecks(url.oversight, url.intake, result, prefix);
      const shown = new Set<string>();
      for (const department of ['intake', 'health', 'civil-affairs'] as const) {
        await expectSettledMetrics(url[department], { department, consumes: true, relay: true });
        const { text, samples } = await scrape(url[department]);
        for (const s of samples) shown.add(s.name);
        for (const [, name] of text.matchAll(/^# TYPE (\S+)/gm)) shown.add(name!);
      }
      // Every consumer group of every service is a member: each subscription is covered by a grant
      // (a missing one leaves its group joining, refused by the authorizer).
      for (const app of APPS) {
        const states = await groupStates(url[app]);
        expect([app, states.length > 0]).toEqual([app, true]);
        expect([app, states]).toEqual([app, states.map(() => 'member')]);
      }
      expect(dashboardMetricNames().filter((n) => !shown.has(n))).toEqual([]);
      // No service tried to do what its grants do not allow (a refusal is logged once, at error).
      for (const s of services)
        expect([s.name, s.output().includes('Kafka refuses')]).toEqual([s.name, false]);
    } catch (e) {
      const logs = services.map((s) => `--- ${s.name} ---\n${s.output().slice(-3000)}`).join('\n');
      throw new Error(`${(e as Error).message}\n${logs}`, { cause: e });
    }
  }, 420_000);

  it('refuses a client without TLS, one without a login and a wrong password', async () => {
    // Plaintext against the TLS listener: the handshake never completes.
    expect(await listTopics(client('health', { tls: false }))).not.toBe('allowed');
    expect(await listTopics(client(null))).not.toBe('allowed');
    expect(await listTopics(client('health', { password: `${password('health')}x` }))).toBe(
      'KafkaJSSASLAuthenticationError',
    );
    // Another service's password is not this user's.
    expect(await listTopics(client('health', { password: password('housing') }))).toBe(
      'KafkaJSSASLAuthenticationError',
    );
    expect(await listTopics(client('health'))).toBe('allowed');
  });

  it('refuses a service on another department’s topic, a topic it does not consume and another’s group', async () => {
    expect(await produce('health', 'health.events')).toBe('allowed');
    // A forged referral answer or window case from health.
    expect(await produce('health', 'intake.events')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produce('health', 'housing.events')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produce('health', 'civil-affairs.seals')).toBe('TOPIC_AUTHORIZATION_FAILED');
    // Reading what it does not consume: housing's referrals.
    const spy = client('health').consumer({ groupId: 'health.spy' });
    await spy.connect();
    try {
      expect(await refusal(() => spy.subscribe({ topics: ['housing.events'], fromBeginning: true }))).toBe(
        'TOPIC_AUTHORIZATION_FAILED',
      );
    } finally {
      await spy.disconnect();
    }
    // Joining intake's consumer group (stealing its partitions, moving its offsets).
    const thief = client('health').consumer({ groupId: 'intake.referral-progress', retry: { retries: 0 } });
    await thief.connect();
    try {
      await thief.subscribe({ topics: ['intake.events'] });
      const crashed = new Promise<string>((resolve) =>
        thief.on(thief.events.CRASH, (e) => resolve(String((e.payload as { error: Error }).error?.name))),
      );
      await thief.run({ eachMessage: async () => undefined }).catch(() => undefined);
      expect(await crashed).toMatch(/GroupCoordinatorNotFound|GroupAuthorization|ProtocolError/);
    } finally {
      await thief.disconnect();
    }
    // No service creates topics or changes grants.
    const admin = client('health').admin();
    await admin.connect();
    try {
      expect(await refusal(() => admin.createTopics({ topics: [{ topic: 'health.shadow' }] }))).toBe(
        'TOPIC_AUTHORIZATION_FAILED',
      );
      expect(
        await refusal(() =>
          admin.createAcls({
            acl: [
              {
                resourceType: AclResourceTypes.TOPIC,
                resourceName: 'intake.events',
                resourcePatternType: ResourcePatternTypes.LITERAL,
                principal: 'User:health',
                host: '*',
                operation: AclOperationTypes.WRITE,
                permissionType: AclPermissionTypes.ALLOW,
              },
            ],
          }),
        ),
      ).not.toBe('allowed');
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('takes nobody but the broker itself at the controller port (mutual TLS)', async () => {
    const controller = new Kafka({
      clientId: 'kafka-security-spec',
      brokers: [`127.0.0.1:${controllerPort}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
      ssl: { ca: [ca()] },
      sasl: { mechanism: 'scram-sha-512', username: 'admin', password: password('admin') },
    });
    expect(await listTopics(controller)).not.toBe('allowed');
  });

  it('removes a grant beyond the table when kafka:setup runs again', async () => {
    const adminEnv = envFile(path.join(secrets, 'admin.env'));
    const admin = client('admin').admin();
    await admin.connect();
    try {
      // An insider with the administrator's password gives health the window's topic.
      await admin.createAcls({
        acl: [
          {
            resourceType: AclResourceTypes.TOPIC,
            resourceName: 'intake.events',
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: 'User:health',
            host: '*',
            operation: AclOperationTypes.WRITE,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    const setup = await run(process.execPath, ['dist/apps/platform/src/cli/kafka-setup.js'], adminEnv);
    expect(setup.code).toBe(0);
    expect(setup.output).toContain('撤销 1 条');
    expect(setup.output).toContain('撤销：User:health ALLOW WRITE topic:literal:intake.events');
    expect(await produce('health', 'intake.events')).toBe('TOPIC_AUTHORIZATION_FAILED');
    // Again: nothing to add or remove.
    const again = await run(process.execPath, ['dist/apps/platform/src/cli/kafka-setup.js'], adminEnv);
    expect(again.output).toContain('主题新建 0 个');
    expect(again.output).toContain('授权新增 0 条、撤销 0 条');
    // A service's own user cannot run it.
    const asHealth = await run(
      process.execPath,
      ['dist/apps/platform/src/cli/kafka-setup.js'],
      envFile(path.join(secrets, 'health.env')),
    );
    expect(asHealth.code).toBe(1);
    expect(asHealth.output).toContain('Kafka 设置失败');
    // Three CLI runs, each a process with its own TLS and SCRAM handshakes: a loaded CI machine took over 60 s.
  }, 180_000);

  it('runs the single-process platform as its one Kafka user, with the union of the services’ grants', async () => {
    // The department services leave first: the platform's consumer groups are theirs.
    await Promise.all(services.splice(0).map((s) => s.stop()));
    const platform = await startService('platform', {
      ...serviceEnv(uniqueName('ksecp'), 'platform'),
      TRANSPORT: 'kafka',
    });
    services.push(platform);
    try {
      const url = platform.url;
      await runReferralScenario({
        intake: url,
        'civil-affairs': url,
        health: url,
        housing: url,
        education: url,
      });
      const states = await groupStates(url);
      // Every department's groups, in one process.
      expect(states.length).toBeGreaterThanOrEqual(APPS.length);
      expect(states).toEqual(states.map(() => 'member'));
      expect(platform.output().includes('Kafka refuses')).toBe(false);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-3000)}`, {
        cause: e,
      });
    }
    // The platform's user is no administrator: it creates no topic.
    const admin = client('platform').admin();
    await admin.connect();
    try {
      expect(await refusal(() => admin.createTopics({ topics: [{ topic: 'platform.shadow' }] }))).toBe(
        'TOPIC_AUTHORIZATION_FAILED',
      );
    } finally {
      await admin.disconnect();
    }
  }, 300_000);
});
