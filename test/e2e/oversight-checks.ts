import { spawnSync } from 'node:child_process';
import { eventually } from '@platform/testing';
import pg from 'pg';
import { Api } from './harness.js';
import type { ScenarioResult } from './referral-scenario.js';

interface Entry {
  eventId: string;
  type: string;
  department: string;
  actor: { id: string; role: string; department: string; jurisdiction: string };
  occurredAt: string;
  sourceRecordedAt: string;
}

const PUBLIC =
  /^(intake\.(CaseOpened|CaseAccepted|ReferralIssued|ReferralRevoked|ReferralRerouted|CaseReportedToGovernment)|(civil-affairs|health|housing|education)\.Referral(Received|Acknowledged|Accepted|Declined|ProgressNoted|Completed|Overdue|Reopened))$/;

function cli(script: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [`dist/apps/${script}`, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/**
 * After the referral scenario: the ledger's timeline, point-in-time replay, dashboard figures,
 * rebuild-equals-live, and tamper detection by `audit:verify`.
 */
export async function runOversightChecks(
  oversightUrl: string,
  intakeUrl: string,
  r: ScenarioResult,
  prefix: string,
): Promise<void> {
  const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const s = (dept: string) => `"${prefix}_${dept.replace('-', '_')}"`;
  const env = { DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA_PREFIX: prefix };
  try {
    const auditor = new Api(oversightUrl, await new Api(intakeUrl).login('city.auditor'));
    const viewer = new Api(oversightUrl, await new Api(intakeUrl).login('city.jointmeeting'));

    // Independently: every public event of this case in the departments' own event stores.
    const expected: string[] = [];
    for (const dept of ['intake', 'civil-affairs', 'health', 'housing', 'education']) {
      const { rows } = await db.query(
        `SELECT event_id, event_type FROM ${s(dept)}.events WHERE data->>'caseId' = $1`,
        [r.caseId],
      );
      expected.push(...rows.filter((row) => PUBLIC.test(row.event_type)).map((row) => row.event_id));
    }
    const timeline = await eventually(
      async () => {
        const t = await auditor.ok<{ items: Entry[]; total: number }>(
          'GET',
          `/cases/${r.caseId}/timeline?pageSize=500`,
        );
        return t.total === expected.length ? t : undefined;
      },
      { what: `the ledger to hold all ${expected.length} events of the case` },
    );
    expect(new Set(timeline.items.map((e) => e.eventId))).toEqual(new Set(expected));
    const times = timeline.items.map((e) => Date.parse(e.sourceRecordedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeline.items.every((e) => e.actor.id && e.actor.role && e.actor.jurisdiction)).toBe(true);
    const types = timeline.items.map((e) => e.type);
    expect(types[0]).toBe('intake.CaseOpened');
    expect(types.indexOf('health.ReferralReceived')).toBeLessThan(
      types.indexOf('health.ReferralAcknowledged'),
    );
    expect(timeline.items.find((e) => e.type === 'health.ReferralAccepted')!.actor).toMatchObject({
      id: 'u-health-linhe',
      role: 'health_officer',
    });
    const filtered = await auditor.ok<{ items: Entry[] }>(
      'GET',
      `/cases/${r.caseId}/timeline?department=health`,
    );
    expect(filtered.items.every((e) => e.department === 'health')).toBe(true);

    // Point-in-time replay equals what the window saw then.
    const then = await auditor.ok<{
      state: {
        status: string;
        referrals: Array<{ referralId: string; department: string; status: string }>;
        reportedToGovernment: unknown[];
      };
    }>('GET', `/cases/${r.caseId}/state?at=${encodeURIComponent(r.midway.at)}`);
    const sawThen = r.midway.view.referrals.map((x) => ({
      referralId: x.referralId,
      department: x.department,
      status: x.status,
    }));
    expect(
      then.state.referrals.map((x) => ({
        referralId: x.referralId,
        department: x.department,
        status: x.status,
      })),
    ).toEqual(sawThen);
    expect(then.state.status).toBe(r.midway.view.status);
    expect(then.state.reportedToGovernment).toHaveLength(1);
    const diff = await auditor.ok<{ changes: Array<{ what: string }>; by: Array<{ actor: { id: string } }> }>(
      'GET',
      `/cases/${r.caseId}/diff?from=${encodeURIComponent(r.midway.at)}&to=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.by.map((b) => b.actor.id)).toEqual(
      expect.arrayContaining(['u-health-linhe', 'u-housing-linhe', 'u-twp-shuanghe']),
    );

    // Dashboard figures against a count made from the window's own view of the case.
    const final = r.finalView.referrals;
    const dashboard = await eventually(
      async () => {
        const d = await viewer.ok<{
          rows: Array<Record<string, number>>;
          casesReportedToGovernment: Array<{ cases: number }>;
        }>('GET', '/oversight/dashboard');
        const sum = (k: string) => d.rows.reduce((n, row) => n + Number(row[k]), 0);
        // Housing's decline comes from its own log, not ordered before the others' completions in the ledger.
        return sum('issued') === final.length &&
          sum('completed') === final.filter((x) => x.status === 'completed').length &&
          sum('declined') === 1
          ? { d, sum }
          : undefined;
      },
      { what: 'dashboard figures' },
    );
    expect(dashboard.sum('declined')).toBe(1);
    expect(dashboard.sum('overdue')).toBe(final.filter((x) => x.overdue.length > 0).length);
    expect(dashboard.sum('grants')).toBe(
      r.finalView.needs.filter((n) => n.referral?.outcome === 'granted').length,
    );
    expect(dashboard.sum('grantedAmount')).toBe(
      r.finalView.needs.reduce((n, x) => n + (x.referral?.amount ?? 0), 0),
    );
    expect(dashboard.d.casesReportedToGovernment.reduce((n, x) => n + x.cases, 0)).toBe(1);

    // Accountability report: the overdue referral, with who held it, as CSV and printable HTML.
    const report = await viewer.ok<{ overdue: Array<{ referral_id: string; actions: unknown[] }> }>(
      'GET',
      '/oversight/reports/accountability',
    );
    expect(report.overdue).toHaveLength(1);
    expect(report.overdue[0]!.actions.length).toBeGreaterThan(2);
    const csv = await viewer.call('GET', '/oversight/reports/accountability?format=csv');
    expect(csv.text).toContain(report.overdue[0]!.referral_id);
    const html = await viewer.call('GET', '/oversight/reports/accountability?format=html');
    expect(html.text).toContain('责任追究报告');

    // Rebuilding the read model from position 0 gives exactly the live result.
    const snapshot = async () =>
      (await db.query(`SELECT * FROM ${s('oversight')}.referral_facts ORDER BY referral_id`)).rows.concat(
        (await db.query(`SELECT * FROM ${s('oversight')}.case_facts ORDER BY case_id`)).rows,
      );
    const live = await snapshot();
    const rebuilt = cli('platform/src/cli/rebuild.js', ['referral-facts'], env);
    expect(rebuilt).toMatchObject({ code: 0 });
    expect(await snapshot()).toEqual(live);

    // Seal, then tamper: an edited department event and a deleted ledger range are both reported.
    const seal = await auditor.ok<{ sealNo: number; entryCount: number }>('POST', '/oversight/seals');
    expect(seal.entryCount).toBeGreaterThan(0);
    const exported = await auditor.ok<{
      merkleRoot: string;
      signature: string;
      publicKey: string;
      entryHashes: string[];
    }>('GET', `/oversight/seals/${seal.sealNo}/export`);
    expect(exported.entryHashes).toHaveLength(seal.entryCount);
    const intakeAuditor = new Api(intakeUrl, await new Api(intakeUrl).login('city.auditor'));
    const intakeSeal = await intakeAuditor.ok<{ sealNo: number; entryCount: number }>(
      'POST',
      '/intake/audit/seals',
    );
    expect(intakeSeal.entryCount).toBeGreaterThan(0);
    const clean = cli('oversight/src/cli/audit-verify.js', ['--json'], env);
    expect(clean.code).toBe(0);
    // The endpoint and the CLI run the same check and count the same streams (the endpoint once counted none).
    const verified = JSON.parse(clean.stdout) as Record<
      string,
      { streams: number; seals: { seals: number } }
    >;
    for (const [department, api] of [
      ['intake', intakeAuditor],
      ['oversight', auditor],
    ] as const) {
      const endpoint = await api.ok<{ ok: boolean; streams: number; seals: { seals: number } }>(
        'GET',
        `/${department}/audit/verify`,
      );
      expect(endpoint.streams).toBeGreaterThan(0);
      expect(endpoint).toMatchObject({
        ok: true,
        streams: verified[department]!.streams,
        seals: { seals: verified[department]!.seals.seals },
      });
    }

    const health = s('health');
    const victim = (
      await db.query(
        `SELECT stream_id FROM ${health}.events WHERE event_type = 'health.ReferralCompleted' AND data->>'caseId' = $1`,
        [r.caseId],
      )
    ).rows[0].stream_id;
    await db.query(`ALTER TABLE ${health}.events DISABLE TRIGGER events_append_only`);
    await db.query(
      `UPDATE ${health}.events SET data = jsonb_set(data, '{amount}', '180000') WHERE stream_id = $1 AND event_type = 'health.ReferralCompleted'`,
      [victim],
    );
    await db.query(`ALTER TABLE ${health}.events ENABLE TRIGGER events_append_only`);
    const ledger = s('oversight');
    await db.query(`ALTER TABLE ${ledger}.events DISABLE TRIGGER events_append_only`);
    const deleted = await db.query(
      `DELETE FROM ${ledger}.events WHERE stream_id = $1 AND event_type LIKE 'housing.%'`,
      [`ledger-${r.caseId}`],
    );
    await db.query(`ALTER TABLE ${ledger}.events ENABLE TRIGGER events_append_only`);
    expect(deleted.rowCount).toBeGreaterThan(0);
    // An insider removes the last event of the case's own stream at intake: the chain that is left is
    // intact, the intake seal is not.
    const intake = s('intake');
    const tail = (
      await db.query(`SELECT max(stream_version) AS v FROM ${intake}.events WHERE stream_id = $1`, [
        `case-${r.caseId}`,
      ])
    ).rows[0].v;
    await db.query(`ALTER TABLE ${intake}.events DISABLE TRIGGER events_append_only`);
    await db.query(`DELETE FROM ${intake}.events WHERE stream_id = $1 AND stream_version = $2`, [
      `case-${r.caseId}`,
      tail,
    ]);
    await db.query(`ALTER TABLE ${intake}.events ENABLE TRIGGER events_append_only`);
    const verify = cli('oversight/src/cli/audit-verify.js', [], env);
    expect(verify.code).toBe(1);
    expect(verify.out).toContain(`✖ ${victim}`);
    expect(verify.out).toMatch(/✖ oversight 封印 \d+: 封印时有 \d+ 条记录，现在该区间/);
    expect(verify.out).toContain(
      `流 case-${r.caseId} 封印时已到第 ${tail} 版，现在只到第 ${Number(tail) - 1} 版：第 ${tail}–${tail} 版被删除`,
    );
    // The ledger range deleted above is named against housing's own store.
    expect(verify.out).toMatch(/✖ housing 的 referral-\S+ 第 [\d–]+ 版已发布，但监督台账中没有记录/);
    const endpoint = await auditor.ok<{ ok: boolean; seals: { problems: unknown[] } }>(
      'GET',
      '/oversight/audit/verify',
    );
    expect(endpoint.ok).toBe(false);
    expect(endpoint.seals.problems.length).toBeGreaterThan(0);
  } finally {
    await db.end();
  }
}
