import { uniqueName } from '@platform/testing';
import { Api, e2eEnv, startService, type RunningService } from './harness.js';
import { expectSettledMetrics, scrape, sum } from './metrics-checks.js';
import { runReferralScenario } from './referral-scenario.js';

describe('one-door intake and coordinated handling, end to end', () => {
  // Each department as its own process over Kafka (with TLS, SCRAM users and per-service ACLs):
  // test/e2e/kafka-security.e2e.spec.ts runs the same scenario.

  describe('apps/platform with the event-log transport', () => {
    let platform: RunningService | null = null;

    afterAll(async () => {
      await platform?.stop();
    });

    it('runs the same scenario in one process without a broker', async () => {
      const token = 'metrics-token-for-the-e2e-0123';
      const env = {
        ...e2eEnv(uniqueName('emb')),
        TRANSPORT: 'event-log',
        KAFKA_BROKERS: '',
        METRICS_TOKEN: token,
      };
      platform = await startService('platform', env);
      const url = platform.url;
      try {
        await runReferralScenario(
          {
            intake: url,
            'civil-affairs': url,
            health: url,
            housing: url,
            education: url,
          },
          { metricsToken: token },
        );
        // /metrics wants its token once one is set; every department of the process reports under its name.
        expect((await fetch(`${url}/metrics`)).status).toBe(401);
        expect(
          (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status,
        ).toBe(401);
        const samples = await expectSettledMetrics(url, {
          department: 'intake',
          consumes: true,
          relay: false,
          token,
        });
        const appended = samples.filter((s) => s.name === 'sap_events_appended_total' && s.value > 0);
        expect(appended.map((s) => s.labels.department).sort()).toEqual(
          expect.arrayContaining(['civil-affairs', 'health', 'intake', 'oversight']),
        );
        const { samples: after } = await scrape(url, token);
        expect(
          after.some(
            (s) =>
              s.name === 'http_request_duration_seconds_count' &&
              s.labels.route === '/cases/:id' &&
              s.labels.method === 'GET',
          ),
        ).toBe(true);
        // Seals made and the last verification's verdict, per department.
        const anon = new Api(url);
        const auditor = anon.as(await anon.login('city.auditor'));
        await auditor.ok('POST', '/intake/audit/seals');
        expect((await auditor.ok<{ ok: boolean }>('GET', '/intake/audit/verify')).ok).toBe(true);
        const { samples: sealed } = await scrape(url, token);
        expect(sum(sealed, 'sap_seals_total', { department: 'intake' })).toBeGreaterThanOrEqual(1);
        expect(sum(sealed, 'sap_last_seal_timestamp_seconds', { department: 'intake' })).toBeGreaterThan(
          1.7e9,
        );
        expect(sum(sealed, 'sap_audit_verify_ok', { department: 'intake' })).toBe(1);
        expect(sum(sealed, 'sap_audit_verify_timestamp_seconds', { department: 'intake' })).toBeGreaterThan(
          1.7e9,
        );
        // Every department of the process reports its seals (0 before its first).
        expect(sealed.filter((s) => s.name === 'sap_seals_total').map((s) => s.labels.department)).toEqual(
          expect.arrayContaining(['intake', 'health', 'civil-affairs', 'oversight']),
        );
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-4000)}`, {
          cause: e,
        });
      }
    }, 180_000);
  });
});
