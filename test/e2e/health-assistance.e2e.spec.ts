import { schemaOf } from '@platform/contracts';
import { PersonalDataProtection, personalDataSchemaOf, PostgresEventStore } from '@platform/event-store';
import { eventually, requireDatabaseUrl, testMetadata, testPool, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

interface Standing {
  year: string;
  category: string;
  categoryName: string;
  annualCapYuan: number;
  paidYuan: number;
  remainingYuan: number;
  claims: number;
}
interface ClaimView {
  claimId: string;
  person: { name: string; idNumber: string };
  countyName: string;
  category: string;
  categoryName: string;
  inPolicyOutOfPocketYuan: number;
  computedYuan: number;
  assistanceYuan: number;
  capReached: boolean;
  personalPaymentYuan: number;
  status: string;
  statusName: string;
  explanation: string[];
  assessedByName: string;
}
interface Recorded {
  claim: ClaimView;
  standing: Standing;
  alreadyAssessed: boolean;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

const BASE = '/health/medical-assistance';
const LINHE = '150802000000';
const WUYUAN = '150821000000';
const MASKED = /^\d{6}\*{8}\d{3}[\dX]$/;
const MOTHER = residentId('15080219650505122');
const WUYUAN_PERSON = residentId('15082119750606124');
const PATIENT = residentId('15082119880303121');
const NOBODY = residentId('15080220100505123');
const HARDSHIP = residentId('15080219700707125');
const prefix = uniqueName('ha');

/** Today in Beijing: claims may not be settled in the future, and the cap is the calendar year's. */
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const year = today.slice(0, 4);

/** A settlement whose in-policy out-of-pocket is `outOfPocket` yuan (insurance paid the rest of 10 000). */
const settlement = (claimId: string, outOfPocket: number, over: Record<string, unknown> = {}) => ({
  claimId,
  person: { idNumber: MOTHER, name: '王桂花' },
  countyCode: LINHE,
  serviceDate: today,
  hospital: '巴彦淖尔市医院',
  seriousIllness: true,
  totalCostYuan: 12_000 + outOfPocket,
  inPolicyCostYuan: 10_000 + outOfPocket,
  basicInsurancePaidYuan: 8_000,
  criticalIllnessInsurancePaidYuan: 2_000,
  ...over,
});

/**
 * Health's own assistance over HTTP, through apps/platform (event-log transport): medical assistance
 * assessed from the category and the year's cap, refusals naming the field, each county to its own,
 * a disease-emergency report paid to the hospital, and the register looked up by the household's members.
 */
describe('health assistance, end to end', () => {
  let platform: RunningService;
  const who: Record<string, Api> = {};

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
    });
    const api = new Api(platform.url);
    for (const user of ['linhe.health', 'city.health', 'linhe.housing', 'city.auditor']) {
      who[user] = api.as(await api.login(user));
    }
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('a dibao recipient’s claim is assessed at 70 %; the second claim of the year is held to the cap', async () => {
    const officer = who['linhe.health']!;
    const fact = await officer.ok<{ categoryName: string; source: string }>(
      'POST',
      `${BASE}/categories`,
      {
        person: { idNumber: MOTHER, name: '王桂花' },
        countyCode: LINHE,
        kind: 'granted',
        category: 'dibao',
        effectiveFrom: `${year}-01-01`,
        source: '低保审批决定 临河区民保决〔2026〕000012号',
      },
      201,
    );
    expect(fact).toMatchObject({
      categoryName: '低保对象',
      source: '临河区 低保审批决定 临河区民保决〔2026〕000012号',
    });

    // Dibao: 70 %, no deductible, 60 000 a year. 50 000 out of pocket → 35 000.
    const first = await officer.ok<Recorded>('POST', `${BASE}/claims`, settlement('JS-001', 50_000), 201);
    expect(first.claim).toMatchObject({
      claimId: 'JS-001',
      person: { name: '王桂花' },
      countyName: '临河区',
      category: 'dibao',
      categoryName: '低保对象',
      inPolicyOutOfPocketYuan: 50_000,
      assistanceYuan: 35_000,
      capReached: false,
      // 62 000 − 8 000 − 2 000 − 35 000
      personalPaymentYuan: 17_000,
      status: 'assisted',
      assessedByName: '陈静',
    });
    expect(first.claim.person.idNumber).toMatch(MASKED);
    expect(first.claim.explanation).toContain('救助金额 35000.00元');
    expect(first.standing).toMatchObject({
      year,
      annualCapYuan: 60_000,
      paidYuan: 35_000,
      remainingYuan: 25_000,
    });

    // Another 50 000 would earn 35 000: only the 25 000 left of the cap is paid.
    const second = await officer.ok<Recorded>('POST', `${BASE}/claims`, settlement('JS-002', 50_000), 201);
    expect(second.claim).toMatchObject({
      computedYuan: 35_000,
      assistanceYuan: 25_000,
      capReached: true,
      status: 'capped',
      statusName: '已救助（达到年度限额）',
    });
    expect(second.claim.explanation.join('；')).toContain('按剩余额度 25000.00元 救助');
    expect(second.standing).toMatchObject({ paidYuan: 60_000, remainingYuan: 0, claims: 2 });

    // The same settlement sent again is assessed once.
    const again = await officer.ok<Recorded>('POST', `${BASE}/claims`, settlement('JS-001', 50_000), 201);
    expect(again).toMatchObject({ alreadyAssessed: true, claim: { assistanceYuan: 35_000 } });

    const record = await officer.ok<{
      standing: Standing;
      claims: ClaimView[];
      person: { idNumber: string };
    }>('POST', `${BASE}/people/lookup`, { idNumber: MOTHER, purpose: '医疗救助核定' });
    expect(record.person.idNumber).toBe(MOTHER);
    expect(record.standing).toMatchObject({ categoryName: '低保对象', remainingYuan: 0 });
    expect(record.claims.map((c) => [c.claimId, c.assistanceYuan])).toEqual([
      ['JS-002', 25_000],
      ['JS-001', 35_000],
    ]);
  });

  it('refuses impossible figures in Chinese, naming the field, and records nothing', async () => {
    const officer = who['linhe.health']!;
    const over = await officer.call(
      'POST',
      `${BASE}/claims`,
      settlement('JS-003', 1_000, { inPolicyCostYuan: 20_000, totalCostYuan: 19_999 }),
    );
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'IN_POLICY_EXCEEDS_TOTAL', field: 'inPolicyCostYuan' });
    expect((over.body as ErrorBody).message).toBe('inPolicyCostYuan：政策范围内费用不能超过医疗总费用');

    const negative = await officer.call(
      'POST',
      `${BASE}/claims`,
      settlement('JS-004', 1_000, { basicInsurancePaidYuan: -1 }),
    );
    expect(negative.status).toBe(422);
    expect(negative.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((negative.body as ErrorBody).message).toContain(
      'basicInsurancePaidYuan（基本医保支付不能为负数）',
    );

    const future = await officer.call(
      'POST',
      `${BASE}/claims`,
      settlement('JS-005', 1_000, { serviceDate: `${Number(year) + 1}-01-01` }),
    );
    expect(future.status).toBe(422);
    expect((future.body as ErrorBody).message).toContain('serviceDate：');

    const record = await officer.ok<{ claims: ClaimView[] }>('POST', `${BASE}/people/lookup`, {
      idNumber: MOTHER,
    });
    expect(record.claims.map((c) => c.claimId)).toEqual(['JS-002', 'JS-001']);
  });

  it('keeps each county to its own; the city officer acts city-wide; other departments are refused', async () => {
    const linhe = who['linhe.health']!;
    const elsewhere = await linhe.call(
      'POST',
      `${BASE}/claims`,
      settlement('JS-W1', 1_000, { countyCode: WUYUAN, person: { idNumber: WUYUAN_PERSON, name: '孙丽' } }),
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body).toMatchObject({ code: 'OUT_OF_JURISDICTION' });
    expect((elsewhere.body as ErrorBody).message).toContain('五原县');

    const city = await who['city.health']!.ok<Recorded>(
      'POST',
      `${BASE}/claims`,
      settlement('JS-W1', 1_000, { countyCode: WUYUAN, person: { idNumber: WUYUAN_PERSON, name: '孙丽' } }),
      201,
    );
    // No category on record: the "other" row, which pays nothing by default; the expense is on record.
    expect(city.claim).toMatchObject({
      countyName: '五原县',
      category: 'other',
      assistanceYuan: 0,
      status: 'none',
    });

    const housing = await who['linhe.housing']!.call('POST', `${BASE}/claims`, settlement('JS-H1', 1_000));
    expect(housing.status).toBe(403);

    // Lists: Linhe sees Linhe's claims only, names and ID numbers masked; the city sees both counties.
    const mine = await eventually(
      async () => {
        const p = await linhe.ok<
          Page<{ claimId: string; personName: string; personIdNumber: string; countyName: string }>
        >('GET', `${BASE}/claims?pageSize=10`);
        return p.total >= 2 ? p : undefined;
      },
      { what: 'Linhe claims listed', timeoutMs: 10_000 },
    );
    expect(mine.items.map((c) => c.claimId)).toEqual(['JS-002', 'JS-001']);
    expect(mine.items.every((c) => MASKED.test(c.personIdNumber) && c.countyName === '临河区')).toBe(true);
    expect(mine.items.map((c) => c.personName)).toEqual(['王*花', '王*花']);
    const capped = await linhe.ok<Page<{ claimId: string }>>(
      'GET',
      `${BASE}/claims?status=capped&personIdNumber=${MOTHER}`,
    );
    expect(capped.items.map((c) => c.claimId)).toEqual(['JS-002']);
    expect((await linhe.call('GET', `${BASE}/claims?countyCode=${WUYUAN}`)).status).toBe(403);
    const all = await eventually(
      async () => {
        const p = await who['city.health']!.ok<Page<{ claimId: string }>>(
          'GET',
          `${BASE}/claims?pageSize=2&page=1`,
        );
        return p.total >= 3 ? p : undefined;
      },
      { what: 'city claims listed', timeoutMs: 10_000 },
    );
    expect([all.total, all.items.length, all.pageSize]).toEqual([3, 2, 2]);
    expect((await linhe.call('GET', `${BASE}/claims?pageSize=101`)).status).toBe(422);
  });

  it('a disease-emergency report is paid to the hospital within the cap, the patient identified later', async () => {
    const officer = who['linhe.health']!;
    const reported = await officer.ok<{ reportId: string; status: string; unpaidYuan: number }>(
      'POST',
      '/health/disease-emergency/reports',
      {
        hospital: { code: 'H150802001', name: '巴彦淖尔市医院', countyCode: LINHE },
        patient: { identified: false, description: '男性，约 40 岁，于路边昏迷被送医' },
        reason: 'unidentified',
        admittedOn: today,
        treatment: '颅脑外伤急诊手术，重症监护 3 日',
        emergencyCostYuan: 40_000,
        paidByPatientYuan: 0,
      },
      201,
    );
    expect(reported).toMatchObject({ status: 'reported', unpaidYuan: 40_000 });
    const base = `/health/disease-emergency/reports/${reported.reportId}`;
    const reviewed = await officer.ok<{ review: { approvedYuan: number; capReached: boolean } }>(
      'POST',
      `${base}/review`,
      {
        opinion: '急救病历、费用清单齐全',
      },
    );
    // 30 000 a case at most.
    expect(reviewed.review).toMatchObject({ approvedYuan: 30_000, capReached: true });
    const paid = await officer.ok<{ status: string; payment: { amountYuan: number; paidTo: string } }>(
      'POST',
      `${base}/pay`,
      {
        paymentReference: 'ZF-001',
        paidOn: today,
      },
    );
    expect(paid).toMatchObject({ status: 'paid', payment: { amountYuan: 30_000, paidTo: '巴彦淖尔市医院' } });
    const refused = await officer.call('POST', `${base}/refuse`, { reasons: ['不属于急救范围'] });
    expect(refused.status).toBe(409);
    await officer.ok('POST', `${base}/identify`, { idNumber: PATIENT, name: '巴特尔' });
    const view = await officer.ok<{ patient: { identified: boolean; idNumber: string } }>('GET', base);
    expect(view.patient).toEqual({ identified: true, name: '巴特尔', idNumber: PATIENT, householdId: null });
  });

  it('the register answers by the household’s members: what verification would be told', async () => {
    const officer = who['linhe.health']!;
    type Lookup = {
      answer: {
        result: string;
        members: Array<{ idNumber: string; onRecord: boolean; assistancePaidYuan?: number }>;
      };
      entries: Array<{ personIdNumber: string; programmeName: string; amountYuan: number }>;
    };
    const found = await eventually(
      async () => {
        const r = await officer.ok<Lookup>('POST', '/health/assistance-register/lookup', {
          memberIdNumbers: [MOTHER, PATIENT, NOBODY],
          purpose: '家庭经济状况核对',
        });
        return r.entries.length >= 3 ? r : undefined;
      },
      { what: 'register entries', timeoutMs: 10_000 },
    );
    expect(found.entries.map((e) => [e.personIdNumber, e.programmeName, e.amountYuan]).sort()).toEqual(
      [
        [MOTHER, '医疗救助', 25_000],
        [MOTHER, '医疗救助', 35_000],
        [PATIENT, '疾病应急救助', 30_000],
      ].sort(),
    );
    expect(found.answer).toMatchObject({
      result: 'on_record',
      members: [
        { idNumber: MOTHER, onRecord: true, assistancePaidYuan: 60_000, seriousIllness: true },
        { idNumber: PATIENT, onRecord: true, assistancePaidYuan: 30_000 },
        { idNumber: NOBODY, onRecord: false },
      ],
    });
    // The officer's register: their county only, ID numbers masked, paginated.
    const list = await officer.ok<
      Page<{ personIdNumber: string; personName: string | null; countyName: string }>
    >('GET', '/health/assistance-register?pageSize=10');
    expect(list.total).toBe(3);
    expect(list.items.every((e) => MASKED.test(e.personIdNumber) && e.countyName === '临河区')).toBe(true);
    // Names are masked in the list too (王*明); the lookup by ID number shows them whole.
    expect(list.items.filter((e) => e.personName && !e.personName.includes('*'))).toEqual([]);
    const bad = await officer.call('POST', '/health/assistance-register/lookup', { memberIdNumbers: [] });
    expect(bad.status).toBe(422);
    expect((bad.body as ErrorBody).message).toContain('memberIdNumbers');
  });

  it('civil affairs’ special-hardship decision reaches the member’s record as a category, and its ratio applies', async () => {
    // What civil affairs publishes on `civil-affairs.recipients`, written to its log as its relay would.
    const pool = testPool(1);
    try {
      const civilAffairs = new PostgresEventStore({ pool, schema: schemaOf('civil-affairs', prefix) });
      await civilAffairs.appendToStream(
        'dibao-0190a4c4-0000-7000-8000-0000000000aa',
        [
          {
            type: 'civil-affairs.RecipientCategoryChanged',
            data: {
              householdId: '0190a4c4-0000-7000-8000-0000000000aa',
              countyCode: LINHE,
              memberIdNumbers: [HARDSHIP],
              removedIdNumbers: [],
              category: 'special_hardship',
              effectiveFrom: `${year}-01-01`,
              reason: 'granted',
              at: new Date().toISOString(),
            },
            metadata: testMetadata(),
          },
        ],
        { expectedVersion: 'any' },
      );
    } finally {
      await pool.end();
    }
    const officer = who['linhe.health']!;
    const record = await eventually(
      async () => {
        const r = await officer.call('POST', `${BASE}/people/lookup`, { idNumber: HARDSHIP });
        return r.status === 200
          ? (r.body as { standing: Standing; categories: Array<{ source: string }> })
          : undefined;
      },
      { what: 'category fact from civil affairs', timeoutMs: 15_000 },
    );
    expect(record.standing).toMatchObject({
      category: 'special_hardship',
      annualCapYuan: 100_000,
      paidYuan: 0,
    });
    expect(record.categories[0]!.source).toContain('临河区民政部门');
    const assessed = await officer.ok<Recorded>(
      'POST',
      `${BASE}/claims`,
      settlement('JS-SH1', 4_000, { person: { idNumber: HARDSHIP, name: '刘二' } }),
      201,
    );
    // Special hardship: 100 % of the in-policy out-of-pocket.
    expect(assessed.claim).toMatchObject({ categoryName: '特困人员', assistanceYuan: 4_000 });
  });

  it('answers civil affairs’ household verification from the register', async () => {
    const pool = testPool(1);
    const verificationId = '0190a4c4-0000-7000-8000-0000000000bb';
    try {
      const civilAffairs = new PostgresEventStore({ pool, schema: schemaOf('civil-affairs', prefix) });
      await civilAffairs.appendToStream(
        `verification-${verificationId}`,
        [
          {
            type: 'civil-affairs.VerificationRequested',
            data: {
              verificationId,
              caseId: null,
              applicationId: null,
              countyCode: LINHE,
              members: [
                { idNumber: MOTHER, relationship: 'applicant' },
                { idNumber: NOBODY, relationship: 'child' },
              ],
              authorisation: { reference: 'SQ-2026-001', signedOn: today },
              asOf: today,
              dueAt: new Date(Date.now() + 86_400_000).toISOString(),
              at: new Date().toISOString(),
            },
            metadata: testMetadata(),
          },
        ],
        { expectedVersion: 'any' },
      );
      // The answer names the members: stored sealed, opened as health reads it.
      const personalData = new PersonalDataProtection({ pool, schema: personalDataSchemaOf(prefix) });
      const health = new PostgresEventStore({ pool, schema: schemaOf('health', prefix), personalData });
      const answered = await eventually(
        async () => {
          const events = await health.readStream(`verification-answer-${verificationId}`);
          return events.length > 0 ? events : undefined;
        },
        { what: 'health answers the verification', timeoutMs: 15_000 },
      );
      await personalData.close();
      expect(answered).toHaveLength(1);
      expect(answered[0]!.type).toBe('health.VerificationAnswered');
      expect((answered[0]!.data as { answer: unknown }).answer).toMatchObject({
        department: 'health',
        result: 'on_record',
        asOf: today,
        members: [
          { idNumber: MOTHER, onRecord: true, assistancePaidYuan: 60_000, seriousIllness: true },
          { idNumber: NOBODY, onRecord: false },
        ],
      });
    } finally {
      await pool.end();
    }
  });
});
