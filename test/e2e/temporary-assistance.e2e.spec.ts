import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface ApplicationView {
  applicationId: string;
  status: string;
  statusName: string;
  members: Array<{ name: string; idNumber: string; roleName: string }>;
  hardship: { kind: string; kindName: string; description: string };
  requestedAmount: number;
  villageName: string;
  countyName: string;
  recordedBy: { name: string; roleName: string };
  recordedAt: string;
  submission: { proposedAmount: number; townshipLimit: { text: string }; by: { name: string } } | null;
  decision: {
    levelName: string;
    outcomeName: string;
    amount: number | null;
    townshipLimit: { limit: number; text: string; tableVersions: Record<string, number> } | null;
    by: { name: string };
    at: string;
  } | null;
  payment: { amount: number; paidOn: string; methodName: string } | null;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface ListItem {
  applicationId: string;
  applicantName: string;
  applicantIdNumber: string;
  villageName: string;
  requestedAmount: number;
  grantedAmount: number | null;
  statusName: string;
}

const BASE = '/civil-affairs/temporary-assistance';
const LINHE = '150802000000';
const JINBU = '150802100201';
const BEIJING_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Temporary assistance (临时救助) over HTTP through apps/platform (event-log): the township window records
 * and grants within 3 × 临河区's rural dibao standard (690 → 2070 元), submits above it, the county decides;
 * another county's officer is refused.
 */
describe('temporary assistance, end to end', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('ta'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
    });
    const api = new Api(platform.url);
    for (const user of ['admin', 'shuanghe.window', 'linhe.civil', 'wuyuan.civil']) {
      who[user] = api.as(await api.login(user));
    }
    // 临河区's standards for the year, recorded by an administrator before any decision needs them.
    await who.admin!.ok(
      'POST',
      '/admin/policy/allowance-standards',
      {
        content: {
          [LINHE]: { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
        },
        effectiveFrom: '2026-01-01',
        reason: '临河区人民政府关于 2026 年城乡最低生活保障标准的通知',
      },
      201,
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const withLogs = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-3000)}`, {
        cause: e,
      });
    }
  };

  let seq = 0;
  const record = (requestedAmount: number) =>
    who['shuanghe.window']!.ok<ApplicationView>(
      'POST',
      BASE,
      {
        members: [
          { name: '王建国', idNumber: residentId(`1508021965010${String(100 + ++seq).slice(-3)}1`) },
          { name: '刘秀兰', idNumber: residentId(`1508021968030${String(100 + ++seq).slice(-3)}2`) },
        ],
        hardship: { kind: 'serious_illness', description: '户主突发脑梗住院，家庭基本生活困难' },
        requestedAmount,
        area: 'rural',
        villageCode: JINBU,
      },
      201,
    );

  it('the township grants within its limit, exactly at 3 × 690 = 2070 元, and records the payment', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const app = await record(3000);
      expect(app).toMatchObject({
        status: 'recorded',
        villageName: expect.stringContaining('进步村'),
        recordedBy: { name: '李春梅' },
        hardship: { kindName: '重大疾病' },
      });
      expect(app.members[0]!.idNumber).toMatch(/\*{8}/);
      const granted = await window.ok<ApplicationView>(
        'POST',
        `${BASE}/${app.applicationId}/township-grant`,
        {
          amount: 2070,
          opinion: '情况属实，同意给予',
        },
      );
      expect(granted).toMatchObject({
        status: 'granted',
        decision: {
          levelName: '乡镇（街道）',
          amount: 2070,
          by: { name: '李春梅' },
          townshipLimit: { limit: 2070, text: '3 × 690 = 2070 元' },
        },
      });
      expect(granted.decision!.townshipLimit!.tableVersions['allowance-standards']).toBeGreaterThanOrEqual(1);
      expect(granted.decision!.at).toMatch(BEIJING_TIME);
      // The same grant again (a retried request) changes nothing.
      await window.ok('POST', `${BASE}/${app.applicationId}/township-grant`, {
        amount: 2070,
        opinion: '情况属实，同意给予',
      });
      const paid = await window.ok<ApplicationView>('POST', `${BASE}/${app.applicationId}/payment`, {
        paidOn: today(),
        method: 'cash',
      });
      expect(paid).toMatchObject({ status: 'paid', payment: { amount: 2070, methodName: '现金' } });

      const page = await eventually(
        async () => {
          const p = await who['linhe.civil']!.ok<Page<ListItem>>('GET', `${BASE}?pageSize=100`);
          return p.items.some((i) => i.applicationId === app.applicationId && i.statusName === '已发放')
            ? p
            : undefined;
        },
        { what: 'the paid application in the county list', timeoutMs: 10_000 },
      );
      expect(page.items.find((i) => i.applicationId === app.applicationId)).toMatchObject({
        applicantName: '王建国',
        applicantIdNumber: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/),
        requestedAmount: 3000,
        grantedAmount: 2070,
      });
    });
  });

  it('one yuan above the limit is a 422 naming the field and the rule; the county decides it', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const app = await record(5000);
      const refused = await window.call('POST', `${BASE}/${app.applicationId}/township-grant`, {
        amount: 2071,
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: 'ABOVE_TOWNSHIP_LIMIT',
        message: 'amount：超出乡镇审批权限（3 × 690 = 2070 元），须报旗县区民政部门审批',
      });
      const submitted = await window.ok<ApplicationView>(
        'POST',
        `${BASE}/${app.applicationId}/submit-to-county`,
        {
          proposedAmount: 4000,
          opinion: '经入户核实情况属实，建议给予 4000 元',
        },
      );
      expect(submitted).toMatchObject({
        status: 'submitted',
        submission: {
          proposedAmount: 4000,
          townshipLimit: { text: '3 × 690 = 2070 元' },
          by: { name: '李春梅' },
        },
      });
      // 五原县's officer may neither decide nor read 临河区's application.
      const outside = await who['wuyuan.civil']!.call(
        'POST',
        `${BASE}/${app.applicationId}/county-approval`,
        {
          amount: 4000,
        },
      );
      expect(outside.status).toBe(403);
      expect((await who['wuyuan.civil']!.call('GET', `${BASE}/${app.applicationId}`)).status).toBe(403);

      const approved = await who['linhe.civil']!.ok<ApplicationView>(
        'POST',
        `${BASE}/${app.applicationId}/county-approval`,
        { amount: 4000, opinion: '同意' },
      );
      expect(approved).toMatchObject({
        status: 'approved',
        statusName: '旗县区已批准，待发放',
        decision: {
          levelName: '旗县区民政部门',
          outcomeName: '给予救助',
          amount: 4000,
          by: { name: '刘海燕' },
        },
      });
      const detail = await who['linhe.civil']!.ok<ApplicationView>(
        'GET',
        `${BASE}/${app.applicationId}?purpose=审批`,
      );
      expect(detail.members[0]!.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(detail.countyName).toContain('临河区');
      expect(detail.recordedAt).toMatch(BEIJING_TIME);

      const wuyuanList = await who['wuyuan.civil']!.ok<Page<ListItem>>('GET', BASE);
      expect(wuyuanList.items.some((i) => i.applicationId === app.applicationId)).toBe(false);
    });
  });

  it('a malformed request is refused naming the field', async () => {
    const r = await who['shuanghe.window']!.call('POST', BASE, {
      members: [],
      hardship: { kind: 'flood', description: '' },
      requestedAmount: -1,
      area: 'rural',
      villageCode: JINBU,
    });
    expect(r.status).toBe(422);
    const fields = (r.body as { fields: Array<{ field: string }> }).fields.map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['members', 'hardship.kind', 'hardship.description', 'requestedAmount']),
    );
    expect(r.text).toContain('至少登记一名家庭成员');
  });
});
