import { eventually } from '@platform/testing';
import { Api, residentId } from './harness.js';
import { scrape, sum } from './metrics-checks.js';

/** Where each department's API lives: separate processes over Kafka, or one platform process. */
export interface Endpoints {
  intake: string;
  'civil-affairs': string;
  health: string;
  housing: string;
  education: string;
}

interface NeedView {
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
  reportedToGovernment: { reason: string } | null;
}
interface CaseView {
  caseId: string;
  caseNumber: string;
  queryCode: string | null;
  status: string;
  needs: NeedView[];
  referrals: Array<{ referralId: string; department: string; status: string; overdue: string[] }>;
  notices: Array<{ kind: string; documentNumber: string }>;
}
interface InboxRow {
  referralId: string;
  caseId: string;
  status: string;
  overdue: string[];
  applicant: { name: string; idNumber: string } | null;
}

export interface ScenarioResult {
  caseId: string;
  finalView: CaseView;
  /** The intake's view and the instant it was read, half-way through: for point-in-time replay checks. */
  midway: { at: string; view: CaseView };
}

/**
 * The household with medical, housing and education needs and one need no policy fits:
 * three departments receive, acknowledge, accept or decline, complete; the declined one is
 * re-routed; the unmatched one is reported to government; one referral passes its deadline.
 */
export async function runReferralScenario(
  ep: Endpoints,
  options: { metricsToken?: string } = {},
): Promise<ScenarioResult> {
  const intake = new Api(ep.intake);
  const tokens = {
    window: await intake.login('shuanghe.window'),
    village: await intake.login('jinbu.village'),
    health: await intake.login('linhe.health'),
    housing: await intake.login('linhe.housing'),
    education: await intake.login('linhe.education'),
    civil: await intake.login('linhe.civil'),
    government: await intake.login('linhe.government'),
    auditor: await intake.login('city.auditor'),
    admin: await intake.login('admin'),
  };
  const window = intake.as(tokens.window);
  const dept = {
    health: new Api(ep.health, tokens.health),
    housing: new Api(ep.housing, tokens.housing),
    education: new Api(ep.education, tokens.education),
    'civil-affairs': new Api(ep['civil-affairs'], tokens.civil),
  };
  const applicantId = residentId('15080219750312004');
  const childId = residentId('15080220120905002');

  const opened = await window.ok<CaseView>(
    'POST',
    '/cases',
    {
      channel: 'window',
      villageCode: '150802100201',
      household: [
        { name: '张秀英', idNumber: applicantId, relationship: 'applicant', phone: '13904780001' },
        { name: '张小雨', idNumber: childId, relationship: 'child' },
      ],
      needs: [
        { category: 'medical', description: '尿毒症长期透析，自付费用高', requestedAmount: 20000 },
        { category: 'housing', description: '住房为危房，需改造' },
        { category: 'education', description: '女儿读初中，学杂费困难' },
        { category: 'other', description: '债务纠纷导致生活困难，无对应政策' },
      ],
      consentToShare: true,
    },
    201,
  );
  expect(opened.notices.map((n) => n.kind)).toEqual(['one_time_notification']);

  // Two windows register the same person for the same need at the same moment: the second is told
  // about the first (409 naming its case number), not given a second open case.
  const sameMoment = () =>
    window.call('POST', '/cases', {
      channel: 'window',
      villageCode: '150802100201',
      household: [{ name: '赵德胜', idNumber: residentId('15080219600101007'), relationship: 'applicant' }],
      needs: [{ category: 'medical', description: '慢性病长期用药' }],
      consentToShare: true,
    });
  const twins = await Promise.all([sameMoment(), sameMoment()]);
  expect(twins.map((r) => r.status).sort()).toEqual([201, 409]);
  const first = twins.find((r) => r.status === 201)!.body as CaseView;
  const refused = twins.find((r) => r.status === 409)!.body as { message: string; code?: string };
  expect(JSON.stringify(refused)).toContain(first.caseNumber);

  // A village committee may not accept (acceptance was removed from villages).
  const villageAccept = await intake.as(tokens.village).call('POST', `/cases/${opened.caseId}/accept`);
  expect(villageAccept.status).toBe(403);

  const accepted = await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`);
  const referralOf = (view: CaseView, category: string) =>
    view.needs.find((n) => n.category === category)!.referral!;
  expect(accepted.needs.find((n) => n.category === 'other')!.reportedToGovernment).not.toBeNull();
  const ids = {
    health: referralOf(accepted, 'medical').referralId,
    housing: referralOf(accepted, 'housing').referralId,
    education: referralOf(accepted, 'education').referralId,
  };

  const inboxRow = (api: Api, department: string, referralId: string) =>
    eventually(
      async () => {
        const r = await api.ok<{ items: InboxRow[] }>('GET', `/${department}/referrals?pageSize=100`);
        return r.items.find((i) => i.referralId === referralId);
      },
      { what: `${department} inbox to show ${referralId}` },
    );
  const received = await Promise.all([
    inboxRow(dept.health, 'health', ids.health),
    inboxRow(dept.housing, 'housing', ids.housing),
    inboxRow(dept.education, 'education', ids.education),
  ]);
  expect(received.map((r) => r.status)).toEqual(['received', 'received', 'received']);
  expect(received[0]!.applicant).toEqual({
    name: '张*英',
    idNumber: expect.stringMatching(/^150802\*{8}\d{3}[\dX]$/),
    phone: null,
  });

  const caseView = () => window.ok<CaseView>('GET', `/cases/${opened.caseId}`);
  const waitForCase = (what: string, ok: (v: CaseView) => boolean) =>
    eventually(
      async () => {
        const v = await caseView();
        return ok(v) ? v : undefined;
      },
      { what },
    );

  await waitForCase('intake to see every referral received', (v) =>
    ['medical', 'housing', 'education'].every((c) => referralOf(v, c).status === 'received'),
  );
  const midway = { at: new Date().toISOString(), view: await caseView() };
  await new Promise((r) => setTimeout(r, 20));

  // Health grants.
  await dept.health.ok('POST', `/health/referrals/${ids.health}/acknowledge`);
  await dept.health.ok('POST', `/health/referrals/${ids.health}/accept`);
  await dept.health.ok('POST', `/health/referrals/${ids.health}/progress`, {
    note: '已与定点医院核实透析费用',
  });
  await dept.health.ok('POST', `/health/referrals/${ids.health}/complete`, {
    outcome: 'granted',
    amount: 18000,
    service: '大病保险二次报销',
  });
  // Education grants a service.
  await dept.education.ok('POST', `/education/referrals/${ids.education}/acknowledge`);
  await dept.education.ok('POST', `/education/referrals/${ids.education}/accept`);
  await dept.education.ok('POST', `/education/referrals/${ids.education}/complete`, {
    outcome: 'granted',
    service: '免除学杂费并纳入助学金',
  });
  // Housing declines: not its policy.
  await dept.housing.ok('POST', `/housing/referrals/${ids.housing}/acknowledge`);
  const noReason = await dept.housing.call('POST', `/housing/referrals/${ids.housing}/decline`, {});
  expect(noReason.status).toBe(422);
  await dept.housing.ok('POST', `/housing/referrals/${ids.housing}/decline`, {
    reason: '该户住房不在本年度危房改造范围，建议由民政临时救助',
  });

  const declined = await waitForCase(
    'intake to see the housing referral declined',
    (v) => referralOf(v, 'housing').status === 'declined',
  );
  expect(declined.referrals.find((r) => r.referralId === ids.housing)!.status).toBe('declined');

  // The window re-routes the declined need to civil affairs.
  const rerouted = await window.ok<CaseView>(
    'POST',
    `/cases/${opened.caseId}/referrals/${ids.housing}/reroute`,
    {
      department: 'civil-affairs',
      reason: '住房部门不予受理，改由民政部门临时救助',
    },
  );
  const civilId = referralOf(rerouted, 'housing').referralId;
  expect(referralOf(rerouted, 'housing').department).toBe('civil-affairs');
  await inboxRow(dept['civil-affairs'], 'civil-affairs', civilId);

  // Civil affairs lets the referral pass both deadlines: move its clock thirty days on.
  const civilAdmin = new Api(ep['civil-affairs'], tokens.admin);
  await civilAdmin.ok('POST', '/admin/clock', { offsetMs: 30 * 24 * 3600 * 1000 });
  const overdue = await eventually(
    async () => {
      const r = await dept['civil-affairs'].ok<{ items: InboxRow[] }>(
        'GET',
        '/civil-affairs/referrals?overdue=true',
      );
      const row = r.items.find((i) => i.referralId === civilId);
      return row && row.overdue.length === 2 ? row : undefined;
    },
    { what: 'the civil-affairs referral to be marked overdue twice' },
  );
  expect(overdue.overdue.sort()).toEqual(['acknowledge', 'decide']);
  // The operators' alert counts it under both deadlines while it is open (back to 0 once completed:
  // expectSettledMetrics).
  const { samples } = await scrape(ep['civil-affairs'], options.metricsToken);
  for (const deadline of ['acknowledge', 'decide'])
    expect(sum(samples, 'sap_referrals_overdue', { department: 'civil-affairs', deadline })).toBe(1);
  await civilAdmin.ok('POST', '/admin/clock', { offsetMs: 0 });
  await dept['civil-affairs'].ok('POST', `/civil-affairs/referrals/${civilId}/acknowledge`);
  await dept['civil-affairs'].ok('POST', `/civil-affairs/referrals/${civilId}/accept`);
  await dept['civil-affairs'].ok('POST', `/civil-affairs/referrals/${civilId}/complete`, {
    outcome: 'granted',
    amount: 3000,
  });

  const finalView = await waitForCase(
    'intake to see every referral completed',
    (v) =>
      ['medical', 'housing', 'education'].every((c) => referralOf(v, c).status === 'completed') &&
      referralOf(v, 'housing').overdue.length === 2,
  );
  expect(referralOf(finalView, 'medical')).toMatchObject({
    department: 'health',
    outcome: 'granted',
    amount: 18000,
  });
  expect(referralOf(finalView, 'housing')).toMatchObject({
    department: 'civil-affairs',
    outcome: 'granted',
    amount: 3000,
  });
  expect(referralOf(finalView, 'education')).toMatchObject({ department: 'education', outcome: 'granted' });
  expect(finalView.referrals.find((r) => r.referralId === ids.housing)!.status).toBe('rerouted');

  // The government liaison sees the unmatched need.
  const reports = await intake
    .as(tokens.government)
    .ok<{ items: Array<{ caseId: string; category: string }> }>('GET', '/government/reports');
  expect(reports.items).toEqual(
    expect.arrayContaining([expect.objectContaining({ caseId: opened.caseId, category: 'other' })]),
  );

  // The public progress view: states and departments, no personal data.
  const progress = await intake.call(
    'GET',
    `/public/progress?caseNumber=${finalView.caseNumber}&queryCode=${finalView.queryCode}`,
  );
  expect(progress.status).toBe(200);
  const needs = (
    progress.body as { needs: Array<{ departmentName: string; status: string; outcome: string | null }> }
  ).needs;
  // A finished need says what it came to.
  expect(needs.map((n) => n.outcome)).toEqual([
    '给予救助 18000 元',
    '给予救助 3000 元',
    expect.stringMatching(/^给予救助/),
    null,
  ]);
  expect(needs.map((n) => [n.departmentName, n.status])).toEqual([
    ['卫生健康部门', 'completed'],
    ['民政部门', 'completed'],
    ['教育部门', 'completed'],
    ['同级人民政府', 'reported_to_government'],
  ]);
  expect(progress.text).not.toContain(applicantId);
  expect(progress.text).not.toContain('张秀英');
  const wrongCode = await intake.call(
    'GET',
    `/public/progress?caseNumber=${finalView.caseNumber}&queryCode=000000`,
  );
  expect(wrongCode.status === 404 || finalView.queryCode === '000000').toBe(true);

  // Notices render as printable Chinese HTML.
  const acceptance = finalView.notices.find((n) => n.kind === 'acceptance_notice')!;
  const html = await window.call(
    'GET',
    `/cases/${opened.caseId}/notices/${encodeURIComponent(acceptance.documentNumber)}`,
  );
  expect(html.status).toBe(200);
  expect(html.text).toContain('申请受理通知书');
  expect(html.text).toContain(finalView.queryCode!);

  // Viewing personal details left AccessRecorded events for the auditor.
  const log = await intake
    .as(tokens.auditor)
    .ok<{ items: Array<{ caseId: string; actor: { id: string } }> }>(
      'GET',
      `/intake/audit/access-log?caseId=${opened.caseId}`,
    );
  expect(log.items.length).toBeGreaterThan(0);
  expect(log.items.every((i) => i.actor.id === 'u-twp-shuanghe')).toBe(true);

  return { caseId: opened.caseId, finalView, midway };
}
