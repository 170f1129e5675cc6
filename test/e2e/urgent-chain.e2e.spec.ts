import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface CaseView {
  caseId: string;
  caseNumber: string;
  needs: Array<{
    needId: string;
    category: string;
    referral: {
      referralId: string;
      department: string;
      status: string;
      overdue: string[];
      outcome: string | null;
      amount: number | null;
    } | null;
  }>;
}
interface ListItem {
  applicationId: string;
  applicantName: string;
  memberCount: number;
  urgency: string;
  requestedAmount: number;
  status: string;
}
interface ApplicationView {
  applicationId: string;
  status: string;
  urgency: string;
  requestedAmount: number;
  members: Array<{ name: string; roleName: string }>;
  hardship: { description: string };
  referral: { caseId: string; referralId: string; caseNumber: string | null } | null;
  decision: { levelName: string; amount: number | null } | null;
  obligations: Array<{ obligationNo: number; material: string; status: string }>;
}
interface Page<T> {
  items: T[];
  total: number;
}

const BASE = '/civil-affairs/temporary-assistance';
const LINHE = '150802000000';
const JINBU = '150802100201';

/**
 * 救急难, the whole chain over HTTP through apps/platform (event-log): the county hotline opens an urgent
 * case with a `temporary` need, the township window accepts it, intake's referral opens an urgent
 * temporary-assistance application in civil affairs, the township grants at once within its limit before
 * a material is in (green channel), the obligation is open, and the window's case view shows the need
 * completed and granted with the amount. A case without consent to share stays on the generic desk; a
 * revoked referral withdraws its undecided application.
 */
describe('urgent assistance, from the hotline to the window’s case view', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('uc'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      CLOCK_CONTROL: 'true',
      OVERDUE_SCAN_MS: '200',
      DATABASE_POOL_SIZE: '5',
    });
    const api = new Api(platform.url);
    for (const user of ['admin', 'shuanghe.window', 'linhe.civil']) {
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
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-4000)}`, {
        cause: e,
      });
    }
  };

  const temporaryReferral = (view: CaseView) => view.needs.find((n) => n.category === 'temporary')!.referral!;
  const caseView = (caseId: string, what: string, until: (v: CaseView) => boolean) =>
    eventually(
      async () => {
        const v = await who['shuanghe.window']!.ok<CaseView>('GET', `/cases/${caseId}`);
        return until(v) ? v : undefined;
      },
      { what, timeoutMs: 20_000 },
    );
  const applicationOf = (applicationId: string) =>
    eventually(
      async () => {
        const page = await who['linhe.civil']!.ok<Page<ListItem>>('GET', `${BASE}?pageSize=100`);
        return page.items.find((i) => i.applicationId === applicationId);
      },
      { what: `application ${applicationId} in civil affairs’ list`, timeoutMs: 20_000 },
    );

  it('the hotline’s urgent case becomes an application, granted at once, and the window sees the grant', async () => {
    await withLogs(async () => {
      const hotline = who['linhe.civil']!;
      const window = who['shuanghe.window']!;
      const applicantId = residentId('15080219700101005');
      const spouseId = residentId('15080219720202006');
      const opened = await hotline.ok<CaseView>(
        'POST',
        '/cases',
        {
          channel: 'hotline',
          villageCode: JINBU,
          urgency: 'urgent',
          household: [
            { name: '马建军', idNumber: applicantId, relationship: 'applicant', phone: '13904780003' },
            { name: '刘桂芝', idNumber: spouseId, relationship: 'spouse' },
          ],
          needs: [
            {
              category: 'temporary',
              description: '家中失火，一家无处居住',
              requestedAmount: 3000,
              // The need concerns the whole household: the applicant and the spouse.
              memberIdNumbers: [spouseId],
            },
          ],
          consentToShare: true,
          call: {
            receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
            callerName: '邻居王女士',
            callbackNumber: '0478-8123456',
            summary: '邻居家中失火，一家无处居住',
          },
        },
        201,
      );
      const accepted = await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`);
      const referral = temporaryReferral(accepted);
      expect(referral.department).toBe('civil-affairs');

      // The referral is an urgent application in civil affairs' list, under the referral's id.
      const item = await applicationOf(referral.referralId);
      expect(item).toMatchObject({
        applicantName: '马建军',
        memberCount: 2,
        urgency: 'urgent',
        requestedAmount: 3000,
        status: 'recorded',
      });
      expect(
        (await hotline.ok<Page<ListItem>>('GET', `${BASE}?urgency=urgent&pageSize=100`)).items.map(
          (i) => i.applicationId,
        ),
      ).toContain(referral.referralId);
      const detail = await hotline.ok<ApplicationView>('GET', `${BASE}/${referral.referralId}`);
      expect(detail).toMatchObject({
        status: 'recorded',
        urgency: 'urgent',
        hardship: { description: '家中失火，一家无处居住' },
        referral: { caseId: opened.caseId, referralId: referral.referralId, caseNumber: opened.caseNumber },
      });
      expect(detail.members.map((m) => [m.name, m.roleName])).toEqual([
        ['马建军', '申请人'],
        ['刘桂芝', '家庭成员'],
      ]);
      // Not a desk referral any more.
      const desk = await hotline.ok<Page<{ referralId: string }>>(
        'GET',
        '/civil-affairs/referrals?pageSize=100',
      );
      expect(desk.items.map((r) => r.referralId)).not.toContain(referral.referralId);
      // The window's case view follows the application: received.
      await caseView(
        opened.caseId,
        'the referral received',
        (v) => temporaryReferral(v).status === 'received',
      );

      // The township grants at once within its limit (3 × 690 = 2070), one material still missing.
      const granted = await window.ok<ApplicationView>(
        'POST',
        `${BASE}/${referral.referralId}/township-grant`,
        {
          amount: 2000,
          opinion: '情况紧急，先行救助，后补材料',
          missingMaterials: ['相关费用票据'],
        },
      );
      expect(granted).toMatchObject({
        status: 'granted',
        decision: { levelName: '乡镇（街道）', amount: 2000 },
      });
      expect(granted.obligations.map((o) => [o.obligationNo, o.material, o.status])).toEqual([
        [1, '相关费用票据', 'open'],
      ]);
      const open = await eventually(
        async () => {
          const page = await hotline.ok<Page<{ applicationId: string; material: string }>>(
            'GET',
            `${BASE}/obligations?status=open&pageSize=100`,
          );
          return page.items.find((o) => o.applicationId === referral.referralId);
        },
        { what: 'the open obligation listed', timeoutMs: 20_000 },
      );
      expect(open.material).toBe('相关费用票据');

      // The window's case view: the need completed, granted, with the amount.
      const done = await caseView(
        opened.caseId,
        'the referral completed',
        (v) => temporaryReferral(v).status === 'completed',
      );
      expect(temporaryReferral(done)).toMatchObject({
        department: 'civil-affairs',
        status: 'completed',
        outcome: 'granted',
        amount: 2000,
      });
    });
  }, 90_000);

  it('without consent to share there is no one to record: the referral stays on the generic desk', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const opened = await window.ok<CaseView>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: JINBU,
          urgency: 'urgent',
          household: [
            { name: '赵德胜', idNumber: residentId('15080219600101017'), relationship: 'applicant' },
          ],
          needs: [{ category: 'temporary', description: '突发火灾', requestedAmount: 2000 }],
          consentToShare: false,
        },
        201,
      );
      const referral = temporaryReferral(await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`));
      await eventually(
        async () => {
          const desk = await who['linhe.civil']!.ok<Page<{ referralId: string }>>(
            'GET',
            '/civil-affairs/referrals?pageSize=100',
          );
          return desk.items.some((r) => r.referralId === referral.referralId) ? true : undefined;
        },
        { what: 'the referral on the civil-affairs desk', timeoutMs: 20_000 },
      );
      const app = await who['linhe.civil']!.call('GET', `${BASE}/${referral.referralId}`);
      expect(app.status).toBe(404);
    });
  }, 60_000);

  it('a revoked referral withdraws its undecided application', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const opened = await window.ok<CaseView>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: JINBU,
          household: [{ name: '孙丽', idNumber: residentId('15080219800808028'), relationship: 'applicant' }],
          needs: [{ category: 'temporary', description: '突发疾病，生活困难', requestedAmount: 1500 }],
          consentToShare: true,
        },
        201,
      );
      const referral = temporaryReferral(await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`));
      expect((await applicationOf(referral.referralId)).urgency).toBe('normal');
      await window.ok('POST', `/cases/${opened.caseId}/referrals/${referral.referralId}/revoke`, {
        reason: '申请人已由亲属接济，撤回申请',
      });
      const withdrawn = await eventually(
        async () => {
          const v = await who['linhe.civil']!.ok<ApplicationView>('GET', `${BASE}/${referral.referralId}`);
          return v.status === 'withdrawn' ? v : undefined;
        },
        { what: 'the application withdrawn', timeoutMs: 20_000 },
      );
      expect(withdrawn.decision).toBeNull();
      const late = await window.call('POST', `${BASE}/${referral.referralId}/township-grant`, {
        amount: 1000,
        opinion: '同意',
      });
      expect(late.status).toBe(409);
    });
  }, 60_000);

  it('an application left undecided past the referral’s deadlines is overdue on the window’s case view', async () => {
    await withLogs(async () => {
      const window = who['shuanghe.window']!;
      const opened = await window.ok<CaseView>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: JINBU,
          household: [{ name: '钱进', idNumber: residentId('15080219850505039'), relationship: 'applicant' }],
          needs: [{ category: 'temporary', description: '务工受伤，暂时无收入', requestedAmount: 1800 }],
          consentToShare: true,
        },
        201,
      );
      const referral = temporaryReferral(await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`));
      await applicationOf(referral.referralId);
      await who.admin!.ok('POST', '/admin/clock', { offsetMs: 30 * 24 * 3600_000 });
      try {
        const view = await caseView(
          opened.caseId,
          'both referral deadlines marked overdue',
          (v) => temporaryReferral(v).overdue.length === 2,
        );
        expect([...temporaryReferral(view).overdue].sort()).toEqual(['acknowledge', 'decide']);
      } finally {
        await who.admin!.ok('POST', '/admin/clock', { offsetMs: 0 });
      }
    });
  }, 60_000);
});
