import { randomUUID } from 'node:crypto';
import { schemaOf } from '@platform/contracts';
import { PostgresEventStore, type EventMetadata } from '@platform/event-store';
import { eventually, requireDatabaseUrl, uniqueName } from '@platform/testing';
import pg from 'pg';
import { Api, openedRows, residentId, startService, type RunningService } from './harness.js';

interface ErrorBody {
  code: string;
  message: string;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface RenovationView {
  projectId: string;
  status: string;
  statusName: string;
  household: { headName: string; headIdNumber: string; memberIdNumbers: string[] };
  villageName: string;
  categoryName: string;
  refusal: { reasons: string[] } | null;
  approval: {
    measureName: string;
    subsidyYuan: number;
    documentNumber: string;
    approvedByName: string;
  } | null;
  inspections: Array<{ passed: boolean; resultName: string }>;
  payment: { amountYuan: number; paidOn: string } | null;
}
interface ApplicationView {
  applicationId: string;
  status: string;
  statusName: string;
  categoryName: string;
  position: number | null;
  waiting: number;
  allocation: { unitId: string; allocatedOn: string } | null;
}
interface WaitingItem {
  position: number;
  applicationId: string;
  headName: string;
  headIdNumber: string;
  categoryName: string;
  priority: boolean;
}
interface SubsidyView {
  grantId: string;
  statusName: string;
  householdSize: number;
  months: Array<{ month: string; amountYuan: number }>;
  paidTotalYuan: number;
  reviewDueFrom: string;
}
interface RegisterItem {
  programme: string;
  programmeName: string;
  headName: string;
  headIdNumber: string;
  memberIdNumbers: string[];
  amountYuan: number;
  date: string;
  month: string | null;
  subjectId: string;
  jurisdictionName: string;
}

const MASKED = /^\d{6}\*{8}\d{3}[\dX]$/;
const LINHE = '150802000000';
const WUYUAN = '150821000000';
const JINBU = '150802100201'; // 临河区双河镇进步村
const TIELU = '150802001001'; // 临河区车站街道铁路社区
const LIANFENG = '150821100201'; // 五原县隆兴昌镇联丰村

let seq = 0;
/** A fresh valid resident ID born in 1970–1979 in 临河区. */
const id = () => residentId(`150802197${seq % 10}0202${String(100 + ++seq).slice(-3)}`);
const household = (headName: string, size: number) => {
  const members = Array.from({ length: size }, id);
  return { headName, headIdNumber: members[0]!, memberIdNumbers: members };
};

/**
 * Housing assistance (住房救助) over HTTP, through apps/platform on the event-log transport: a dangerous
 * house renovated and its subsidy paid, the public rental waiting list ordered by civil affairs' category
 * facts, a rental subsidy paid month by month, the register and its lookup, a household verification
 * answered from the register; Chinese refusals naming the field; another county's officer refused.
 */
interface CaseItem {
  id: string;
  statusName: string;
  headName: string;
  headIdNumber: string;
  householdSize: number;
  jurisdictionName: string;
  gradeName: string | null;
  approvedYuan: number | null;
  paidYuan: number;
  reviewDueFrom: string | null;
  lastPaidMonth: string | null;
  openedOn: string;
  updatedAt: string;
}

describe('housing assistance, end to end', () => {
  let platform: RunningService;
  let db: pg.Pool;
  let civilAffairs: PostgresEventStore;
  let prefix: string;
  let api: Api;
  let today: string;
  const who: Record<string, Api> = {};

  /** What civil affairs would publish, written to its log as its relay would find it. */
  async function civilAffairsPublishes(stream: string, type: string, data: Record<string, unknown>) {
    const metadata: EventMetadata = {
      actor: {
        id: 'u-ca-linhe',
        role: 'county_civil_affairs',
        department: 'civil-affairs',
        jurisdiction: LINHE,
      },
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
    };
    await civilAffairs.appendToStream(stream, [{ type, data, metadata }], { expectedVersion: 'any' });
  }

  beforeAll(async () => {
    prefix = uniqueName('hs');
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
      // Only to read the service's clock (GET /admin/clock): the day every date of the flow is counted from.
      CLOCK_CONTROL: 'true',
    });
    db = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 2 });
    civilAffairs = new PostgresEventStore({ pool: db, schema: schemaOf('civil-affairs', prefix) });
    api = new Api(platform.url);
    for (const user of ['linhe.housing', 'linhe.health', 'city.auditor', 'admin']) {
      who[user] = api.as(await api.login(user));
    }
    // 五原县 has no demo housing officer: the administrator creates one, who sets a password.
    await who.admin!.ok(
      'POST',
      '/admin/users',
      {
        username: 'e2e.wuyuan.housing',
        name: '赵海军',
        role: 'housing_officer',
        jurisdiction: WUYUAN,
        initialPassword: 'Chushi#Mima2026',
      },
      201,
    );
    const first = await api.ok<{ accessToken: string }>('POST', '/auth/login', {
      username: 'e2e.wuyuan.housing',
      password: 'Chushi#Mima2026',
    });
    const changed = await api.as(first.accessToken).ok<{ accessToken: string }>('POST', '/auth/password', {
      oldPassword: 'Chushi#Mima2026',
      newPassword: 'Wode#Xinmima2026',
    });
    who['wuyuan.housing'] = api.as(changed.accessToken);
    const clock = await who.admin!.ok<{ now: string }>('GET', '/admin/clock');
    today = new Date(Date.parse(clock.now) + 8 * 3600_000).toISOString().slice(0, 10);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.end();
  });

  const farmer = household('王建军', 3);
  let projectId = '';

  it('renovates a D-grade house: approved at the table’s subsidy, works inspected twice, paid once', async () => {
    const officer = who['linhe.housing']!;
    const appraised = await officer.ok<RenovationView>(
      'POST',
      '/housing/renovations',
      {
        household: farmer,
        villageCode: JINBU,
        address: '临河区双河镇进步村三组 12 号',
        category: 'low_income_margin',
        appraisal: {
          grade: 'D',
          appraisedOn: '2026-04-08',
          organisation: '临河区房屋安全鉴定站',
          reportNumber: 'JD-2026-031',
          findings: '承重墙体开裂，屋架腐朽，整体危险',
        },
      },
      201,
    );
    projectId = appraised.projectId;
    expect(appraised).toMatchObject({
      status: 'appraised',
      statusName: '已鉴定，待审批',
      categoryName: '低保边缘家庭',
    });
    expect(appraised.villageName).toContain('进步村');
    expect(appraised.household.headIdNumber).toMatch(MASKED);

    const base = `/housing/renovations/${projectId}`;
    const approved = await officer.ok<RenovationView>('POST', `${base}/approval`, {
      documentNumber: '临住建改〔2026〕031号',
    });
    expect(approved.approval).toMatchObject({
      measureName: '拆除重建',
      subsidyYuan: 40_000,
      documentNumber: '临住建改〔2026〕031号',
      approvedByName: expect.any(String),
    });
    // Paid only after a passed inspection.
    const early = await officer.call('POST', `${base}/payment`, { paymentReference: 'BF-1', paidOn: today });
    expect(early.status).toBe(409);
    expect((early.body as ErrorBody).message).toContain('须先竣工验收合格');

    await officer.ok('POST', `${base}/start`, { startedOn: today });
    await officer.ok('POST', `${base}/completion`, { completedOn: today });
    const tooFew = await officer.call('POST', `${base}/acceptance`, {
      inspectedOn: today,
      passed: true,
      inspectors: ['张工'],
      findings: '合格',
    });
    expect(tooFew.status).toBe(422);
    expect((tooFew.body as ErrorBody).message).toMatch(/^inspectors：竣工验收须由不少于 2 人进行/);
    const failed = await officer.ok<RenovationView>('POST', `${base}/acceptance`, {
      inspectedOn: today,
      passed: false,
      inspectors: ['张工', '李工'],
      findings: '屋面防水未完成',
    });
    expect(failed).toMatchObject({ status: 'rectifying', statusName: '验收未通过，整改中' });
    await officer.ok('POST', `${base}/completion`, { completedOn: today });
    await officer.ok('POST', `${base}/acceptance`, {
      inspectedOn: today,
      passed: true,
      inspectors: ['张工', '李工'],
      findings: '整改完成，合格',
    });
    const paid = await officer.ok<RenovationView>('POST', `${base}/payment`, {
      paymentReference: 'BF-2026-1127-01',
      paidOn: today,
    });
    expect(paid).toMatchObject({ status: 'paid', payment: { amountYuan: 40_000, paidOn: today } });
    expect(paid.inspections.map((i) => i.resultName)).toEqual(['验收不合格，整改', '验收合格']);
    // The confirmation delivered twice pays once.
    await officer.ok('POST', `${base}/payment`, { paymentReference: 'BF-2026-1127-01', paidOn: today });

    // The detail view shows full ID numbers (and is recorded).
    const detail = await officer.ok<RenovationView>(
      'GET',
      `${base}?purpose=${encodeURIComponent('补助拨付核对')}`,
    );
    expect(detail.household.memberIdNumbers).toEqual(farmer.memberIdNumbers);
  });

  it('refuses an A-grade house with the reason, and bad input in Chinese naming the field', async () => {
    const officer = who['linhe.housing']!;
    const refused = await officer.ok<RenovationView>(
      'POST',
      '/housing/renovations',
      {
        household: household('李桂花', 1),
        villageCode: JINBU,
        address: '进步村五组 3 号',
        appraisal: {
          grade: 'A',
          appraisedOn: '2026-04-08',
          organisation: '临河区房屋安全鉴定站',
          reportNumber: 'JD-2026-032',
          findings: '结构安全',
        },
      },
      201,
    );
    expect(refused.status).toBe('refused');
    expect(refused.refusal!.reasons.join('；')).toContain('不属于危房');

    const bad = await officer.call('POST', '/housing/renovations', {
      household: household('李桂花', 1),
      villageCode: JINBU,
      address: '进步村五组 3 号',
      category: 'dibao',
      appraisal: {
        grade: 'E',
        appraisedOn: '2026-04-31',
        organisation: '站',
        reportNumber: 'x',
        findings: 'x',
      },
    });
    expect(bad.status).toBe(422);
    const message = (bad.body as ErrorBody).message;
    expect(message).toContain('appraisal.grade（鉴定等级应为 A、B、C、D 之一）');
    // Dibao and special hardship are civil affairs' to certify, not the officer's to declare.
    expect(message).toContain('category（家庭类别应为');
    expect(message).toContain('低保、特困以民政部门认定为准');

    const badDay = await officer.call('POST', '/housing/renovations', {
      household: household('李桂花', 1),
      villageCode: JINBU,
      address: '进步村五组 3 号',
      appraisal: {
        grade: 'C',
        appraisedOn: '2026-04-31',
        organisation: '站',
        reportNumber: 'x',
        findings: 'x',
      },
    });
    expect(badDay.status).toBe(422);
    expect(badDay.body).toMatchObject({ code: 'DATE_INVALID' });
    expect((badDay.body as ErrorBody).message).toBe(
      'appraisal.appraisedOn：鉴定日期应为有效日期（YYYY-MM-DD）',
    );

    const town = await officer.call('POST', '/housing/renovations', {
      household: household('李桂花', 1),
      villageCode: '150802100000',
      address: '双河镇',
      appraisal: {
        grade: 'C',
        appraisedOn: '2026-04-08',
        organisation: '站',
        reportNumber: 'x',
        findings: 'x',
      },
    });
    expect(town.status).toBe(422);
    expect((town.body as ErrorBody).message).toMatch(/^villageCode：150802100000 不是已登记的村/);
  });

  const early = household('张福', 2);
  const later = household('刘秀兰', 3);

  it('puts a dibao household first on the waiting list once civil affairs says so, and allocates only to the first', async () => {
    const officer = who['linhe.housing']!;
    const base = `/housing/public-rental/${LINHE}`;
    const a = await officer.ok<ApplicationView>(
      'POST',
      `${base}/applications`,
      { household: early, jurisdictionCode: TIELU, appliedOn: '2025-03-01' },
      201,
    );
    const b = await officer.ok<ApplicationView>(
      'POST',
      `${base}/applications`,
      { household: later, jurisdictionCode: TIELU, category: 'low_income_margin', appliedOn: '2026-05-01' },
      201,
    );
    expect(a).toMatchObject({
      status: 'waiting',
      statusName: '轮候中',
      position: 1,
      categoryName: '其他家庭',
    });
    expect(b).toMatchObject({ position: 2, waiting: 2, categoryName: '低保边缘家庭' });

    // Civil affairs grants dibao to a household with one of b's members.
    await civilAffairsPublishes(`dibao-${randomUUID()}`, 'civil-affairs.RecipientCategoryChanged', {
      householdId: randomUUID(),
      countyCode: LINHE,
      memberIdNumbers: [later.memberIdNumbers[1]],
      removedIdNumbers: [],
      category: 'dibao',
      effectiveFrom: '2026-06-01',
      reason: 'granted',
      at: new Date().toISOString(),
    });
    const line = await eventually(
      async () => {
        const page = await officer.ok<Page<WaitingItem>>('GET', `${base}/waiting-list`);
        return page.items[0]?.applicationId === b.applicationId ? page : undefined;
      },
      { what: 'the dibao household first in line', timeoutMs: 15_000 },
    );
    expect(line.items.map((i) => [i.position, i.headName, i.categoryName, i.priority])).toEqual([
      [1, '刘秀兰', '低保家庭', true],
      [2, '张福', '其他家庭', false],
    ]);
    expect(line.items.every((i) => MASKED.test(i.headIdNumber))).toBe(true);
    // On a day before the grant the order was by application date.
    const before = await officer.ok<Page<WaitingItem>>('GET', `${base}/waiting-list?day=2026-05-15`);
    expect(before.items.map((i) => i.headName)).toEqual(['张福', '刘秀兰']);

    const unit = {
      unitId: 'GZF-3-502',
      address: '临河区新华街公租房小区 3 号楼 502',
      bedrooms: 2,
      areaM2: 58.5,
    };
    const jump = await officer.call('POST', `${base}/applications/${a.applicationId}/allocation`, {
      unit,
      allocatedOn: today,
      documentNumber: '临住配〔2026〕3号',
    });
    expect(jump.status).toBe(409);
    expect((jump.body as ErrorBody).message).toContain('排在首位的是刘秀兰家');
    const allocated = await officer.ok<ApplicationView>(
      'POST',
      `${base}/applications/${b.applicationId}/allocation`,
      {
        unit,
        allocatedOn: today,
        documentNumber: '临住配〔2026〕3号',
      },
    );
    expect(allocated).toMatchObject({
      status: 'allocated',
      statusName: '已配租',
      allocation: { unitId: 'GZF-3-502' },
    });
    const rest = await officer.ok<Page<WaitingItem>>('GET', `${base}/waiting-list?page=1&pageSize=10`);
    expect(rest).toMatchObject({ total: 1, page: 1, pageSize: 10 });
  });

  const tenant = household('陈玉梅', 3);

  it('pays a rental subsidy month by month at the amount for the household’s size, never ahead of time', async () => {
    const officer = who['linhe.housing']!;
    const granted = await officer.ok<SubsidyView>(
      'POST',
      '/housing/rental-subsidies',
      {
        household: tenant,
        jurisdictionCode: TIELU,
        category: 'low_income_margin',
        firstMonth: '2026-09',
        documentNumber: '临住补〔2026〕301号',
      },
      201,
    );
    expect(granted).toMatchObject({ statusName: '发放中', householdSize: 3, reviewDueFrom: '2027-09' });
    const base = `/housing/rental-subsidies/${granted.grantId}/payments`;
    for (const month of ['2026-09', '2026-10', '2026-11']) {
      await officer.ok('POST', base, { month, paymentReference: `FF-${month}`, paidOn: `${month}-10` });
    }
    const ahead = await officer.call('POST', base, {
      month: '2026-12',
      paymentReference: 'FF-2026-12',
      paidOn: today,
    });
    expect(ahead.status).toBe(422);
    expect((ahead.body as ErrorBody).message).toBe('month：不能预发 2026-12 的租赁补贴');
    const badMonth = await officer.call('POST', base, {
      month: '2026-13',
      paymentReference: 'x',
      paidOn: today,
    });
    expect(badMonth.status).toBe(422);
    expect((badMonth.body as ErrorBody).message).toContain('month（发放月份格式应为 YYYY-MM）');
    const view = await officer.ok<SubsidyView>('GET', `/housing/rental-subsidies/${granted.grantId}`);
    expect(view.months).toEqual([
      { month: '2026-09', amountYuan: 400, paymentReference: 'FF-2026-09' },
      { month: '2026-10', amountYuan: 400, paymentReference: 'FF-2026-10' },
      { month: '2026-11', amountYuan: 400, paymentReference: 'FF-2026-11' },
    ]);
    expect(view.paidTotalYuan).toBe(1_200);
  });

  it('keeps the register of assistance given: listed by jurisdiction a page at a time, looked up by any member', async () => {
    const officer = who['linhe.housing']!;
    const page = await eventually(
      async () => {
        const p = await officer.ok<Page<RegisterItem>>('GET', '/housing/register?pageSize=10');
        return p.total === 5 ? p : undefined;
      },
      { what: 'five register entries', timeoutMs: 15_000 },
    );
    expect(page.items.map((i) => [i.programmeName, i.headName, i.amountYuan, i.month]).sort()).toEqual(
      [
        ['农村危房改造补助', '王建军', 40_000, null],
        ['公共租赁住房实物配租', '刘秀兰', 0, null],
        ['租赁补贴', '陈玉梅', 400, '2026-09'],
        ['租赁补贴', '陈玉梅', 400, '2026-10'],
        ['租赁补贴', '陈玉梅', 400, '2026-11'],
      ].sort(),
    );
    expect(page.items.every((i) => MASKED.test(i.headIdNumber))).toBe(true);
    const second = await officer.ok<Page<RegisterItem>>(
      'GET',
      '/housing/register?programme=rental_subsidy&page=2&pageSize=2',
    );
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.items).toHaveLength(1);

    // Found through a member who is not the head; ID numbers in full.
    const found = await officer.ok<{ items: RegisterItem[] }>('POST', '/housing/register/lookup', {
      idNumbers: [farmer.memberIdNumbers[2], tenant.memberIdNumbers[1]],
      purpose: '低保申请家庭经济状况核对',
    });
    expect(found.items.map((i) => [i.programme, i.headIdNumber])).toEqual([
      ['rental_subsidy', tenant.headIdNumber],
      ['rental_subsidy', tenant.headIdNumber],
      ['rental_subsidy', tenant.headIdNumber],
      ['house_renovation', farmer.headIdNumber],
    ]);
    expect(found.items.at(-1)!.memberIdNumbers).toEqual(farmer.memberIdNumbers);
    const badId = await officer.call('POST', '/housing/register/lookup', { idNumbers: ['1508021970010112'] });
    expect(badId.status).toBe(422);
    expect((badId.body as ErrorBody).message).toContain('idNumbers');
  });

  it('lists the projects and the rental subsidies of the officer’s jurisdiction, masked, as they stand now', async () => {
    const officer = who['linhe.housing']!;
    const paid = await eventually(
      async () => {
        const p = await officer.ok<Page<CaseItem>>('GET', '/housing/renovations?status=paid');
        return p.total === 1 ? p : undefined;
      },
      { what: 'the paid project listed', timeoutMs: 15_000 },
    );
    expect(paid.items[0]).toMatchObject({
      id: projectId,
      statusName: '补助已拨付',
      headName: '王*军',
      householdSize: 3,
      gradeName: expect.stringMatching(/^D级/),
      approvedYuan: 40_000,
      paidYuan: 40_000,
      openedOn: '2026-04-08',
    });
    expect(paid.items[0]!.headIdNumber).toMatch(MASKED);
    expect(paid.items[0]!.jurisdictionName).toContain('进步村');
    expect(paid.items[0]!.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const refused = await officer.ok<Page<CaseItem>>(
      'GET',
      `/housing/renovations?status=refused&head=${encodeURIComponent('李桂')}`,
    );
    expect(refused.items.map((i) => i.statusName)).toContain('不予改造');
    const byId = await officer.ok<Page<CaseItem>>('GET', `/housing/renovations?head=${farmer.headIdNumber}`);
    expect(byId.items.map((i) => i.id)).toEqual([projectId]);

    const grants = await officer.ok<Page<CaseItem>>('GET', '/housing/rental-subsidies?pageSize=1');
    expect(grants).toMatchObject({ total: 1, page: 1, pageSize: 1 });
    expect(grants.items[0]).toMatchObject({
      statusName: '发放中',
      headName: '陈*梅',
      paidYuan: 1_200,
      lastPaidMonth: '2026-11',
      reviewDueFrom: '2027-09',
    });

    const bad = await officer.call('GET', '/housing/renovations?status=finished');
    expect(bad.status).toBe(422);
    expect((bad.body as ErrorBody).message).toMatch(/status（状态应为 .*paid（补助已拨付）/);
    // 五原县's officer sees none of 临河区's, and may not ask for it by place.
    const wuyuan = who['wuyuan.housing']!;
    expect((await wuyuan.ok<Page<CaseItem>>('GET', '/housing/rental-subsidies')).total).toBe(0);
    const other = await wuyuan.call('GET', `/housing/renovations?jurisdictionCode=${LINHE}`);
    expect(other.status).toBe(403);
    // Other departments may not list them; the auditor reads every county's.
    expect((await who['linhe.health']!.call('GET', '/housing/renovations')).status).toBe(403);
    const audited = await who['city.auditor']!.ok<Page<CaseItem>>('GET', '/housing/renovations?status=paid');
    expect(audited.items.map((i) => i.id)).toEqual([projectId]);
  });

  it('refuses an officer of another county, and roles other than housing', async () => {
    const wuyuan = who['wuyuan.housing']!;
    const view = await wuyuan.call('GET', `/housing/renovations/${projectId}`);
    expect(view.status).toBe(403);
    expect(view.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
    expect((view.body as ErrorBody).message).toContain('不在您的辖区');
    const act = await wuyuan.call('POST', `/housing/renovations/${projectId}/approval`, {
      documentNumber: 'x',
    });
    expect(act.status).toBe(403);
    const list = await wuyuan.call('GET', `/housing/public-rental/${LINHE}/waiting-list`);
    expect(list.status).toBe(403);
    const appraise = await wuyuan.call('POST', '/housing/renovations', {
      household: household('周强', 1),
      villageCode: JINBU,
      address: '进步村',
      appraisal: {
        grade: 'C',
        appraisedOn: '2026-04-08',
        organisation: '站',
        reportNumber: 'x',
        findings: 'x',
      },
    });
    expect(appraise.status).toBe(403);
    // Their own county's register has none of 临河区's entries, and the lookup sees none either.
    expect((await wuyuan.ok<Page<RegisterItem>>('GET', '/housing/register')).total).toBe(0);
    const lookup = await wuyuan.ok<{ items: unknown[] }>('POST', '/housing/register/lookup', {
      idNumbers: [farmer.headIdNumber],
    });
    expect(lookup.items).toEqual([]);
    // In 五原县 they work as usual.
    await wuyuan.ok(
      'POST',
      '/housing/renovations',
      {
        household: household('周强', 1),
        villageCode: LIANFENG,
        address: '五原县隆兴昌镇联丰村',
        appraisal: {
          grade: 'C',
          appraisedOn: '2026-04-08',
          organisation: '站',
          reportNumber: 'x',
          findings: '局部危险',
        },
      },
      201,
    );

    const health = await who['linhe.health']!.call('POST', `/housing/renovations/${projectId}/approval`, {
      documentNumber: 'x',
    });
    expect(health.status).toBe(403);
    // Auditors read everything.
    expect((await who['city.auditor']!.ok<Page<RegisterItem>>('GET', '/housing/register')).total).toBe(5);
  });

  it('answers civil affairs’ household verification from the register', async () => {
    const verificationId = randomUUID();
    await civilAffairsPublishes(`verification-${verificationId}`, 'civil-affairs.VerificationRequested', {
      verificationId,
      caseId: null,
      applicationId: null,
      countyCode: LINHE,
      members: [
        { idNumber: farmer.memberIdNumbers[1], relationship: '配偶' },
        { idNumber: tenant.headIdNumber, relationship: '本人' },
        { idNumber: id(), relationship: '子女' },
      ],
      authorisation: { reference: 'SQ-2026-001', signedOn: '2026-11-20' },
      asOf: today,
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      at: new Date().toISOString(),
    });
    const answer = await eventually(
      async () => {
        const { rows } = await db.query<{ data: { answer: unknown } }>(
          `SELECT data FROM "${schemaOf('housing', prefix)}".events WHERE event_type = 'housing.VerificationAnswered' AND data->>'verificationId' = $1`,
          [verificationId],
        );
        // The answer names the members: stored sealed, opened as the department reads it.
        return (await openedRows(db, prefix, rows))[0]?.data.answer;
      },
      { what: 'housing’s answer', timeoutMs: 15_000 },
    );
    expect(answer).toMatchObject({
      department: 'housing',
      result: 'on_record',
      asOf: today,
      items: [
        {
          programme: 'house_renovation',
          memberIdNumbers: [farmer.memberIdNumbers[1]],
          paidOn: today,
          amountYuan: 40_000,
        },
        { programme: 'rental_subsidy', memberIdNumbers: [tenant.headIdNumber], months: 3, amountYuan: 1_200 },
      ],
    });
  });
});
