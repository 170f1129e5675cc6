// A household's details never reach an event table in the clear, in any department's log; erasing a
// member (npm run personal-data:erase) forgets them in every screen and list while the record still
// verifies, by the HTTP endpoint and by the CLI alike.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { eventually, requireDatabaseUrl, testPool, uniqueName } from '@platform/testing';
import { chromium } from 'playwright-core';
import {
  BROWSER_CONTEXT,
  CHROMIUM_ARGS,
  chromiumPath,
  expectAccessible,
  login,
  screenshot,
} from './browser.js';
import { Api, residentId, startService, type RunningService } from './harness.js';

const ERASED = '（已删除）';

describe('personal data: sealed in every log, forgotten on erasure (embedded platform)', () => {
  const prefix = uniqueName('pdata');
  const admin = testPool(2);
  const env = {
    DATABASE_URL: requireDatabaseUrl(),
    DATABASE_SCHEMA_PREFIX: prefix,
    PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
    PERSONAL_DATA_CACHE_MS: '1000',
  };
  let platform: RunningService | null = null;

  const cli = (script: string, args: string[], extra: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [`dist/apps/${script}`, ...args], {
      env: { ...process.env, ...env, ...extra },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  beforeAll(async () => {
    platform = await startService('platform', {
      ...env,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
    });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await admin.end();
  });

  it('seals the household in intake, health and oversight; an erasure forgets it and the record verifies', async () => {
    const api = new Api(platform!.url);
    const window = api.as(await api.login('shuanghe.window'));
    const health = api.as(await api.login('linhe.health'));
    const auditor = api.as(await api.login('city.auditor'));
    const applicantId = residentId('15080219750312004');
    const childId = residentId('15080220120905002');
    const neighbourId = residentId('15080219600101007');
    const open = (household: unknown[], description: string) =>
      window.ok<{ caseId: string }>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: '150802100201',
          household,
          needs: [{ category: 'medical', description, requestedAmount: 20000 }],
          consentToShare: true,
        },
        201,
      );
    const family = await open(
      [
        { name: '张秀英', idNumber: applicantId, relationship: 'applicant', phone: '13904780001' },
        { name: '张小雨', idNumber: childId, relationship: 'child' },
      ],
      '尿毒症长期透析，自付费用高',
    );
    const neighbour = await open(
      [{ name: '赵德胜', idNumber: neighbourId, relationship: 'applicant' }],
      '慢性病长期用药',
    );
    for (const c of [family, neighbour]) await window.ok('POST', `/cases/${c.caseId}/accept`);
    const inboxRow = (caseId: string) =>
      eventually(
        async () => {
          const r = await health.ok<{ items: Array<{ caseId: string; referralId: string }> }>(
            'GET',
            '/health/referrals?pageSize=100',
          );
          return r.items.find((i) => i.caseId === caseId);
        },
        { what: 'the referral in health’s inbox' },
      );
    const referral = await inboxRow(family.caseId);
    await eventually(
      async () =>
        (await auditor.ok<{ total: number }>('GET', `/cases/${family.caseId}/timeline`)).total >= 3 ||
        undefined,
      { what: 'the case in oversight’s ledger' },
    );

    // What the service's database role, or a backup, holds: no name, ID number, phone or illness.
    const stored = async () =>
      new Map(
        (
          await Promise.all(
            ['intake', 'health', 'oversight'].map(
              async (d) =>
                (
                  await admin.query<{ id: string; t: string }>(
                    `SELECT '${d}:' || event_id::text AS id, data::text || encode(hash, 'hex') AS t FROM "${prefix}_${d}".events`,
                  )
                ).rows,
            ),
          )
        )
          .flat()
          .map((r) => [r.id, r.t]),
      );
    const before = await stored();
    const raw = [...before.values()].join('\n');
    for (const secret of ['张秀英', '张小雨', applicantId, childId, '13904780001', '尿毒症', '赵德胜']) {
      expect(raw).not.toContain(secret);
    }
    // …while every screen reads them as before.
    const full = () =>
      window.ok<{ household: Array<{ name: string; idNumber: string; phone: string | null }> }>(
        'GET',
        `/cases/${family.caseId}?purpose=${encodeURIComponent('核对家庭成员')}`,
      );
    expect((await full()).household.map((m) => m.name)).toEqual(['张秀英', '张小雨']);
    const detail = () =>
      health.ok<{ applicant: { name: string } | null; description: string }>(
        'GET',
        `/health/referrals/${referral.referralId}?purpose=${encodeURIComponent('审核')}`,
      );
    expect((await detail()).applicant?.name).toBe('张秀英');

    // Bad input and the wrong key erase nothing.
    expect(
      cli('platform/src/cli/personal-data-erase.js', [
        '--id-number',
        '123',
        '--by',
        '管理员',
        '--reason',
        '删除申请 001',
      ]),
    ).toMatchObject({
      code: 2,
      out: expect.stringContaining('--id-number：身份证号码应为18位'),
    });
    const wrongKey = cli(
      'platform/src/cli/personal-data-erase.js',
      ['--id-number', childId, '--by', '管理员', '--reason', '删除申请 001'],
      { PERSONAL_DATA_KEY: randomBytes(32).toString('base64') },
    );
    expect(wrongKey).toMatchObject({ code: 1, out: expect.stringContaining('nothing erased') });
    expect((await full()).household[1]!.name).toBe('张小雨');

    // A dry run names what would go, and erases nothing.
    const dry = cli('platform/src/cli/personal-data-erase.js', [
      '--id-number',
      childId,
      '--by',
      '系统管理员',
      '--reason',
      '删除前核对',
      '--dry-run',
    ]);
    expect(dry).toMatchObject({ code: 0, out: expect.stringContaining(`case:${family.caseId}`) });
    expect((await full()).household[1]!.name).toBe('张小雨');

    // The child's erasure forgets the whole household's case, in every department's copy.
    const erased = cli('platform/src/cli/personal-data-erase.js', [
      '--id-number',
      childId,
      '--by',
      '系统管理员',
      '--reason',
      '本人监护人申请删除（2026-017）',
    ]);
    expect(erased.code).toBe(0);
    // One key per household: the case's, shared by intake, health and oversight's copies.
    expect(erased.out).toContain(`case:${family.caseId}`);
    expect(erased.out).not.toContain(`case:${neighbour.caseId}`);
    expect(erased.out).toMatch(/rebuild case-list: |case-list: \d+ events/);

    expect((await full()).household).toEqual([
      { name: ERASED, idNumber: ERASED, relationship: 'applicant', phone: ERASED },
      { name: ERASED, idNumber: ERASED, relationship: 'child', phone: null },
    ]);
    expect(await detail()).toMatchObject({ applicant: { name: ERASED }, description: ERASED });
    // Lists (read models, rebuilt) and the auditors' timeline show nothing of the family.
    const lists = JSON.stringify([
      await window.ok('GET', '/cases?pageSize=100'),
      await health.ok('GET', '/health/referrals?pageSize=100'),
      await auditor.ok('GET', `/cases/${family.caseId}/timeline?pageSize=100`),
    ]);
    for (const secret of ['张', applicantId.slice(0, 6) + '********' + applicantId.slice(14), '尿毒症']) {
      expect(lists).not.toContain(secret);
    }
    expect(lists).toContain('赵*胜'); // the neighbour is still there, masked as before

    // The erasure itself is on record for the auditors (who, why, when), never the ID number.
    const records = await auditor.ok<{
      items: Array<{ erasedBy: string; reason: string; keys: number }>;
      total: number;
    }>('GET', '/oversight/personal-data/erasures');
    expect(records).toMatchObject({
      total: 1,
      items: [{ erasedBy: '系统管理员', reason: '本人监护人申请删除（2026-017）', keys: 1 }],
    });
    expect(JSON.stringify(records)).not.toContain(childId);
    expect((await window.call('GET', '/oversight/personal-data/erasures')).status).toBe(403);

    // The record is whole: the endpoint and the CLI agree.
    for (const d of ['intake', 'health', 'oversight']) {
      expect(await auditor.ok<{ ok: boolean }>('GET', `/${d}/audit/verify`)).toMatchObject({ ok: true });
    }
    expect(cli('oversight/src/cli/audit-verify.js', [])).toMatchObject({ code: 0 });
    // Not one stored byte of an event changed (new events — the views just made — were only added).
    const after = await stored();
    expect([...before].filter(([id, t]) => after.get(id) !== t)).toEqual([]);

    // As people see it: the window's case page, and the auditors' record of the erasure.
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    try {
      const page = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(page, platform!.url, 'shuanghe.window');
      await page.goto(`${platform!.url}/workbench/cases/${family.caseId}`);
      await page.getByText(ERASED).first().waitFor();
      expect(await page.content()).not.toContain('张秀英');
      await screenshot(page, 'personal-data-erased-case');

      const audit = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
      await login(audit, platform!.url, 'city.auditor');
      await audit.getByRole('menuitem', { name: '删除记录' }).click();
      const row = audit.getByRole('row', { name: /本人监护人申请删除（2026-017）/ });
      await row.waitFor();
      expect(await row.innerText()).toMatch(/系统管理员/);
      expect(await audit.content()).not.toContain(childId);
      await expectAccessible(audit, 'erasure record');
      await screenshot(audit, 'personal-data-erasures');
    } finally {
      await browser.close();
    }
  }, 240_000);
});
