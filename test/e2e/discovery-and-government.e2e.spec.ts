import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface Report {
  caseId: string;
  caseNumber: string;
  needId: string;
  governmentName: string;
  townshipName: string | null;
  respondBy: string | null;
  respondByBeijing: string | null;
  status: string;
  statusName: string;
  response: Record<string, unknown> | null;
}
interface Page<T> {
  items: T[];
  total: number;
}
interface Dashboard {
  rows: Array<{ countyCode: string; issued: number }>;
  governmentResponses: Array<{
    countyCode: string;
    reported: number;
    responded: number;
    awaiting: number;
    overdue: number;
    answeredLate: number;
  }>;
}
interface Accountability {
  overdue: Array<{ county_code: string }>;
}

const LINHE = '150802000000';
const WUYUAN = '150821000000';

/**
 * A need no department owns is reported to 临河区's government with a due day; the window that reported it
 * and the liaison follow it; past the day it is overdue on the list and the dashboard; the liaison records
 * the government's handling, once, and the item closes. The liaison sees only 临河区's figures — not 五原县's —
 * in the dashboard and the accountability report, and is refused when asking for 五原县.
 */
describe('urgent discovery reports, the reporter following them, and the government’s response', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};
  let admin: Api;

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('gov'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      CLOCK_CONTROL: 'true',
      OVERDUE_SCAN_MS: '200',
      CONSUMER_RETRY_BASE_MS: '50',
      DATABASE_POOL_SIZE: '5',
    });
    const api = new Api(platform.url);
    for (const user of [
      'shuanghe.window',
      'chezhan.window',
      'longxing.window',
      'linhe.government',
      'city.jointmeeting',
      'linhe.socialworker',
      'linhe.civil',
      'jinbu.village',
      'linhe.health',
      'city.auditor',
    ]) {
      who[user] = api.as(await api.login(user));
    }
    admin = api.as(await api.login('admin'));
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const openAndAccept = async (window: Api, villageCode: string, categories: string[], idSeed: string) => {
    const opened = await window.ok<{ caseId: string; caseNumber: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode,
        household: [{ name: '赵大山', idNumber: residentId(idSeed), relationship: 'applicant' }],
        needs: categories.map((category) => ({ category, description: '突发困难' })),
        consentToShare: true,
      },
      201,
    );
    await window.ok('POST', `/cases/${opened.caseId}/accept`);
    return opened;
  };

  const reportsOf = (as: Api, query = '') =>
    as.ok<Page<Report>>('GET', `/government/reports?pageSize=100${query}`);

  it('says in one line a person can read where the platform listens', () => {
    const port = new URL(platform.url).port;
    expect(platform.output()).toContain(
      `社会救助协同平台已启动：http://127.0.0.1:${port}/ （API 文档 /docs）`,
    );
  });

  it('lets a social worker follow the case they reported, without anyone’s personal data', async () => {
    const worker = who['linhe.socialworker']!;
    const applicant = { name: '孙秀英', idNumber: residentId('15080219450101003') };
    const opened = await worker.ok<{ caseId: string; caseNumber: string }>(
      'POST',
      '/cases',
      {
        channel: 'proactive_discovery',
        villageCode: '150802100201',
        source: 'hospital',
        organisation: '临河区人民医院',
        onBehalfOf: applicant.name,
        urgency: 'urgent',
        household: [{ ...applicant, relationship: 'applicant', phone: '13904780001' }],
        needs: [{ category: 'medical', description: '独居老人突发脑梗，无力支付住院押金' }],
        consentToShare: true,
      },
      201,
    );
    // The case view is the window's and the county's, not the reporter's…
    expect((await worker.call('GET', `/cases/${opened.caseId}`)).status).toBe(403);
    // …but the reporter follows it: where it stands, who reported it, no names or ID numbers.
    const mine = await eventually(
      async () => {
        const page = await worker.ok<Page<Record<string, unknown>>>('GET', '/cases/reported?pageSize=10');
        return page.items.some((c) => c.caseId === opened.caseId) ? page : undefined;
      },
      { what: 'the reporter’s list to show the case' },
    );
    expect(mine.items.find((c) => c.caseId === opened.caseId)).toMatchObject({
      caseNumber: opened.caseNumber,
      statusName: '已登记，待受理',
      urgencyName: '紧急',
      sourceName: '医疗机构',
      organisation: '临河区人民医院',
      villageName: expect.stringContaining('进步村'),
    });
    const one = await worker.call('GET', `/cases/reported/${opened.caseId}`);
    expect(one.status).toBe(200);
    for (const personal of [applicant.name, applicant.idNumber, '13904780001']) {
      expect(JSON.stringify(mine)).not.toContain(personal);
      expect(one.text).not.toContain(personal);
    }
    // The window accepts it; the reporter sees the referral to health.
    await who['shuanghe.window']!.ok('POST', `/cases/${opened.caseId}/accept`);
    const followed = await worker.ok<{ statusName: string; needs: Array<{ departmentName: string }> }>(
      'GET',
      `/cases/reported/${opened.caseId}`,
    );
    expect(followed).toMatchObject({ statusName: '已受理', needs: [{ departmentName: expect.any(String) }] });
    // On whose behalf it was opened stays with intake: not in the ledger the auditors and departments share.
    const timeline = await eventually(
      async () => {
        const t = await who['city.auditor']!.call('GET', `/cases/${opened.caseId}/timeline?pageSize=100`);
        return t.status === 200 && t.text.includes('CaseAccepted') ? t : undefined;
      },
      { what: 'the ledger to hold the case' },
    );
    // (The referral carries the person to the department, with consent; the opening's actor does not.)
    const openedEntry = (timeline.body as { items: Array<{ type: string }> }).items.find(
      (e) => e.type === 'intake.CaseOpened',
    );
    expect(openedEntry).toBeDefined();
    expect(JSON.stringify(openedEntry)).not.toContain(applicant.name);
    // Someone else's report is not found, whoever asks.
    expect((await who['jinbu.village']!.call('GET', `/cases/reported/${opened.caseId}`)).status).toBe(404);
    expect((await who['jinbu.village']!.ok<Page<unknown>>('GET', '/cases/reported')).total).toBe(0);
  });

  it('takes a hotline call only with its call record, and keeps it on the case', async () => {
    const hotline = who['linhe.civil']!;
    const body = {
      channel: 'hotline',
      villageCode: '150802100201',
      urgency: 'urgent',
      household: [{ name: '马建军', idNumber: residentId('15080219700101005'), relationship: 'applicant' }],
      needs: [{ category: 'temporary', description: '家中失火，无处居住' }],
      consentToShare: true,
    };
    const before = await hotline.ok<Page<unknown>>('GET', '/cases?pageSize=1');
    const noCall = await hotline.call('POST', '/cases', body);
    expect(noCall.status).toBe(422);
    expect(JSON.stringify(noCall.body)).toContain('call');
    const future = await hotline.call('POST', '/cases', {
      ...body,
      call: {
        receivedAt: new Date(Date.now() + 3_600_000 * 24 * 400).toISOString(),
        callerName: '邻居王女士',
        callbackNumber: '13904780002',
        summary: '邻居家中失火',
      },
    });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'CALL_IN_FUTURE' });
    expect((await hotline.ok<Page<unknown>>('GET', '/cases?pageSize=1')).total).toBe(before.total);
    const call = {
      receivedAt: '2026-11-27T01:30:00.000Z',
      callerName: '邻居王女士',
      callbackNumber: '0478-8123456',
      summary: '邻居家中失火，一家三口无处居住',
    };
    const opened = await hotline.ok<{ caseId: string; report: Record<string, unknown> }>(
      'POST',
      '/cases',
      { ...body, call },
      201,
    );
    expect(opened.report).toEqual({
      source: 'hotline_caller',
      sourceName: '热线来电',
      organisation: null,
      call,
    });
  });

  it('follows a reported need to the government’s response, and keeps each county to its own figures', async () => {
    try {
      // 临河区: a need with no policy goes to the district government, the medical one to health; 五原县: health.
      const linhe = await openAndAccept(
        who['shuanghe.window']!,
        '150802100201',
        ['other', 'medical'],
        '15080219600101001',
      );
      const wuyuan = await openAndAccept(
        who['longxing.window']!,
        '150821100201',
        ['medical'],
        '15082119600101002',
      );
      // Health must hold the 五原县 referral before the clock moves: one received after the jump gets its
      // deadlines from the moved clock and is never overdue (under load it used to arrive late).
      await eventually(
        async () => {
          const v = await who['longxing.window']!.ok<{ needs: Array<{ referral?: { status: string } }> }>(
            'GET',
            `/cases/${wuyuan.caseId}`,
          );
          return v.needs[0]?.referral?.status === 'received' ? true : undefined;
        },
        { what: 'health to receive the 五原县 referral' },
      );

      const liaison = who['linhe.government']!;
      const [report] = (
        await eventually(
          async () => {
            const page = await reportsOf(liaison);
            return page.items.some((r) => r.caseId === linhe.caseId) ? page : undefined;
          },
          { what: 'the liaison to see the report' },
        )
      ).items.filter((r) => r.caseId === linhe.caseId);
      expect(report).toMatchObject({
        caseNumber: linhe.caseNumber,
        governmentName: '临河区人民政府',
        townshipName: '双河镇',
        status: 'awaiting',
        statusName: '待政府回复',
        response: null,
      });
      expect(report!.respondByBeijing).toMatch(/^\d{4}-\d{2}-\d{2} 23:59$/);

      // The window that reported it follows it; another township's window and another county's do not.
      expect((await reportsOf(who['shuanghe.window']!)).items.map((r) => r.caseId)).toEqual([linhe.caseId]);
      expect((await reportsOf(who['chezhan.window']!)).total).toBe(0);
      expect((await reportsOf(who['longxing.window']!)).total).toBe(0);

      // Past the due day, unanswered: overdue on the list, first, and on the dashboard.
      const offsetMs = Date.parse(report!.respondBy!) - Date.now() + 2 * 86_400_000;
      await admin.ok('POST', '/admin/clock', { offsetMs });
      const overdue = await reportsOf(liaison, '&status=overdue');
      expect(overdue.items.map((r) => [r.caseId, r.statusName])).toEqual([[linhe.caseId, '逾期未回复']]);
      expect((await reportsOf(liaison, '&status=awaiting')).total).toBe(0);
      const mine = (d: Dashboard) => d.governmentResponses.find((g) => g.countyCode === LINHE);
      await eventually(
        async () => {
          const d = await liaison.ok<Dashboard>('GET', '/oversight/dashboard');
          return mine(d)?.overdue === 1 ? d : undefined;
        },
        { what: 'the dashboard to show the overdue answer' },
      );

      // Only the liaison records it, with a decision; nothing is recorded otherwise.
      const path = `/government/reports/${linhe.caseId}/need-1/response`;
      const body = {
        decision: '区政府协调民政局给予临时救助，卫健局跟进就医',
        responsibleDepartment: 'civil-affairs',
        amount: 3000,
        followUp: '民政局一周内入户回访',
      };
      const byWindow = await who['shuanghe.window']!.call('POST', path, body);
      expect(byWindow.status).toBe(403);
      const noDecision = await liaison.call('POST', path, { ...body, decision: '' });
      expect(noDecision.status).toBe(422);
      expect(JSON.stringify(noDecision.body)).toContain('decision');
      const badDepartment = await liaison.call('POST', path, { ...body, responsibleDepartment: 'banks' });
      expect(badDepartment.status).toBe(422);
      expect(JSON.stringify(badDepartment.body)).toContain('responsibleDepartment');
      const unknownNeed = await liaison.call(
        'POST',
        `/government/reports/${linhe.caseId}/need-9/response`,
        body,
      );
      expect(unknownNeed.status).toBe(404);
      expect((await reportsOf(liaison, '&status=responded')).total).toBe(0);

      const answered = await liaison.ok<Report>('POST', path, body);
      expect(answered).toMatchObject({
        status: 'responded',
        statusName: '政府已处理',
        response: {
          decision: body.decision,
          responsibleDepartment: 'civil-affairs',
          responsibleDepartmentName: '民政部门',
          amount: 3000,
          followUp: body.followUp,
          byName: '杨帆',
        },
      });
      const again = await liaison.call('POST', path, body);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'GOVERNMENT_RESPONDED' });
      await eventually(
        async () => {
          const page = await reportsOf(who['shuanghe.window']!, '&status=responded');
          return page.total === 1 ? page : undefined;
        },
        { what: 'the window to see the response' },
      );
      const afterAnswer = await eventually(
        async () => {
          const d = await liaison.ok<Dashboard>('GET', '/oversight/dashboard');
          return mine(d)?.responded === 1 ? d : undefined;
        },
        { what: 'the dashboard to show the response' },
      );
      expect(mine(afterAnswer)).toMatchObject({
        reported: 1,
        responded: 1,
        awaiting: 0,
        overdue: 0,
        answeredLate: 1,
      });

      // The joint meeting sees both counties; 临河区's liaison only 临河区, and is refused 五原县.
      const city = await eventually(
        async () => {
          const d = await who['city.jointmeeting']!.ok<Dashboard>('GET', '/oversight/dashboard');
          return new Set(d.rows.map((r) => r.countyCode)).size === 2 ? d : undefined;
        },
        { what: 'both counties on the city dashboard' },
      );
      expect(new Set(city.rows.map((r) => r.countyCode))).toEqual(new Set([LINHE, WUYUAN]));
      const own = await liaison.ok<Dashboard>('GET', '/oversight/dashboard');
      expect(own.rows.length).toBeGreaterThan(0);
      expect(new Set(own.rows.map((r) => r.countyCode))).toEqual(new Set([LINHE]));
      const other = await liaison.call('GET', `/oversight/dashboard?county=${WUYUAN}`);
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });

      // The accountability report: 五原县's overdue referral is the joint meeting's to see, not the liaison's.
      const cityReport = await eventually(
        async () => {
          const r = await who['city.jointmeeting']!.ok<Accountability>(
            'GET',
            '/oversight/reports/accountability',
          );
          return r.overdue.some((o) => o.county_code === WUYUAN) ? r : undefined;
        },
        { what: 'the overdue 五原县 referral in the city report', timeoutMs: 60_000 },
      );
      expect(cityReport.overdue.some((o) => o.county_code === WUYUAN)).toBe(true);
      const liaisonReport = await liaison.ok<Accountability>('GET', '/oversight/reports/accountability');
      expect(liaisonReport.overdue.filter((o) => o.county_code !== LINHE)).toEqual([]);
      const otherReport = await liaison.call(
        'GET',
        `/oversight/reports/accountability?county=${WUYUAN}&format=csv`,
      );
      expect(otherReport.status).toBe(403);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- platform ---\n${platform.output().slice(-4000)}`, {
        cause: e,
      });
    }
  }, 120_000);

  it('reports a large or risky need to the government besides its department, and tells the department why', async () => {
    const window = who['shuanghe.window']!;
    const body = {
      channel: 'window',
      villageCode: '150802100201',
      household: [{ name: '钱进', idNumber: residentId('15080219800101007'), relationship: 'applicant' }],
      needs: [{ category: 'medical', description: '重病住院，自付费用高', requestedAmount: 50_000 }],
      consentToShare: true,
      riskOfExtremeBehaviour: true,
    };
    const noNote = await window.call('POST', '/cases', body);
    expect(noNote.status).toBe(422);
    expect(JSON.stringify(noNote.body)).toContain('riskNote');
    const opened = await window.ok<{ caseId: string }>(
      'POST',
      '/cases',
      { ...body, riskNote: '当事人多次扬言轻生' },
      201,
    );
    const accepted = await window.ok<{ needs: Array<{ referral: { referralId: string } }> }>(
      'POST',
      `/cases/${opened.caseId}/accept`,
    );
    const reasons = ['申请金额 50000 元超过上报标准 20000 元', '存在极端行为风险：当事人多次扬言轻生'];
    const report = await eventually(
      async () => (await reportsOf(who['linhe.government']!)).items.find((r) => r.caseId === opened.caseId),
      { what: 'the escalated need on the liaison’s list' },
    );
    expect(report).toMatchObject({ status: 'awaiting', response: null });
    expect((report as unknown as { reason: string }).reason).toBe(reasons.join('；'));
    const detail = await eventually(
      async () => {
        const r = await who['linhe.health']!.call(
          'GET',
          `/health/referrals/${accepted.needs[0]!.referral.referralId}`,
        );
        return r.status === 200 ? (r.body as { escalated: string[] }) : undefined;
      },
      { what: 'health to receive the referral' },
    );
    expect(detail.escalated).toEqual(reasons);
  });

  it('tells whoever registers an urgent case whom to call in its county (救急难值班表)', async () => {
    const { now } = await admin.ok<{ now: string }>('GET', '/admin/clock');
    const today = new Date(Date.parse(now) + 8 * 3600_000).toISOString().slice(0, 10);
    const contacts = [
      { name: '刘值班', phone: '0478-8123400', duty: '民政局救急难值班（24小时）' },
      { name: '陈备班', phone: '13904780009' },
    ];
    const bad = await admin.call('POST', '/admin/policy/on-call', {
      content: { [LINHE]: [{ name: '刘值班', phone: '12345' }] },
      effectiveFrom: today,
      reason: '临河区民政局值班表（录入错误）',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('phone');
    const empty = await who['linhe.civil']!.ok<{ contacts: unknown[]; note: string | null }>(
      'GET',
      '/urgent/on-call',
    );
    expect(empty).toMatchObject({ contacts: [], note: expect.stringContaining('尚未录入') });
    await admin.ok(
      'POST',
      '/admin/policy/on-call',
      { content: { [LINHE]: contacts }, effectiveFrom: today, reason: '临河区民政局救急难值班表' },
      201,
    );
    const expected = contacts.map((c) => ({ duty: null, ...c }));
    expect(await who['linhe.civil']!.ok('GET', '/urgent/on-call')).toMatchObject({
      countyCode: LINHE,
      countyName: expect.stringContaining('临河区'),
      contacts: expected,
      note: null,
    });
    // 五原县 has no roster loaded: said so, not someone else's numbers.
    expect(await who['longxing.window']!.ok('GET', '/urgent/on-call')).toMatchObject({
      countyCode: WUYUAN,
      contacts: [],
    });
    const township = await who['linhe.civil']!.call('GET', '/urgent/on-call?countyCode=150802100000');
    expect(township.status).toBe(422);
    expect(township.body).toMatchObject({ code: 'UNKNOWN_COUNTY' });
    // An urgent case's registration answers with the roster of its county.
    const opened = await who['shuanghe.window']!.ok<{ onCall: { contacts: unknown[] } }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: '150802100201',
        urgency: 'urgent',
        household: [{ name: '周末', idNumber: residentId('15080219900101009'), relationship: 'applicant' }],
        needs: [{ category: 'temporary', description: '突发火灾' }],
        consentToShare: true,
      },
      201,
    );
    expect(opened.onCall.contacts).toEqual(expected);
  });

  it('tells a window of another jurisdiction only that a duplicate exists elsewhere, and logs the lookup', async () => {
    const idNumber = residentId('15080219550505006');
    const body = (villageCode: string) => ({
      channel: 'window',
      villageCode,
      household: [{ name: '郑大伟', idNumber, relationship: 'applicant' }],
      needs: [{ category: 'medical', description: '慢性病长期用药' }],
      consentToShare: true,
    });
    const first = await who['shuanghe.window']!.ok<{ caseNumber: string }>(
      'POST',
      '/cases',
      body('150802100201'),
      201,
    );
    // The same window: its own case, by number.
    const own = await who['shuanghe.window']!.call('POST', '/cases', body('150802100201'));
    expect(own.status).toBe(409);
    expect(JSON.stringify(own.body)).toContain(first.caseNumber);
    // Another county's window, and another township's of the same county: where to ask, nothing more.
    for (const [user, village] of [
      ['longxing.window', '150821100201'],
      ['chezhan.window', '150802001001'],
    ] as const) {
      const other = await who[user]!.call('POST', '/cases', body(village));
      expect([user, other.status]).toEqual([user, 409]);
      expect(other.body).toMatchObject({ code: 'DUPLICATE_OPEN_CASE', openCases: [] });
      expect(JSON.stringify(other.body)).toContain('临河区');
      expect(JSON.stringify(other.body)).not.toContain(first.caseNumber);
    }
    const log = await who['city.auditor']!.ok<{ items: Array<{ actorId?: string; resourceType: string }> }>(
      'GET',
      '/intake/audit/access-log?pageSize=100',
    );
    expect(log.items.filter((e) => e.resourceType === 'duplicate-check').length).toBeGreaterThanOrEqual(2);
  });

  it('shows the public a need sent on to the government as the government’s, not as 已改派', async () => {
    const window = who['shuanghe.window']!;
    const opened = await window.ok<{ caseId: string; caseNumber: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: '150802100201',
        household: [{ name: '吴秀兰', idNumber: residentId('15080219620202004'), relationship: 'applicant' }],
        needs: [{ category: 'medical', description: '病因不明的长期失能' }],
        consentToShare: true,
      },
      201,
    );
    const accepted = await window.ok<{
      queryCode: string;
      needs: Array<{ referral: { referralId: string } }>;
    }>('POST', `/cases/${opened.caseId}/accept`);
    const referralId = accepted.needs[0]!.referral.referralId;
    const health = who['linhe.health']!;
    await eventually(
      async () =>
        (await health.call('GET', `/health/referrals/${referralId}`)).status === 200 ? true : undefined,
      { what: 'health to receive the referral' },
    );
    await health.ok('POST', `/health/referrals/${referralId}/decline`, { reason: '不属于医疗救助范围' });
    await eventually(
      async () => {
        const r = await window.call('POST', `/cases/${opened.caseId}/referrals/${referralId}/reroute`, {
          reportToGovernment: true,
          reason: '无对应政策，报请区政府研究',
        });
        return r.status === 200 ? r : undefined;
      },
      { what: 'the window to see the decline and reroute to the government' },
    );
    const progress = await fetch(
      `${platform.url}/public/progress?caseNumber=${opened.caseNumber}&queryCode=${accepted.queryCode}`,
    ).then((r) => r.json() as Promise<{ needs: Array<Record<string, unknown>> }>);
    expect(progress.needs).toEqual([
      expect.objectContaining({
        departmentName: '同级人民政府',
        status: 'reported_to_government',
        statusName: '已上报同级人民政府研究解决',
      }),
    ]);
  });

  it('locks a case number after five wrong query codes, until the window issues a new code', async () => {
    const window = who['shuanghe.window']!;
    const opened = await openAndAccept(window, '150802100201', ['medical'], '15080219580303006');
    const { queryCode } = await window.ok<{ queryCode: string }>('GET', `/cases/${opened.caseId}`);
    // Ten characters without 0/O, 1/I/L, printed in two groups.
    expect(queryCode).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    const lookup = async (code: string) => {
      const r = await fetch(
        `${platform.url}/public/progress?caseNumber=${opened.caseNumber}&queryCode=${encodeURIComponent(code)}`,
      );
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    // Typed back as people do: lower case, without the hyphen.
    await eventually(
      async () =>
        (await lookup(queryCode.replace('-', '').toLowerCase())).status === 200 ? true : undefined,
      { what: 'the public lookup to find the accepted case' },
    );
    const wrong = (queryCode[0] === 'Z' ? 'Y' : 'Z') + queryCode.slice(1);
    const malformed = await lookup('12345');
    expect([malformed.status, malformed.body.message]).toEqual([422, expect.stringContaining('查询码')]);
    for (let i = 0; i < 4; i++) {
      const r = await lookup(wrong);
      expect([r.status, r.body.code, r.body.message]).toEqual([
        404,
        'CASE_NOT_FOUND',
        expect.stringContaining('5 次'),
      ]);
    }
    const fifth = await lookup(wrong);
    expect([fifth.status, fifth.body.code]).toEqual([429, 'PROGRESS_LOOKUP_LOCKED']);
    expect(fifth.body.message).toContain('重新领取查询码');
    // Locked: even the right code is refused now.
    expect((await lookup(queryCode)).status).toBe(429);

    // Only the case's own window issues a new code, with a reason.
    const chezhan = who['chezhan.window']!;
    const village = who['jinbu.village']!;
    expect(
      (await chezhan.call('POST', `/cases/${opened.caseId}/query-code`, { reason: '遗失' })).status,
    ).toBe(403);
    expect(
      (await village.call('POST', `/cases/${opened.caseId}/query-code`, { reason: '遗失' })).status,
    ).toBe(403);
    const blank = await window.call('POST', `/cases/${opened.caseId}/query-code`, { reason: '  ' });
    expect(blank.status).toBe(422);
    const reissued = await window.ok<{ queryCode: string; history?: unknown }>(
      'POST',
      `/cases/${opened.caseId}/query-code`,
      { reason: '申请人遗失受理通知书，查询已被暂停' },
    );
    expect(reissued.queryCode).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(reissued.queryCode).not.toBe(queryCode);
    await eventually(async () => ((await lookup(reissued.queryCode)).status === 200 ? true : undefined), {
      what: 'the new code to open the lookup again',
    });
    expect((await lookup(queryCode)).status).toBe(404);
    // The reprinted acceptance notice carries the new code.
    const { notices } = await window.ok<{ notices: Array<{ kind: string; documentNumber: string }> }>(
      'GET',
      `/cases/${opened.caseId}`,
    );
    const notice = notices.find((n) => n.kind === 'acceptance_notice')!;
    const html = await window.call(
      'GET',
      `/cases/${opened.caseId}/notices/${encodeURIComponent(notice.documentNumber)}`,
    );
    expect(html.text).toContain(reissued.queryCode);

    // Guesses sent all at once are counted as surely as one after another: the number locks again.
    const burst = await Promise.all(Array.from({ length: 8 }, () => lookup(wrong)));
    expect(burst.map((r) => r.status).filter((s) => s !== 404 && s !== 429)).toEqual([]);
    expect(burst.filter((r) => r.status === 404).length).toBeLessThanOrEqual(4);
    expect((await lookup(reissued.queryCode)).status).toBe(429);
  });
});
