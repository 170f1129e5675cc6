import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface ObligationView {
  obligationNo: number;
  material: string;
  status: string;
  statusName: string;
  dueAt: string;
  fulfilled: { by: { name: string }; at: string; late: boolean } | null;
  waived: { by: { name: string }; reason: string } | null;
  overdueAt: string | null;
}
interface ApplicationView {
  applicationId: string;
  status: string;
  urgency: string;
  urgencyName: string;
  decision: { levelName: string; amount: number | null } | null;
  greenChannel: {
    requiredMaterials: string[];
    missingMaterials: string[];
    obligationWorkingDays: number;
    tableVersions: Record<string, number>;
  } | null;
  obligations: ObligationView[];
}
interface Page<T> {
  items: T[];
  total: number;
}
interface ObligationItem {
  applicationId: string;
  obligationNo: number;
  material: string;
  status: string;
  statusName: string;
  dueAt: string;
  applicantName: string;
  villageName: string;
  decidedByName: string;
  overdueAt: string | null;
}

const BASE = '/civil-affairs/temporary-assistance';
const LINHE = '150802000000';
const JINBU = '150802100201';
const BEIJING_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const DAY_MS = 24 * 3600_000;

/**
 * 救急难绿色通道 over HTTP through apps/platform (event-log, test clock): an urgent application granted at
 * once by the township before its materials are complete, its two obligations, one supplied, the clock
 * moved past the deadline, the other overdue — listed for the county and recorded in oversight's ledger;
 * the next county's officer is refused.
 */
describe('urgent temporary assistance (green channel), end to end', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('ua'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      CLOCK_CONTROL: 'true',
      OVERDUE_SCAN_MS: '200',
      DATABASE_POOL_SIZE: '5',
    });
    const api = new Api(platform.url);
    for (const user of ['admin', 'shuanghe.window', 'linhe.civil', 'wuyuan.civil', 'city.auditor']) {
      who[user] = api.as(await api.login(user));
    }
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
  const record = (urgency?: 'urgent' | 'normal') =>
    who['shuanghe.window']!.ok<ApplicationView>(
      'POST',
      BASE,
      {
        members: [{ name: '王建国', idNumber: residentId(`1508021965010${String(100 + ++seq).slice(-3)}1`) }],
        hardship: { kind: 'sudden_accident', description: '房屋失火，全家无处居住' },
        requestedAmount: 3000,
        area: 'rural',
        villageCode: JINBU,
        ...(urgency ? { urgency } : {}),
      },
      201,
    );

  it('the township grants at once, one material is supplied, the other goes overdue and is listed', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const county = who['linhe.civil']!;
      const app = await record('urgent');
      expect(app).toMatchObject({ status: 'recorded', urgency: 'urgent', urgencyName: '紧急（救急难）' });

      const granted = await window.ok<ApplicationView>(
        'POST',
        `${BASE}/${app.applicationId}/township-grant`,
        {
          amount: 2000,
          opinion: '情况紧急，先行救助，后补材料',
          missingMaterials: ['突发事件或困难情况说明', '相关费用票据'],
        },
      );
      expect(granted).toMatchObject({
        status: 'granted',
        decision: { levelName: '乡镇（街道）', amount: 2000 },
        greenChannel: {
          requiredMaterials: ['身份证', '突发事件或困难情况说明', '相关费用票据'],
          missingMaterials: ['突发事件或困难情况说明', '相关费用票据'],
          obligationWorkingDays: 10,
          tableVersions: { materials: 1, 'urgent-assistance': 1 },
        },
      });
      expect(granted.obligations.map((o) => [o.obligationNo, o.material, o.status, o.statusName])).toEqual([
        [1, '突发事件或困难情况说明', 'open', '待补充'],
        [2, '相关费用票据', 'open', '待补充'],
      ]);
      expect(granted.obligations[0]!.dueAt).toMatch(BEIJING_TIME);
      expect(granted.obligations[0]!.dueAt.endsWith('23:59')).toBe(true);

      const supplied = await window.ok<ApplicationView>(
        'POST',
        `${BASE}/${app.applicationId}/obligations/2/supplied`,
      );
      expect(supplied.obligations[1]).toMatchObject({
        status: 'fulfilled',
        fulfilled: { by: { name: '李春梅' }, late: false },
      });

      // The township may not waive; the next county's officer may neither supply, waive nor list it.
      const byWindow = await window.call('POST', `${BASE}/${app.applicationId}/obligations/1/waiver`, {
        reason: '免予提交',
      });
      expect(byWindow.status).toBe(403);
      const wuyuan = who['wuyuan.civil']!;
      const outside = await wuyuan.call('POST', `${BASE}/${app.applicationId}/obligations/1/waiver`, {
        reason: '免予提交',
      });
      expect(outside.status).toBe(403);
      expect(outside.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
      expect((await wuyuan.call('POST', `${BASE}/${app.applicationId}/obligations/1/supplied`)).status).toBe(
        403,
      );
      // Bad input: Chinese errors naming the field or rule, nothing changed.
      const noReason = await county.call('POST', `${BASE}/${app.applicationId}/obligations/1/waiver`, {
        reason: '',
      });
      expect(noReason.status).toBe(422);
      expect(noReason.text).toContain('免除理由不能为空');
      const noSuch = await county.call('POST', `${BASE}/${app.applicationId}/obligations/9/supplied`);
      expect(noSuch.status).toBe(404);
      expect(noSuch.body).toMatchObject({ code: 'OBLIGATION_NOT_FOUND' });
      const badNo = await county.call('POST', `${BASE}/${app.applicationId}/obligations/x/supplied`);
      expect(badNo.status).toBe(422);
      expect(badNo.text).toContain('补充材料义务序号');

      const open = await eventually(
        async () => {
          const p = await county.ok<Page<ObligationItem>>(
            'GET',
            `${BASE}/obligations?status=open&pageSize=100`,
          );
          // Listed open once the grant is projected, both obligations at first: wait until the one
          // supplied (no. 2) has left the list too.
          const mine = p.items.filter((i) => i.applicationId === app.applicationId);
          return mine.length === 1 && mine[0]!.obligationNo === 1 ? p : undefined;
        },
        { what: 'only the unsupplied obligation open in the county list', timeoutMs: 10_000 },
      );
      expect(open.items.filter((i) => i.applicationId === app.applicationId)).toEqual([
        expect.objectContaining({
          obligationNo: 1,
          material: '突发事件或困难情况说明',
          statusName: '待补充',
          applicantName: '王*国',
          decidedByName: '乡镇（街道）',
          villageName: expect.stringContaining('进步村'),
        }),
      ]);
      const urgentList = await county.ok<Page<{ applicationId: string; urgencyName: string }>>(
        'GET',
        `${BASE}?urgency=urgent&pageSize=100`,
      );
      expect(urgentList.items.find((i) => i.applicationId === app.applicationId)).toMatchObject({
        urgencyName: '紧急（救急难）',
      });
      const wuyuanList = await wuyuan.ok<Page<ObligationItem>>('GET', `${BASE}/obligations?pageSize=100`);
      expect(wuyuanList.items.some((i) => i.applicationId === app.applicationId)).toBe(false);

      // Past the deadline (10 working days are at most five weeks): the watch marks the open one overdue.
      await who.admin!.ok('POST', '/admin/clock', { offsetMs: 40 * DAY_MS });
      try {
        const overdue = await eventually(
          async () => {
            const p = await county.ok<Page<ObligationItem>>(
              'GET',
              `${BASE}/obligations?status=overdue&pageSize=100`,
            );
            return p.items.find((i) => i.applicationId === app.applicationId);
          },
          { what: 'the overdue obligation in the county list', timeoutMs: 15_000 },
        );
        expect(overdue).toMatchObject({ obligationNo: 1, statusName: '逾期未补充' });
        expect(overdue.overdueAt).toMatch(BEIJING_TIME);
        const detail = await county.ok<ApplicationView>('GET', `${BASE}/${app.applicationId}?purpose=督办`);
        expect(detail.obligations.map((o) => o.status)).toEqual(['overdue', 'fulfilled']);

        // Oversight's ledger holds the published event (no personal data), under the application.
        const timeline = await eventually(
          async () => {
            const t = await who['city.auditor']!.ok<{ items: Array<{ type: string; data: unknown }> }>(
              'GET',
              `/cases/${app.applicationId}/timeline?pageSize=50`,
            );
            return t.items.length > 0 ? t : undefined;
          },
          { what: 'the overdue obligation in oversight', timeoutMs: 15_000 },
        );
        expect(timeline.items.map((e) => e.type)).toEqual([
          'civil-affairs.TemporaryAssistanceObligationOverdue',
        ]);
        expect(JSON.stringify(timeline.items[0]!.data)).not.toContain('王建国');

        // Marked once: later scans add nothing.
        await new Promise((r) => setTimeout(r, 600));
        const again = await county.ok<ApplicationView>('GET', `${BASE}/${app.applicationId}`);
        expect(again.obligations[0]!.overdueAt).toBe(detail.obligations[0]!.overdueAt);
      } finally {
        await who.admin!.ok('POST', '/admin/clock', { offsetMs: 0 });
      }
    });
  });

  it('a normal application cannot be granted before its materials are complete, nor with an unknown one', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const normal = await record();
      expect(normal.urgency).toBe('normal');
      const refused = await window.call('POST', `${BASE}/${normal.applicationId}/township-grant`, {
        amount: 1000,
        missingMaterials: ['相关费用票据'],
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: 'MATERIALS_INCOMPLETE',
        message:
          'missingMaterials：普通申请须材料齐全后方可审批，只有紧急（救急难）申请可以先行救助、后补材料',
      });
      const urgent = await record('urgent');
      const unknown = await window.call('POST', `${BASE}/${urgent.applicationId}/township-grant`, {
        amount: 1000,
        missingMaterials: ['户口簿'],
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'UNKNOWN_MATERIAL' });
      expect(unknown.text).toContain('missingMaterials[0]');
      const badUrgency = await window.call('POST', BASE, {
        members: [{ name: '王建国', idNumber: residentId('15080219650101999') }],
        hardship: { kind: 'sudden_accident', description: '房屋失火' },
        requestedAmount: 3000,
        area: 'rural',
        villageCode: JINBU,
        urgency: 'asap',
      });
      expect(badUrgency.status).toBe(422);
      expect(badUrgency.text).toContain('紧急程度');
      for (const id of [normal.applicationId, urgent.applicationId]) {
        const detail = await who['linhe.civil']!.ok<ApplicationView>('GET', `${BASE}/${id}`);
        expect(detail).toMatchObject({ status: 'recorded', decision: null, obligations: [] });
      }
    });
  });
});
