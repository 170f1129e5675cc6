import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature } from '@platform/notifications';
import { eventually, requireKafkaBrokers, uniqueName } from '@platform/testing';
import { Api, e2eEnv, residentId, startService, type RunningService } from './harness.js';

const DAY = 86_400_000;
const LINHE = '150802000000';
const JINBU = '150802100201';
const WUYUAN = '150821000000';
const LONGXING = '150821100000';
const LIANFENG = '150821100201';

interface Step {
  applicationId: string;
  status: string;
  statusName: string;
  paused: boolean;
  spotCheckSample: { sampled: boolean; reason: string; seed: string } | null;
  objections: Array<{ objectionId: string; reference: string; status: string }>;
  decision: { outcome: string; monthlyAmount: number | null; documentNumber: string } | null;
  overdue: string[];
}
interface ListItem {
  applicationId: string;
  caseId: string;
  caseNumber: string;
  status: string;
  applicantName: string;
  applicantIdNumber: string;
  staffRelative: boolean;
  overdue: string[];
  villageName: string;
}
interface Page<T> {
  items: T[];
  total: number;
}
interface CaseView {
  caseId: string;
  needs: Array<{
    category: string;
    referral: {
      referralId: string;
      department: string;
      status: string;
      outcome: string | null;
      amount: number | null;
      reason: string | null;
      overdue: string[];
    } | null;
  }>;
}
interface Refusal {
  code: string;
  message: string;
}

/**
 * Dibao and special-hardship review in civil affairs with a moved clock, on both deployments: apps/platform
 * over the event log, and intake, civil affairs and oversight as their own processes over real Kafka. A need
 * accepted at 双河镇 becomes an application; the township investigates, appraises, reviews and posts the
 * first notice; the county reviews, spot-checks and posts the second; an objection filed publicly is
 * dismissed; the county approves with the computed amount and its numbered notice; the household joins the
 * long-term notice; the window sees the referral granted, then the changed amount and the stop. Then a
 * refusal with its notice, an overdue investigation, a township reviewer refused the county's approval; a
 * staff member's relative; an upheld objection; and a county that delegated the decision to its townships.
 */
describe.each(['event-log', 'kafka'] as const)(
  'dibao and special-hardship review, end to end (%s)',
  (deployment) => {
    const services: RunningService[] = [];
    // The subscribed webhook (the civil-affairs bureau's own system): what it was told, signature checked.
    const HOOK_SECRET = 'dibao-webhook-secret-long-enough-0123456789';
    const hooks: Array<{ signed: boolean; kind: string; data: Record<string, unknown> }> = [];
    let hookServer: Server;
    const hooked = (kind: string, caseId: string, facts: Record<string, unknown> = {}) =>
      eventually(
        async () =>
          hooks.find(
            (h) =>
              h.kind === kind &&
              h.data.caseId === caseId &&
              Object.entries(facts).every(([k, v]) => h.data[k] === v),
          ),
        {
          what: `the webhook to be told ${kind} of ${caseId}`,
        },
      );
    let api: Api;
    let adminToken: string;
    let admin: Api;
    let window: Api;
    let village: Api;
    let county: Api;
    let auditor: Api;

    // Every process keeps its own clock: all of them move together.
    const setClock = (offsetMs: number) =>
      Promise.all(services.map((s) => new Api(s.url, adminToken).ok('POST', '/admin/clock', { offsetMs })));

    async function openAndAccept(
      household: unknown[],
      description: string,
    ): Promise<{ caseId: string; referralId: string }> {
      const opened = await window.ok<{ caseId: string }>(
        'POST',
        '/cases',
        {
          channel: 'window',
          villageCode: JINBU,
          household,
          needs: [{ category: 'dibao', description }],
          consentToShare: true,
        },
        201,
      );
      const accepted = await window.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`);
      const referral = accepted.needs[0]!.referral!;
      expect(referral.department).toBe('civil-affairs');
      return { caseId: opened.caseId, referralId: referral.referralId };
    }

    const application = (as: Api, caseId: string, query = '') =>
      eventually(async () => {
        const page = await as.ok<Page<ListItem>>(
          'GET',
          `/civil-affairs/dibao/applications?pageSize=100${query}`,
        );
        return page.items.find((i) => i.caseId === caseId);
      });

    const path = (id: string, step: string) => `/civil-affairs/dibao/applications/${id}/${step}`;

    beforeAll(async () => {
      hookServer = createServer((req, res) => {
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (text += c));
        req.on('end', () => {
          const body = JSON.parse(text) as { kind: string; data: Record<string, unknown> };
          hooks.push({
            signed: verifySignature(
              HOOK_SECRET,
              req.headers[SIGNATURE_HEADER] as string,
              text,
              Date.now() / 1000,
            ),
            kind: body.kind,
            data: body.data,
          });
          res.end();
        });
      });
      await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
      const prefix = uniqueName('dibao');
      const env = {
        NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/civil-affairs`,
        NOTIFY_WEBHOOK_SECRET: HOOK_SECRET,
        NOTIFY_POLL_MS: '100',
        ...e2eEnv(prefix, 8),
      };
      if (deployment === 'event-log') {
        services.push(await startService('platform', { ...env, TRANSPORT: 'event-log', KAFKA_BROKERS: '' }));
        api = new Api(services[0]!.url);
      } else {
        const kafka = {
          ...env,
          DATABASE_POOL_SIZE: '5',
          KAFKA_BROKERS: requireKafkaBrokers().join(','),
          KAFKA_NAME_PREFIX: `${prefix}.`,
          KAFKA_TOPIC_PARTITIONS: '3',
        };
        // Intake first: it creates the identity schema and its topics.
        services.push(await startService('intake', kafka));
        services.push(
          ...(await Promise.all(['civil-affairs', 'oversight'].map((app) => startService(app, kafka)))),
        );
        const [intake, civilAffairs, oversight] = services.map((s) => s.url) as [string, string, string];
        api = new Api((route) =>
          route.startsWith('/civil-affairs/') || route.startsWith('/public/dibao/')
            ? civilAffairs
            : /^\/cases\/[^/]+\/timeline/.test(route)
              ? oversight
              : intake,
        );
      }
      adminToken = await api.login('admin');
      admin = api.as(adminToken);
      window = api.as(await api.login('shuanghe.window'));
      village = api.as(await api.login('jinbu.village'));
      county = api.as(await api.login('linhe.civil'));
      auditor = api.as(await api.login('city.auditor'));
      // 临河区's standards for the year, recorded by an administrator before any decision needs them.
      await admin.ok(
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
      await setClock(0).catch(() => undefined);
      await Promise.all(services.map((s) => s.stop()));
      hookServer?.close();
    });

    const withLogs = async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (e) {
        const logs = services.map((s) => `--- ${s.name} ---\n${s.output().slice(-3000)}`).join('\n');
        throw new Error(`${(e as Error).message}\n${logs}`, { cause: e });
      }
    };

    it('approves a household through both notices and an objection, with the computed allowance', async () => {
      await withLogs(async () => {
        const applicant = residentId('15080219500101123');
        const spouse = residentId('15080219550304122');
        const child = residentId('15080220150505123');
        const { caseId, referralId } = await openAndAccept(
          [
            { name: '王建国', idNumber: applicant, relationship: 'applicant', phone: '13904780011' },
            { name: '刘秀兰', idNumber: spouse, relationship: 'spouse' },
            { name: '王小明', idNumber: child, relationship: 'child' },
          ],
          '老两口年老体弱，孙子上学，家庭收入低',
        );

        // The application appears for the township and the county, masked; not on the referral desk.
        const listed = await application(window, caseId);
        expect(listed).toMatchObject({
          applicationId: referralId,
          status: 'received',
          applicantName: '王*国',
          applicantIdNumber: `${applicant.slice(0, 6)}********${applicant.slice(14)}`,
          staffRelative: false,
          villageName: '进步村',
        });
        expect((await application(county, caseId)).applicationId).toBe(referralId);
        const desk = await county.ok<Page<{ referralId: string }>>(
          'GET',
          '/civil-affairs/referrals?pageSize=100',
        );
        expect(desk.items.some((r) => r.referralId === referralId)).toBe(false);

        // 入户调查: started by the township, recorded by the village committee on its behalf.
        expect((await window.ok<Step>('POST', path(referralId, 'investigation/start'))).status).toBe(
          'investigating',
        );
        const investigation = {
          date: '2026-11-27',
          investigators: ['李春梅', '张桂兰'],
          membersPresent: ['王建国', '刘秀兰'],
          household: [
            { name: '王建国', idNumber: applicant, relationship: 'applicant' },
            { name: '刘秀兰', idNumber: spouse, relationship: 'spouse', disabled: true },
            { name: '王小明', idNumber: child, relationship: 'child' },
          ],
          area: 'rural',
          livingConditions: '土坯房两间，无大件家电，主要劳动力年老体弱',
          incomes: [
            { memberIdNumber: applicant, source: '种植收入', monthlyAmount: 600 },
            { source: '亲属接济', monthlyAmount: 300 },
          ],
          assets: [{ kind: '耕地', description: '承包地 5 亩' }],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
        };
        const alone = await village.call('POST', path(referralId, 'investigation'), {
          ...investigation,
          investigators: ['张桂兰'],
        });
        expect(alone.status).toBe(422);
        expect((alone.body as Refusal).message).toContain('不少于 2 名');
        await village.ok('POST', path(referralId, 'investigation'), investigation);
        await window.ok('POST', path(referralId, 'verification'), {
          findings: [
            { department: '公安', findings: '家庭成员名下无机动车' },
            { department: '不动产登记', findings: '无城镇住房' },
          ],
          conclusion: '家庭收入和财产状况符合规定',
        });
        // 民主评议: 8 of 12 attend (exactly 2/3), 6 of 8 agree.
        const appraised = await village.ok<Step>('POST', path(referralId, 'appraisal'), {
          date: '2026-11-27',
          participantsDue: 12,
          attended: 8,
          agreed: 6,
          signed: true,
          record: '村民代表会议评议，多数同意',
        });
        expect(appraised.status).toBe('township_review');

        // 审核 and 第一次公示 in the village, on the public page.
        await window.ok('POST', path(referralId, 'township-review'), {
          recommendation: 'approve',
          opinion: '经审核，家庭月人均收入低于农村低保标准，同意纳入保障',
        });
        expect((await window.ok<Step>('POST', path(referralId, 'first-notice'))).status).toBe('first_notice');
        const onNotice = await eventually(async () => {
          const page = await api.ok<
            Page<{ applicationId: string; applicantName: string; noticeName: string }>
          >('GET', `/public/dibao/notices?villageCode=${JINBU}`);
          return page.items.find((n) => n.applicationId === referralId);
        });
        expect(onNotice).toMatchObject({ applicantName: '王*国', noticeName: '第一次公示' });
        const early = await window.call('POST', path(referralId, 'submit'));
        expect(early.status).toBe(409);
        expect((early.body as Refusal).message).toContain('公示期满后方可报送');

        // Eight days later the notice has run: sent up to the county, the spot-check sample drawn.
        await setClock(8 * DAY);
        const submitted = await window.ok<Step>('POST', path(referralId, 'submit'));
        expect(submitted.status).toBe('county_review');
        // The first application of the county's month is always in the sample (the 30% quota).
        expect(submitted.spotCheckSample).toMatchObject({ sampled: true, seed: expect.any(String) });
        await county.ok('POST', path(referralId, 'county-review'), {
          recommendation: 'approve',
          opinion: '材料齐全，调查属实',
        });
        const beforeVisit = await county.call('POST', path(referralId, 'second-notice'));
        expect(beforeVisit.status).toBe(409);
        expect((beforeVisit.body as Refusal).code).toBe('SPOT_CHECK_REQUIRED');
        await county.ok('POST', path(referralId, 'spot-check'), {
          visitDate: '2026-12-05',
          visitors: ['刘海燕', '赵敏'],
          findings: '入户核查，情况与调查记录一致',
          confirmed: true,
        });
        expect((await county.ok<Step>('POST', path(referralId, 'second-notice'))).status).toBe(
          'second_notice',
        );

        // An objection of only spaces says nothing: refused, naming the field, and nothing is filed.
        const blank = await api.call('POST', '/public/dibao/objections', {
          applicationId: referralId,
          content: ' \u3000 ',
        });
        expect(blank.status).toBe(422);
        expect(JSON.stringify(blank.body)).toContain('异议内容不能为空');
        // An objection from the public page, without an account: the application pauses.
        const objected = await api.ok<{ reference: string; message: string }>(
          'POST',
          '/public/dibao/objections',
          { applicationId: referralId, content: '听说申请人儿子在外地务工，收入较高' },
          201,
        );
        expect(objected.reference).toMatch(/^YY\d{8}-[0-9A-F]{6}$/);
        expect(objected.message).toContain(objected.reference);
        const paused = await county.call('POST', path(referralId, 'approve'), { opinion: '同意' });
        expect(paused.status).toBe(409);
        expect((paused.body as Refusal).message).toContain(objected.reference);
        // The bureau's system is told, signed, naming the case and the notice (not the objection's content).
        const told = await hooked('objection_filed', caseId);
        expect(told).toMatchObject({
          signed: true,
          data: { notice: 'second', caseNumber: expect.stringMatching(/^\d{6}-\d{4}-\d{6}$/) },
        });
        expect(JSON.stringify(told)).not.toContain('务工');
        const detail = await county.ok<{ objections: Array<{ objectionId: string; reference: string }> }>(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}`,
        );
        expect(detail.objections.map((o) => o.reference)).toEqual([objected.reference]); // not the blank one
        const objection = detail.objections.find((o) => o.reference === objected.reference)!;
        const dismissed = await county.ok<Step>(
          'POST',
          path(referralId, `objections/${objection.objectionId}/decision`),
          {
            result: 'dismissed',
            opinion: '经复核，其子已分户另居且收入仅够自身生活，异议不成立',
          },
        );
        expect(dismissed.paused).toBe(false);

        // Eight more days: the second notice has run; approved under 临河区's rural standard.
        await setClock(16 * DAY);
        const approved = await county.ok<Step>('POST', path(referralId, 'approve'), {
          opinion: '同意纳入农村最低生活保障',
        });
        // (690 − 900 / 3) × 3 = 1170, plus 50 + (50 + 80) + 50 for the elderly, the disabled and the minor.
        expect(approved.status).toBe('granted');
        expect(approved.decision).toMatchObject({ outcome: 'granted', monthlyAmount: 1400 });
        const number = approved.decision!.documentNumber;
        expect(number).toMatch(/^临河区民保决〔\d{4}〕000001号$/);

        const notice = await window.call(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}/documents/${encodeURIComponent(number)}`,
        );
        expect(notice.status).toBe(200);
        for (const text of [
          '最低生活保障决定书',
          number,
          '1400 元',
          '王建国',
          '临河区民政局',
          '盖章',
          '六十日内',
          '行政复议',
        ]) {
          expect(notice.text).toContain(text);
        }
        expect(notice.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);

        // 长期公示: the household on the village's standing list, masked.
        const recipient = await eventually(async () => {
          const page = await api.ok<Page<{ name: string; householdSize: number; monthlyAmount: number }>>(
            'GET',
            `/public/dibao/recipients?villageCode=${JINBU}`,
          );
          return page.items.find((r) => r.name === '王*国');
        });
        expect(recipient).toMatchObject({ householdSize: 3, monthlyAmount: 1400 });
        const printed = await api.call('GET', `/public/dibao/recipients/print?villageCode=${JINBU}`);
        expect(printed.text).toContain('长期公示');
        expect(printed.text).toContain('王*国');
        expect(printed.text).not.toContain('王建国');

        // The window sees the referral granted with the amount.
        const granted = await eventually(async () => {
          const view = await window.ok<CaseView>('GET', `/cases/${caseId}`);
          const r = view.needs[0]!.referral!;
          return r.status === 'completed' ? r : undefined;
        });
        expect(granted).toMatchObject({ outcome: 'granted', amount: 1400 });
        expect((await hooked('need_decided', caseId)).data).toMatchObject({
          outcome: 'granted',
          amount: 1400,
          department: 'civil-affairs',
          category: 'dibao',
        });

        // Oversight's ledger holds the referral lifecycle and the milestones, without personal data.
        const timeline = await eventually(async () => {
          const t = await auditor.ok<{ items: Array<{ type: string; data: Record<string, unknown> }> }>(
            'GET',
            `/cases/${caseId}/timeline?pageSize=500&department=civil-affairs`,
          );
          return t.items.some((e) => e.type === 'civil-affairs.ReferralCompleted') ? t : undefined;
        });
        expect(timeline.items.map((e) => e.type)).toEqual([
          'civil-affairs.ReferralReceived',
          'civil-affairs.ReferralAcknowledged',
          'civil-affairs.ReferralAccepted',
          'civil-affairs.DibaoNoticePosted',
          'civil-affairs.DibaoNoticePosted',
          'civil-affairs.DibaoObjectionFiled',
          'civil-affairs.DibaoObjectionDecided',
          'civil-affairs.DibaoDecisionMade',
          'civil-affairs.ReferralCompleted',
        ]);
        const decided = timeline.items.find((e) => e.type === 'civil-affairs.DibaoDecisionMade')!;
        expect(decided.data).toMatchObject({
          outcome: 'granted',
          monthlyAmount: 1400,
          documentNumber: number,
        });
        expect(decided.data).not.toHaveProperty('allowance');
        const published = JSON.stringify(timeline.items.map((e) => e.data));
        for (const personal of ['王建国', applicant, '收入较高']) expect(published).not.toContain(personal);

        // Every step names who acted; the view of personal data is in the access log.
        const full = await auditor.ok<{
          history: Array<{ stepName: string; officer: { name: string } | null }>;
        }>(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}?purpose=${encodeURIComponent('抽查审计')}`,
        );
        const who = Object.fromEntries(full.history.map((h) => [h.stepName, h.officer?.name ?? null]));
        expect(who).toMatchObject({
          入户调查: '张桂兰',
          '乡镇（街道）审核意见': '李春梅',
          旗县区审批审查意见: '刘海燕',
          批准保障: '刘海燕',
        });
        const log = await auditor.ok<Page<{ resourceType: string; purpose: string | null }>>(
          'GET',
          '/civil-affairs/referrals/-/access-log?pageSize=100',
        );
        expect(
          log.items.some((i) => i.resourceType === 'dibao-application' && i.purpose === '抽查审计'),
        ).toBe(true);

        // 发放花名册 for the month (Beijing) the platform is in: full name and ID number, for the county only.
        const clock = await admin.ok<{ now: string }>('GET', '/admin/clock');
        const month = new Date(Date.parse(clock.now) + 8 * 3600_000).toISOString().slice(0, 7);
        const roster = await county.call(
          'GET',
          `/civil-affairs/dibao/rosters/${month}?purpose=${encodeURIComponent('按月发放')}`,
        );
        expect(roster.status).toBe(200);
        for (const text of ['户主姓名', '"王建国"', `"${applicant}"`, '"1400"', '"合计"']) {
          expect(roster.text).toContain(text);
        }
        expect((await window.call('GET', `/civil-affairs/dibao/rosters/${month}`)).status).toBe(403);
        expect((await auditor.call('GET', `/civil-affairs/dibao/rosters/${month}`)).status).toBe(422);
        expect(
          (await auditor.call('GET', `/civil-affairs/dibao/rosters/${month}?countyCode=${LINHE}`)).status,
        ).toBe(200);
        expect((await county.call('GET', '/civil-affairs/dibao/rosters/2026-13')).status).toBe(422);

        // 复查 finds the household changed: 变更 recomputes from the household as it is now.
        await window.ok('POST', path(referralId, 'recheck'), {
          date: '2026-12-13',
          findings: '入户复查：孙子已由其父母接回抚养，家庭人口减少',
          conclusion: 'changed',
        });
        const changed = await county.ok<
          Step & { currentMonthlyAmount: number; changes: Array<{ documentNumber: string }> }
        >('POST', path(referralId, 'change'), {
          household: investigation.household.slice(0, 2),
          incomes: investigation.incomes,
          area: 'rural',
          opinion: '家庭人口减少，变更月保障金',
        });
        // (690 × 2 − 900) + 50 + (50 + 80) = 660.
        expect(changed.currentMonthlyAmount).toBe(660);
        const changeNumber = changed.changes[0]!.documentNumber;
        expect(changeNumber).toMatch(/^临河区民保变〔\d{4}〕000001号$/);
        const changeNotice = await county.call(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}/documents/${encodeURIComponent(changeNumber)}`,
        );
        for (const text of ['变更决定书', changeNumber, '1400 元', '660 元', '行政复议']) {
          expect(changeNotice.text).toContain(text);
        }
        // The window follows the assistance after the grant: the amount in force now.
        const windowChanged = await eventually(async () => {
          const view = await window.ok<CaseView>('GET', `/cases/${caseId}`);
          const r = view.needs[0]!.referral!;
          return r.amount === 660 ? r : undefined;
        });
        expect(windowChanged).toMatchObject({ status: 'completed', outcome: 'granted' });
        await eventually(async () => {
          const page = await api.ok<Page<{ name: string; householdSize: number; monthlyAmount: number }>>(
            'GET',
            `/public/dibao/recipients?villageCode=${JINBU}`,
          );
          const r = page.items.find((x) => x.name === '王*国');
          return r?.monthlyAmount === 660 && r.householdSize === 2 ? r : undefined;
        });

        // 复查 finds the household no longer eligible; 停保 with its numbered notice.
        await window.ok('POST', path(referralId, 'recheck'), {
          date: '2026-12-13',
          findings: '入户复查：儿子定期接济，家庭月人均收入已高于标准',
          conclusion: 'no_longer_eligible',
        });
        const suspended = await county.ok<Step & { suspension: { documentNumber: string } }>(
          'POST',
          path(referralId, 'suspend'),
          { reasons: ['经复查，家庭月人均收入已高于农村低保标准'], opinion: '决定停止保障' },
        );
        expect(suspended.status).toBe('suspended');
        const stopNumber = suspended.suspension.documentNumber;
        expect(stopNumber).toMatch(/^临河区民停保〔\d{4}〕000001号$/);
        const stopNotice = await county.call(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}/documents/${encodeURIComponent(stopNumber)}`,
        );
        for (const text of ['停止保障通知书', stopNumber, number, '高于农村低保标准', '六十日内', '盖章']) {
          expect(stopNotice.text).toContain(text);
        }
        // Off the standing list and off this month's roster.
        await eventually(async () => {
          const page = await api.ok<Page<{ name: string }>>(
            'GET',
            `/public/dibao/recipients?villageCode=${JINBU}`,
          );
          return page.items.some((r) => r.name === '王*国') ? undefined : true;
        });
        const after = await county.call('GET', `/civil-affairs/dibao/rosters/${month}`);
        expect(after.status).toBe(200);
        expect(after.text).not.toContain('王建国');
        // …and the window sees the assistance stopped, with the notice's number.
        const windowStopped = await eventually(async () => {
          const view = await window.ok<CaseView>('GET', `/cases/${caseId}`);
          const r = view.needs[0]!.referral!;
          return r.outcome === 'suspended' ? r : undefined;
        });
        expect(windowStopped.reason).toContain(stopNumber);
      });
    }, 180_000);

    it('refuses another household with its notice; an overdue investigation; no self-approval', async () => {
      await withLogs(async () => {
        await setClock(0);
        const applicant = residentId('15080219800202123');
        const { caseId, referralId } = await openAndAccept(
          [{ name: '赵德胜', idNumber: applicant, relationship: 'applicant' }],
          '务工收入不稳定，申请低保',
        );
        await application(window, caseId);

        // Thirty days on and nobody has visited: the investigation is overdue, here and at the window.
        await setClock(30 * DAY);
        const late = await application(window, caseId, '&overdue=true');
        expect(late.overdue).toContain('investigation');
        const windowSees = await eventually(async () => {
          const view = await window.ok<CaseView>('GET', `/cases/${caseId}`);
          const r = view.needs[0]!.referral!;
          return r.overdue.includes('acknowledge') ? r : undefined;
        });
        expect(windowSees.department).toBe('civil-affairs');
        // Both its deadlines have passed: the webhook hears of each.
        for (const deadline of ['acknowledge', 'decide'])
          expect((await hooked('referral_overdue', caseId, { deadline })).data).toMatchObject({
            department: 'civil-affairs',
            category: 'dibao',
          });

        await window.ok('POST', path(referralId, 'investigation/start'));
        await window.ok('POST', path(referralId, 'investigation'), {
          date: '2026-12-27',
          investigators: ['李春梅', '王强'],
          membersPresent: ['赵德胜'],
          household: [{ name: '赵德胜', idNumber: applicant, relationship: 'applicant' }],
          area: 'rural',
          livingConditions: '独居，砖房三间',
          incomes: [{ source: '务工收入', monthlyAmount: 3000 }],
          assets: [],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
        });
        await window.ok('POST', path(referralId, 'verification'), {
          findings: [{ department: '人力资源和社会保障', findings: '有连续社保缴费记录，月工资约 3000 元' }],
          conclusion: '家庭月人均收入高于当地低保标准',
        });
        await window.ok('POST', path(referralId, 'appraisal/skip'), { reason: '核对结果明确，无需评议' });
        await window.ok('POST', path(referralId, 'township-review'), {
          recommendation: 'reject',
          opinion: '家庭月人均收入高于农村低保标准，不同意纳入保障',
        });
        // A recommendation to refuse goes up without a notice.
        expect((await window.ok<Step>('POST', path(referralId, 'submit'))).status).toBe('county_review');

        // The officer who gave the township's opinion, moved to the county bureau, may not decide it.
        await admin.ok('POST', '/admin/users/u-twp-shuanghe/role', {
          role: 'county_civil_affairs',
          jurisdiction: LINHE,
          reason: '岗位调整（测试）',
        });
        try {
          const moved = api.as(await api.login('shuanghe.window'));
          const self = await moved.call('POST', path(referralId, 'county-review'), {
            recommendation: 'reject',
            opinion: '同意乡镇意见',
          });
          expect(self.status).toBe(409);
          expect(self.body).toMatchObject({ code: 'SELF_APPROVAL' });
          expect((self.body as Refusal).message).toContain('李春梅');
          expect((self.body as Refusal).message).toContain('不能再参与旗县区审批');
          const selfReject = await moved.call('POST', path(referralId, 'reject'), {
            reasons: ['收入高于标准'],
            opinion: '不予保障',
          });
          expect(selfReject.status).toBe(409);
        } finally {
          await admin.ok('POST', '/admin/users/u-twp-shuanghe/role', {
            role: 'township_officer',
            jurisdiction: '150802100000',
            reason: '恢复原岗位（测试）',
          });
          window = api.as(await api.login('shuanghe.window'));
        }

        const rejected = await county.ok<Step>('POST', path(referralId, 'reject'), {
          reasons: ['家庭月人均收入（3000 元）高于临河区农村低保标准（690 元）'],
          opinion: '经审查，不符合最低生活保障条件',
        });
        expect(rejected.status).toBe('rejected');
        const number = rejected.decision!.documentNumber;
        expect(number).toMatch(/^临河区民不保〔\d{4}〕000001号$/);
        const notice = await county.call(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}/documents/${encodeURIComponent(number)}`,
        );
        for (const text of [
          '不予保障通知书',
          number,
          '高于临河区农村低保标准',
          '六十日内',
          '六个月内',
          '行政诉讼',
          '盖章',
        ]) {
          expect(notice.text).toContain(text);
        }
        const missing = await county.call(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}/documents/${encodeURIComponent('临河区民保决〔2026〕999999号')}`,
        );
        expect(missing.status).toBe(404);

        const refused = await eventually(async () => {
          const view = await window.ok<CaseView>('GET', `/cases/${caseId}`);
          const r = view.needs[0]!.referral!;
          return r.status === 'completed' ? r : undefined;
        });
        expect(refused).toMatchObject({ outcome: 'not_eligible' });
        expect(refused.reason).toContain('高于临河区农村低保标准');

        // Another township's officer sees none of it; the public cannot object to a decided application.
        const other = api.as(await api.login('longxing.window'));
        expect((await other.call('GET', `/civil-affairs/dibao/applications/${referralId}`)).status).toBe(403);
        const closed = await api.call('POST', '/public/dibao/objections', {
          applicationId: referralId,
          content: '异议',
        });
        expect(closed.status).toBe(409);
        expect((closed.body as Refusal).message).toContain('不在公示期内');
      });
    }, 180_000);
    it('flags a staff member’s relative: visited at home and filed before approval', async () => {
      await withLogs(async () => {
        await setClock(0);
        const applicant = residentId('15080219620707123');
        // The village committee's director has filed his sister as a close relative (经办人员及近亲属备案).
        await county.ok(
          'POST',
          '/civil-affairs/staff-filings',
          {
            staff: {
              name: '张德明',
              idNumber: residentId('15080219600606123'),
              kind: 'cadre',
              position: '村委会主任',
              organisation: '进步村村民委员会',
              jurisdictionCode: JINBU,
            },
            relatives: [{ name: '张德华', idNumber: applicant, relationship: 'sibling' }],
          },
          201,
        );
        const { caseId, referralId } = await openAndAccept(
          [{ name: '张德华', idNumber: applicant, relationship: 'applicant' }],
          '独居，患慢性病，无固定收入',
        );
        const flagged = await application(county, caseId, '&staffRelative=true');
        expect(flagged.staffRelative).toBe(true);
        const detail = await county.ok<{ staffMatches: Array<{ staffName: string; relationship: string }> }>(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}`,
        );
        expect(detail.staffMatches).toEqual([
          expect.objectContaining({ staffName: '张德明', relationship: 'sibling' }),
        ]);

        await window.ok('POST', path(referralId, 'investigation/start'));
        await window.ok('POST', path(referralId, 'investigation'), {
          date: '2026-11-27',
          investigators: ['李春梅', '王强'],
          membersPresent: ['张德华'],
          household: [
            { name: '张德华', idNumber: applicant, relationship: 'applicant', seriousIllness: true },
          ],
          area: 'rural',
          livingConditions: '独居，平房一间',
          incomes: [{ source: '零工', monthlyAmount: 200 }],
          assets: [],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
        });
        await window.ok('POST', path(referralId, 'verification'), {
          findings: [{ department: '民政', findings: '无其他救助' }],
          conclusion: '符合规定',
        });
        await window.ok('POST', path(referralId, 'appraisal/skip'), { reason: '申请人情况清楚，无需评议' });
        await window.ok('POST', path(referralId, 'township-review'), {
          recommendation: 'approve',
          opinion: '符合农村低保条件（村干部近亲属，已提请备案）',
        });
        await window.ok('POST', path(referralId, 'first-notice'));
        await setClock(8 * DAY);
        const submitted = await window.ok<Step>('POST', path(referralId, 'submit'));
        expect(submitted.spotCheckSample).toMatchObject({ sampled: true, reason: 'staff_relative' });
        await county.ok('POST', path(referralId, 'county-review'), {
          recommendation: 'approve',
          opinion: '同意',
        });
        await county.ok('POST', path(referralId, 'spot-check'), {
          visitDate: '2026-12-05',
          visitors: ['刘海燕', '赵敏'],
          findings: '入户核查属实',
          confirmed: true,
        });
        await county.ok('POST', path(referralId, 'second-notice'));
        await setClock(16 * DAY);
        const unfiled = await county.call('POST', path(referralId, 'approve'), { opinion: '同意' });
        expect(unfiled.status).toBe(409);
        expect(unfiled.body).toMatchObject({ code: 'FILING_REQUIRED' });
        expect((unfiled.body as Refusal).message).toContain('备案');
        await county.ok('POST', path(referralId, 'staff-relative-filing'), {
          note: '村委会主任张德明之妹，已按规定备案，入户核查属实',
        });
        const approved = await county.ok<Step>('POST', path(referralId, 'approve'), { opinion: '同意' });
        // 690 − 200, plus 100 for a serious illness and 50 for being over 60; the county's second approval this year.
        expect(approved.decision).toMatchObject({ monthlyAmount: 640 });
        expect(approved.decision!.documentNumber).toMatch(/^临河区民保决〔\d{4}〕000002号$/);
      });
    }, 180_000);

    it('sends an application back to the township when an objection is upheld', async () => {
      await withLogs(async () => {
        await setClock(0);
        const applicant = residentId('15080219700808123');
        const { caseId, referralId } = await openAndAccept(
          [{ name: '钱玉芬', idNumber: applicant, relationship: 'applicant' }],
          '丧偶独居，无固定收入',
        );
        await application(window, caseId);
        await window.ok('POST', path(referralId, 'investigation/start'));
        await window.ok('POST', path(referralId, 'investigation'), {
          date: '2026-11-27',
          investigators: ['李春梅', '王强'],
          membersPresent: ['钱玉芬'],
          household: [{ name: '钱玉芬', idNumber: applicant, relationship: 'applicant' }],
          area: 'rural',
          livingConditions: '独居，平房两间',
          incomes: [{ source: '零工', monthlyAmount: 300 }],
          assets: [],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
        });
        await window.ok('POST', path(referralId, 'verification'), {
          findings: [{ department: '民政', findings: '无其他救助' }],
          conclusion: '符合规定',
        });
        await window.ok('POST', path(referralId, 'appraisal/skip'), { reason: '情况清楚，无需评议' });
        await window.ok('POST', path(referralId, 'township-review'), {
          recommendation: 'approve',
          opinion: '符合农村低保条件',
        });
        await window.ok('POST', path(referralId, 'first-notice'));
        const objected = await api.ok<{ reference: string }>(
          'POST',
          '/public/dibao/objections',
          { applicationId: referralId, content: '申请人在县城有一套商品房出租', contact: '13904780099' },
          201,
        );
        const detail = await county.ok<{ objections: Array<{ objectionId: string; reference: string }> }>(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}`,
        );
        const objection = detail.objections.find((o) => o.reference === objected.reference)!;
        const upheld = await county.ok<Step & { objections: Array<{ status: string }> }>(
          'POST',
          path(referralId, `objections/${objection.objectionId}/decision`),
          {
            result: 'upheld',
            next: 'township_review',
            opinion: '经复核，申请人名下确有房产出租，退回乡镇重新审核',
          },
        );
        expect(upheld).toMatchObject({ status: 'township_review', paused: false });
        expect(upheld.objections[0]!.status).toBe('upheld');
        // The township reviews again, from the start of its step: submitting the old opinion is refused.
        const again = await window.call('POST', path(referralId, 'submit'));
        expect(again.status).toBe(409);
        expect((again.body as Refusal).code).toBe('REVIEW_REQUIRED');
        // Oversight's ledger records the objection and its upholding, without what the objector wrote.
        const timeline = await eventually(async () => {
          const t = await auditor.ok<{ items: Array<{ type: string; data: Record<string, unknown> }> }>(
            'GET',
            `/cases/${caseId}/timeline?pageSize=500&department=civil-affairs`,
          );
          return t.items.some((e) => e.type === 'civil-affairs.DibaoObjectionDecided') ? t : undefined;
        });
        const decided = timeline.items.find((e) => e.type === 'civil-affairs.DibaoObjectionDecided')!;
        expect(decided.data).toMatchObject({ result: 'upheld', next: 'township_review' });
        expect(JSON.stringify(timeline.items)).not.toContain('商品房');
      });
    }, 180_000);

    it('ends at the township where the county delegated the decision (审核确认权限下放)', async () => {
      await withLogs(async () => {
        await setClock(0);
        // 五原县 delegates from today; its standards are recorded.
        const current = await admin.ok<{ content: Record<string, unknown> }>(
          'GET',
          '/admin/policy/dibao-procedure',
        );
        await admin.ok(
          'POST',
          '/admin/policy/dibao-procedure',
          {
            content: { ...current.content, townshipConfirmationCounties: [WUYUAN] },
            effectiveFrom: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
            reason: '五原县人民政府关于将低保审核确认权限下放乡镇（街道）的通知',
          },
          201,
        );
        await admin.ok(
          'POST',
          '/admin/policy/allowance-standards',
          {
            content: {
              [LINHE]: { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
              [WUYUAN]: { urbanDibaoMonthly: 820, ruralDibaoMonthly: 650, specialHardshipMonthly: 1066 },
            },
            effectiveFrom: '2026-01-01',
            reason: '补录五原县 2026 年城乡最低生活保障标准',
          },
          201,
        );
        // A second officer at 隆兴昌镇: the one who accepts and reviews may not also decide.
        await admin.ok(
          'POST',
          '/admin/users',
          {
            username: `longxing.second.${deployment}`,
            name: '周晓梅',
            role: 'township_officer',
            jurisdiction: LONGXING,
            initialPassword: 'Chushi#Mima2026',
          },
          201,
        );
        const first = await api.ok<{ accessToken: string }>('POST', '/auth/login', {
          username: `longxing.second.${deployment}`,
          password: 'Chushi#Mima2026',
        });
        const changed = await api
          .as(first.accessToken)
          .ok<{ accessToken: string }>('POST', '/auth/password', {
            oldPassword: 'Chushi#Mima2026',
            newPassword: 'Longxing#Confirm2026',
          });
        const decider = api.as(changed.accessToken);
        const longxing = api.as(await api.login('longxing.window'));
        const lianfeng = api.as(await api.login('lianfeng.village'));
        const wuyuan = api.as(await api.login('wuyuan.civil'));
        // The civil-affairs process reads policy changes every few hundred milliseconds.
        await new Promise((r) => setTimeout(r, 1500));

        const applicant = residentId('15082119650303123');
        const opened = await longxing.ok<{ caseId: string }>(
          'POST',
          '/cases',
          {
            channel: 'window',
            villageCode: LIANFENG,
            household: [{ name: '孙秀英', idNumber: applicant, relationship: 'applicant' }],
            needs: [{ category: 'dibao', description: '独居老人，无固定收入' }],
            consentToShare: true,
          },
          201,
        );
        const accepted = await longxing.ok<CaseView>('POST', `/cases/${opened.caseId}/accept`);
        const referralId = accepted.needs[0]!.referral!.referralId;
        await application(longxing, opened.caseId);
        const detail = await longxing.ok<{ decidedBy: string; decidedByName: string }>(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}`,
        );
        expect(detail).toMatchObject({
          decidedBy: 'township',
          decidedByName: expect.stringContaining('权限下放'),
        });

        await longxing.ok('POST', path(referralId, 'investigation/start'));
        await lianfeng.ok('POST', path(referralId, 'investigation'), {
          date: '2026-11-27',
          investigators: ['王丽', '高志强'],
          membersPresent: ['孙秀英'],
          household: [{ name: '孙秀英', idNumber: applicant, relationship: 'applicant' }],
          area: 'rural',
          livingConditions: '独居，土房两间',
          incomes: [{ source: '养老金', monthlyAmount: 250 }],
          assets: [],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
        });
        await longxing.ok('POST', path(referralId, 'verification'), {
          findings: [{ department: '民政', findings: '无其他救助' }],
          conclusion: '符合规定',
        });
        await longxing.ok('POST', path(referralId, 'appraisal/skip'), { reason: '情况清楚，无需评议' });
        await longxing.ok('POST', path(referralId, 'township-review'), {
          recommendation: 'approve',
          opinion: '符合农村低保条件',
        });
        await longxing.ok('POST', path(referralId, 'first-notice'));
        await setClock(8 * DAY);
        // One notice, no submission; the county does not decide; the reviewer may not decide either.
        const submit = await longxing.call('POST', path(referralId, 'submit'));
        expect(submit.status).toBe(409);
        expect((submit.body as Refusal).code).toBe('TOWNSHIP_CONFIRMS');
        expect((await wuyuan.call('POST', path(referralId, 'approve'), { opinion: '同意' })).status).toBe(
          403,
        );
        const self = await longxing.call('POST', path(referralId, 'approve'), { opinion: '同意' });
        expect(self.status).toBe(409);
        expect((self.body as Refusal).message).toContain('乡镇（街道）审核确认');

        const approved = await decider.ok<Step>('POST', path(referralId, 'approve'), {
          opinion: '经审核确认，同意纳入农村最低生活保障',
        });
        // (650 − 250) × 1, plus 50 for being over 60.
        expect(approved).toMatchObject({ status: 'granted', decision: { monthlyAmount: 450 } });
        const number = approved.decision!.documentNumber;
        expect(number).toMatch(/^五原县民保决〔\d{4}〕000001号$/);
        const notice = await decider.call(
          'GET',
          `/civil-affairs/dibao/applications/${referralId}/documents/${encodeURIComponent(number)}`,
        );
        for (const text of ['最低生活保障决定书', '隆兴昌镇人民政府', '乡镇（街道）审核确认', '450 元']) {
          expect(notice.text).toContain(text);
        }
        expect(notice.text).not.toContain('五原县民政局');
        const granted = await eventually(async () => {
          const view = await longxing.ok<CaseView>('GET', `/cases/${opened.caseId}`);
          const r = view.needs[0]!.referral!;
          return r.status === 'completed' ? r : undefined;
        });
        expect(granted).toMatchObject({ outcome: 'granted', amount: 450 });
      });
    }, 180_000);
  },
);
