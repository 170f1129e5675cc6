import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface Transfer {
  fromDepartment: string;
  fromDepartmentName: string;
  toDepartment: string;
  toDepartmentName: string;
  newReferralId: string;
  reason: string;
  at: string;
}
interface CaseReferral {
  referralId: string;
  department: string;
  departmentName: string;
  status: string;
  statusName: string;
  reason: string | null;
  transfer: Transfer | null;
  transferredFrom: (Transfer & { referralId: string }) | null;
}
interface CaseView {
  caseId: string;
  caseNumber: string;
  needs: Array<{ category: string; referral: { referralId: string; department: string; status: string } }>;
  referrals: CaseReferral[];
}
interface InboxRow {
  referralId: string;
  caseId: string;
  category: string;
  status: string;
  statusName: string;
  reason: string | null;
  transferredTo: string | null;
  transferredToName: string | null;
  acknowledgeBy: string;
  receivedAt: string;
}
interface ReferralDetail extends InboxRow {
  caseNumber: string | null;
  villageCode: string | null;
  villageName: string | null;
  members: Array<{ name: string; idNumber: string; relationship: string; phone: string | null }> | null;
  windowOfficer: { id: string; name: string; phone: string | null } | null;
  earlier: Array<Record<string, unknown>>;
  history: Array<{ at: string; step: string; officer: string | null; detail: string | null }>;
}
interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

/**
 * A department that finds a need belongs elsewhere transfers it directly, with a reason, through
 * apps/platform: health → housing → education, no window action; the window sees each transfer.
 */
describe('department-to-department transfer on the referral desk, end to end', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('xfer'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      CONSUMER_RETRY_BASE_MS: '50',
      DATABASE_POOL_SIZE: '5',
    });
    const api = new Api(platform.url);
    for (const user of [
      'shuanghe.window',
      'linhe.health',
      'linhe.housing',
      'linhe.education',
      'wuyuan.education',
    ]) {
      who[user] = api.as(await api.login(user));
    }
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const inboxRow = (user: string, department: string, referralId: string, ready = (_: InboxRow) => true) =>
    eventually(
      async () => {
        const page = await who[user]!.ok<{ items: InboxRow[] }>(
          'GET',
          `/${department}/referrals?pageSize=100`,
        );
        const row = page.items.find((i) => i.referralId === referralId);
        return row && ready(row) ? row : undefined;
      },
      { what: `${department} inbox to show ${referralId}`, timeoutMs: 15_000 },
    );

  it('refuses a need naming someone outside the household, and opens nothing', async () => {
    const window = who['shuanghe.window']!;
    const before = await window.ok<{ total: number }>('GET', '/cases?page=1&pageSize=1');
    const r = await window.call('POST', '/cases', {
      channel: 'window',
      villageCode: '150802100201',
      household: [{ name: '赵丽', idNumber: residentId('15080219700101003'), relationship: 'applicant' }],
      needs: [
        {
          category: 'medical',
          description: '住院',
          memberIdNumbers: [residentId('15080219700101004')],
        },
      ],
      consentToShare: true,
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'NEED_MEMBER_UNKNOWN' });
    expect((r.body as ErrorBody).message).toContain('memberIdNumbers');
    expect((await window.ok<{ total: number }>('GET', '/cases?page=1&pageSize=1')).total).toBe(before.total);
  });

  it('passes a need from health to housing to education with reasons; each desk and the window see it', async () => {
    const window = who['shuanghe.window']!;
    const applicantId = residentId('15080219680405002');
    const patientId = residentId('15080220100405003');
    const spouseId = residentId('15080219660405001');
    try {
      const opened = await window.ok<CaseView>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: '150802100201',
          household: [
            { name: '刘桂兰', idNumber: applicantId, relationship: 'applicant', phone: '13904781234' },
            { name: '王小军', idNumber: patientId, relationship: 'child' },
            { name: '王建国', idNumber: spouseId, relationship: 'spouse' },
          ],
          needs: [
            {
              category: 'medical',
              description: '房屋漏雨致病，需修缮住房',
              requestedAmount: 5000,
              memberIdNumbers: [patientId],
            },
          ],
          consentToShare: true,
        },
        201,
      );
      // A phone that is neither a mobile nor a landline number is refused, and the case stays open.
      const badPhone = await window.call('POST', `/cases/${opened.caseId}/accept`, { contactPhone: '12345' });
      expect(badPhone.status).toBe(422);
      expect(JSON.stringify(badPhone.body)).toContain('contactPhone');
      const accepted = await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`, {
        contactPhone: '0478-8123456',
      });
      const healthId = accepted.needs[0]!.referral.referralId;
      await inboxRow('linhe.health', 'health', healthId);
      const health = who['linhe.health']!;
      await health.ok('POST', `/health/referrals/${healthId}/acknowledge`);
      await health.ok('POST', `/health/referrals/${healthId}/progress`, {
        note: '已电话联系申请人，了解病情',
      });
      // What health's officer sees: the case, the patient (not the spouse), whom to call, the notes so far.
      const healthDetail = await health.ok<ReferralDetail>('GET', `/health/referrals/${healthId}`);
      expect(healthDetail).toMatchObject({
        caseNumber: opened.caseNumber,
        villageCode: '150802100201',
        villageName: expect.stringContaining('进步村'),
        windowOfficer: { name: '李春梅', phone: '0478-8123456' },
        earlier: [],
      });
      expect(healthDetail.members!.map((m) => [m.name, m.relationship])).toEqual([
        ['刘桂兰', 'applicant'],
        ['王小军', 'child'],
      ]);
      expect(healthDetail.history.map((h) => [h.step, h.officer, h.detail])).toEqual([
        ['收到转办', null, null],
        ['签收', '陈静', null],
        ['办理进度', '陈静', '已电话联系申请人，了解病情'],
      ]);
      expect(healthDetail.history[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

      // Refused, nothing changed: itself, a department not on the platform, no reason.
      const toSelf = await health.call('POST', `/health/referrals/${healthId}/transfer`, {
        toDepartment: 'health',
        reason: '转给自己',
      });
      expect(toSelf.status).toBe(422);
      expect((toSelf.body as ErrorBody).message).toContain('toDepartment');
      const unknown = await health.call('POST', `/health/referrals/${healthId}/transfer`, {
        toDepartment: 'human-resources',
        reason: '就业问题',
      });
      expect(unknown.status).toBe(422);
      expect((unknown.body as ErrorBody).message).toContain('toDepartment');
      const noReason = await health.call('POST', `/health/referrals/${healthId}/transfer`, {
        toDepartment: 'housing',
      });
      expect(noReason.status).toBe(422);
      expect((noReason.body as ErrorBody).message).toContain('reason');
      // Still acknowledged (the inbox follows the acknowledgement a moment behind; a refused transfer that
      // had changed anything would leave it transferred, and this wait would fail).
      await inboxRow('linhe.health', 'health', healthId, (r) => r.status === 'acknowledged');

      // Health transfers it to housing.
      const healthReason = '病因是住房漏雨，应由住建部门危房改造解决';
      const transferred = await health.ok<{ status: string }>(
        'POST',
        `/health/referrals/${healthId}/transfer`,
        {
          toDepartment: 'housing',
          reason: healthReason,
        },
      );
      expect(transferred.status).toBe('transferred');
      // Closed on health's desk, shown with its Chinese status and where it went.
      const closed = await inboxRow('linhe.health', 'health', healthId, (r) => r.status === 'transferred');
      expect(closed).toMatchObject({
        statusName: '已移交其他部门',
        transferredTo: 'housing',
        transferredToName: '住房和城乡建设部门',
        reason: healthReason,
      });
      // Health cannot act on it any more.
      for (const [action, body] of [
        ['accept', undefined],
        ['decline', { reason: '不属本部门' }],
        ['transfer', { toDepartment: 'education', reason: '再移交' }],
      ] as const) {
        const r = await health.call('POST', `/health/referrals/${healthId}/${action}`, body);
        expect([action, r.status]).toEqual([action, 409]);
      }

      // The window sees the transfer and the new referral, without doing anything.
      const caseView = (ok: (v: CaseView) => boolean) =>
        eventually(
          async () => {
            const v = await window.ok<CaseView>('GET', `/cases/${opened.caseId}`);
            return ok(v) ? v : undefined;
          },
          { what: 'the window to see the transfer', timeoutMs: 15_000 },
        );
      const afterHealth = await caseView(
        (v) => v.referrals.length === 2 && v.referrals[1]!.status === 'received',
      );
      const [old, issued] = afterHealth.referrals as [CaseReferral, CaseReferral];
      expect(old).toMatchObject({
        referralId: healthId,
        department: 'health',
        status: 'transferred',
        statusName: '部门已移交其他部门',
        reason: healthReason,
        transfer: {
          fromDepartment: 'health',
          fromDepartmentName: '卫生健康部门',
          toDepartment: 'housing',
          toDepartmentName: '住房和城乡建设部门',
          newReferralId: issued.referralId,
          reason: healthReason,
        },
      });
      expect(Number.isNaN(Date.parse(old.transfer!.at))).toBe(false);
      expect(issued).toMatchObject({
        department: 'housing',
        departmentName: '住房和城乡建设部门',
        transferredFrom: { referralId: healthId, fromDepartment: 'health', reason: healthReason },
      });
      expect(afterHealth.needs[0]!.referral).toMatchObject({
        referralId: issued.referralId,
        department: 'housing',
      });

      // Housing receives it as a normal referral, deadlines counted from its own receipt.
      const housingRow = await inboxRow('linhe.housing', 'housing', issued.referralId);
      expect(housingRow).toMatchObject({
        caseId: opened.caseId,
        category: 'medical',
        status: 'received',
        statusName: '已接收',
      });
      expect(Date.parse(housingRow.receivedAt)).toBeGreaterThanOrEqual(Date.parse(old.transfer!.at));
      expect(Date.parse(housingRow.acknowledgeBy)).toBeGreaterThan(Date.parse(housingRow.receivedAt));
      const housing = who['linhe.housing']!;
      // Housing's officer learns the need came from health, and why.
      const housingDetail = await housing.ok<ReferralDetail>(
        'GET',
        `/housing/referrals/${issued.referralId}`,
      );
      expect(housingDetail).toMatchObject({
        caseNumber: opened.caseNumber,
        windowOfficer: { name: '李春梅', phone: '0478-8123456' },
        earlier: [
          {
            referralId: healthId,
            department: 'health',
            departmentName: '卫生健康部门',
            status: 'transferred',
            statusName: '移交',
            reason: healthReason,
          },
        ],
      });
      expect(housingDetail.members!.map((m) => m.name)).toEqual(['刘桂兰', '王小军']);
      const housingSelf = await housing.call('POST', `/housing/referrals/${issued.referralId}/transfer`, {
        toDepartment: 'housing',
        reason: '转给自己',
      });
      expect(housingSelf.status).toBe(422);
      expect(housingSelf.body).toMatchObject({ code: 'TRANSFER_TO_SELF', field: 'toDepartment' });

      // Housing passes it on to education (a transferred referral may be transferred again).
      await housing.ok('POST', `/housing/referrals/${issued.referralId}/acknowledge`);
      await housing.ok('POST', `/housing/referrals/${issued.referralId}/accept`);
      await housing.ok('POST', `/housing/referrals/${issued.referralId}/transfer`, {
        toDepartment: 'education',
        reason: '申请人实为子女就学困难，应由教育部门资助',
      });
      const afterHousing = await caseView((v) => v.referrals.length === 3);
      const educationId = afterHousing.referrals[2]!.referralId;
      expect(afterHousing.referrals.map((r) => [r.department, r.status])).toEqual([
        ['health', 'transferred'],
        ['housing', 'transferred'],
        ['education', expect.stringMatching(/^(issued|received)$/)],
      ]);
      await inboxRow('linhe.education', 'education', educationId);

      // An education officer of another county may not act on a Linhe referral.
      const wuyuan = await who['wuyuan.education']!.call(
        'POST',
        `/education/referrals/${educationId}/transfer`,
        { toDepartment: 'civil-affairs', reason: '改由民政' },
      );
      expect(wuyuan.status).toBe(403);
      expect(wuyuan.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
      // …and nothing changed.
      await who['linhe.education']!.ok('POST', `/education/referrals/${educationId}/acknowledge`);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-4000)}`, {
        cause: e,
      });
    }
  }, 120_000);
});
