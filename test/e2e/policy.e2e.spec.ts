import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface PolicyVersion {
  table: string;
  version: number;
  effectiveFrom: string;
  content: Record<string, unknown>;
  reason: string;
  recordedBy: { id: string; role: string };
}
interface InboxRow {
  referralId: string;
  caseId: string;
  acknowledgeBy: string;
  decideBy: string;
  deadlineProvisionalYears: string[];
}
interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: { id: string } };
}

const cst = (iso: string) => new Date(`${iso}+08:00`);

/**
 * Policy tables as versioned data, through apps/platform: an administrator changes them, every decision
 * records the versions it applied, and a year with no calendar is visible and put right when loaded.
 */
describe('policy tables, end to end', () => {
  let platform: RunningService;
  let api: Api;

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('pol'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      CLOCK_CONTROL: 'true',
      OVERDUE_SCAN_MS: '200',
      DATABASE_POOL_SIZE: '5',
    });
    api = new Api(platform.url);
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('changes a table from a future date, refuses what is wrong, and keeps every version', async () => {
    const admin = api.as(await api.login('admin'));
    const tables = await admin.ok<{ items: Array<{ table: string; inForce: { version: number } | null }> }>(
      'GET',
      '/admin/policy',
    );
    expect(tables.items.map((t) => [t.table, t.inForce?.version])).toEqual([
      ['routing', 1],
      ['materials', 1],
      ['deadlines', 1],
      ['calendar', 1],
      ['allowance-standards', 1],
      ['temporary-assistance-limits', 1],
      ['dibao-procedure', 1],
      ['medical-assistance', 1],
      ['disease-emergency', 1],
      ['housing-assistance', 1],
      ['education-assistance', 1],
      ['household-verification', 1],
      ['urgent-assistance', 1],
      ['escalation', 1],
      ['on-call', 1],
    ]);
    const deadlines = await admin.ok<PolicyVersion>('GET', '/admin/policy/deadlines');
    const content = deadlines.content as Record<
      string,
      { normal: { acknowledgeDays: number; decideDays: number } }
    >;
    const stricter = {
      ...content,
      housing: { ...content.housing, normal: { acknowledgeDays: 1, decideDays: 10 } },
    };
    const v2 = await admin.ok<PolicyVersion>(
      'POST',
      '/admin/policy/deadlines',
      { content: stricter, effectiveFrom: '2027-02-01', reason: '市人民政府关于压缩住房救助办理时限的通知' },
      201,
    );
    expect(v2).toMatchObject({ version: 2, effectiveFrom: '2027-02-01', recordedBy: { id: 'u-admin' } });
    const asOf = (day: string) => admin.ok<PolicyVersion>('GET', `/admin/policy/deadlines?asOf=${day}`);
    expect((await asOf('2027-01-31')).version).toBe(1);
    expect((await asOf('2027-02-01')).version).toBe(2);
    const history = await admin.ok<{ items: PolicyVersion[]; total: number }>(
      'GET',
      '/admin/policy/deadlines/versions?page=1&pageSize=1',
    );
    expect(history).toMatchObject({ total: 2, items: [{ version: 2 }] });

    // The same change again, an invalid value, an unknown table, a county administrator: refused, nothing added.
    const again = await admin.call('POST', '/admin/policy/deadlines', {
      content: stricter,
      effectiveFrom: '2027-02-01',
      reason: '市人民政府关于压缩住房救助办理时限的通知',
    });
    expect(again.status).toBe(409);
    const invalid = await admin.call('POST', '/admin/policy/deadlines', {
      content: { ...stricter, housing: { normal: { acknowledgeDays: -1, decideDays: 10 } } },
      effectiveFrom: '2027-02-01',
      reason: '录入错误的调整',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('content.housing');
    expect((await admin.call('GET', '/admin/policy/subsidies')).status).toBe(404);
    const county = api.as(await api.login('linhe.admin'));
    const byCounty = await county.call('POST', '/admin/policy/deadlines', {
      content: content,
      effectiveFrom: '2027-03-01',
      reason: '旗县区管理员尝试调整全市期限',
    });
    expect(byCounty.status).toBe(403);
    // …but may record its own county's allowance standards, and only those.
    const own = await county.ok<PolicyVersion>(
      'POST',
      '/admin/policy/allowance-standards',
      {
        content: {
          '150802000000': { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
        },
        effectiveFrom: '2027-01-01',
        reason: '临河区 2027 年城乡低保标准',
      },
      201,
    );
    expect(own.version).toBe(2);
    const other = await county.call('POST', '/admin/policy/allowance-standards', {
      content: {
        '150802000000': { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
        '150821000000': { urbanDibaoMonthly: 1, ruralDibaoMonthly: 1, specialHardshipMonthly: 1 },
      },
      effectiveFrom: '2027-01-01',
      reason: '越权调整五原县标准',
    });
    expect(other.status).toBe(403);
    expect((await admin.ok<{ total: number }>('GET', '/admin/policy/deadlines/versions')).total).toBe(2);
    // Officers read the rules that govern their work, and change none.
    const officer = api.as(await api.login('linhe.health'));
    expect((await officer.call('GET', '/admin/policy/deadlines')).status).toBe(200);
    expect(
      (
        await officer.call('POST', '/admin/policy/deadlines', {
          content,
          effectiveFrom: '2027-03-01',
          reason: '卫健人员尝试调整',
        })
      ).status,
    ).toBe(403);
  });

  it('a referral across a year with no calendar: provisional, warned about, and recomputed once the year is loaded', async () => {
    const admin = api.as(await api.login('admin'));
    const window = api.as(await api.login('shuanghe.window'));
    const health = api.as(await api.login('linhe.health'));
    const auditor = api.as(await api.login('city.auditor'));
    // The platform believes it is Wednesday 30 December 2026, 10:00 in Beijing.
    await admin.ok('POST', '/admin/clock', { offsetMs: cst('2026-12-30T10:00:00').getTime() - Date.now() });
    try {
      const ready = await api.ok<{ info: { policy: { warnings?: string[] } } }>('GET', '/ready');
      expect(ready.info.policy.warnings?.join()).toContain('no calendar for 2027');

      const opened = await window.ok<{ caseId: string }>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: '150802100201',
          household: [
            { name: '王建军', idNumber: residentId('15080219680304001'), relationship: 'applicant' },
          ],
          needs: [{ category: 'medical', description: '突发脑梗住院，自付费用高' }],
          consentToShare: true,
        },
        201,
      );
      const accepted = await window.ok<{ needs: Array<{ referral: { referralId: string } | null }> }>(
        'POST',
        `/cases/${opened.caseId}/accept`,
      );
      const referralId = accepted.needs[0]!.referral!.referralId;
      const row = () => health.ok<InboxRow>('GET', `/health/referrals/${referralId}`);
      // Medical: 5 working days to decide. Without a 2027 calendar, 1 January counts as a working day.
      const provisional = await eventually(async () => {
        const r = await health.call('GET', `/health/referrals/${referralId}`);
        return r.status === 200 ? (r.body as InboxRow) : undefined;
      });
      expect(provisional).toMatchObject({
        acknowledgeBy: cst('2026-12-31T23:59:59.999').toISOString(),
        decideBy: cst('2027-01-06T23:59:59.999').toISOString(),
        deadlineProvisionalYears: ['2027'],
      });

      const calendar = await admin.ok<PolicyVersion>(
        'POST',
        '/admin/policy/calendar/years/2027',
        {
          holidays: { '2027-01-01': '元旦', '2027-01-02': '元旦', '2027-01-03': '元旦' },
          workingWeekends: {},
          reason: '国务院办公厅关于 2027 年部分节假日安排的通知',
        },
        201,
      );
      expect(calendar.version).toBe(2);
      // The desk's deadline watch counts it again: New Year's Day is off, so the 5th working day is 7 January.
      const corrected = await eventually(async () => {
        const r = await row();
        return r.deadlineProvisionalYears.length === 0 ? r : undefined;
      });
      expect(corrected).toMatchObject({
        acknowledgeBy: cst('2026-12-31T23:59:59.999').toISOString(),
        decideBy: cst('2027-01-07T23:59:59.999').toISOString(),
      });
      const ready2 = await api.ok<{ info: { policy: Record<string, unknown> } }>('GET', '/ready');
      expect(JSON.stringify(ready2.info.policy)).not.toContain('2027');

      // The referral's own log: the versions it was received under, and the recomputation with the old values.
      const stream = await auditor.ok<{ events: StoredEvent[] }>(
        'GET',
        `/health/audit/streams/referral-${referralId}`,
      );
      const received = stream.events.find((e) => e.type === 'health.ReferralReceived')!;
      expect(received.data).toMatchObject({
        policy: { deadlines: 1, calendar: 1 },
        deadlinesProvisional: ['2027'],
      });
      const recomputed = stream.events.find((e) => e.type === 'health.ReferralDeadlinesRecomputed')!;
      expect(recomputed.data).toMatchObject({
        previous: { decideBy: cst('2027-01-06T23:59:59.999').toISOString(), deadlinesProvisional: ['2027'] },
        decideBy: cst('2027-01-07T23:59:59.999').toISOString(),
        policy: { deadlines: 1, calendar: 2 },
      });
      expect(recomputed.metadata.actor.id).toBe('system');

      // A correction of the 2027 calendar does not move a deadline already counted under a loaded year…
      await admin.ok(
        'POST',
        '/admin/policy/calendar/years/2027',
        {
          holidays: {
            '2027-01-01': '元旦',
            '2027-01-02': '元旦',
            '2027-01-03': '元旦',
            '2027-01-04': '元旦',
          },
          workingWeekends: {},
          reason: '更正：1 月 4 日放假（示例）',
        },
        201,
      );
      await new Promise((r) => setTimeout(r, 600)); // three turns of the deadline watch
      expect((await row()).decideBy).toBe(cst('2027-01-07T23:59:59.999').toISOString());
      // …unless an administrator re-bases it, with a reason; officers may not.
      const rebaseBody = { reason: '节假日安排更正，按更正后的日历重新计算' };
      expect(
        (await health.call('POST', `/health/referrals/${referralId}/deadlines/rebase`, rebaseBody)).status,
      ).toBe(403);
      const rebased = await admin.ok<{ decideBy: string }>(
        'POST',
        `/health/referrals/${referralId}/deadlines/rebase`,
        rebaseBody,
      );
      expect(rebased.decideBy).toBe(cst('2027-01-08T23:59:59.999').toISOString());
      const rebaseEvent = (
        await auditor.ok<{ events: StoredEvent[] }>('GET', `/health/audit/streams/referral-${referralId}`)
      ).events.filter((e) => e.type === 'health.ReferralDeadlinesRecomputed')[1]!;
      expect(rebaseEvent.metadata.actor.id).toBe('u-admin');
      expect(rebaseEvent.data).toMatchObject({
        reason: rebaseBody.reason,
        previous: { decideBy: cst('2027-01-07T23:59:59.999').toISOString() },
        policy: { deadlines: 1, calendar: 3 },
      });

      // The investigator's timeline shows the routing version the referral was issued under.
      const timeline = await eventually(async () => {
        const t = await auditor.ok<{ items: Array<{ type: string; data: Record<string, unknown> }> }>(
          'GET',
          `/cases/${opened.caseId}/timeline?pageSize=100`,
        );
        return t.items.some((e) => e.type === 'intake.ReferralIssued') ? t : undefined;
      });
      const issued = timeline.items.find((e) => e.type === 'intake.ReferralIssued');
      expect(issued?.data.policy).toEqual({ routing: 1, escalation: 1 });
      const accepted2 = timeline.items.find((e) => e.type === 'intake.CaseAccepted');
      expect(accepted2?.data.policy).toEqual({ routing: 1, escalation: 1 });
    } finally {
      await admin.ok('POST', '/admin/clock', { offsetMs: 0 });
    }
  }, 120_000);
});
