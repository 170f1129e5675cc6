import { DomainError } from '@platform/contracts';
import { INITIAL_MEDICAL_ASSISTANCE, type MedicalAssistanceTable } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import {
  categoryOn,
  claimStatusOf,
  medicalAssistanceDecider,
  standingOn,
  yearTotals,
  type ClaimCosts,
  type GrantedCategory,
  type MedicalAssistanceCommand,
  type MedicalAssistanceEvent,
  type MedicalAssistanceState,
  type Person,
} from './medical-assistance.decider.js';
import type { Officer, TableVersion } from './values.js';

const spec = deciderSpec<MedicalAssistanceCommand, MedicalAssistanceEvent, MedicalAssistanceState>(
  medicalAssistanceDecider,
);

const officer: Officer = { id: 'u-health-linhe', name: '高晓燕', role: 'health_officer' };
const person: Person = { idNumber: '150802196505051228', name: '王桂花', householdId: 'hh-0001' };
const V1: TableVersion<MedicalAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_MEDICAL_ASSISTANCE,
};
/** Noon in Beijing on a day. */
const noon = (day: string) => new Date(`${day}T12:00:00+08:00`).toISOString();

function fact(
  factId: string,
  kind: 'granted' | 'changed' | 'suspended',
  category: GrantedCategory | null,
  effectiveFrom: string,
  over: Partial<Extract<MedicalAssistanceCommand, { type: 'RecordCategory' }>> = {},
): MedicalAssistanceCommand {
  return {
    type: 'RecordCategory',
    factId,
    person,
    kind,
    category,
    effectiveFrom,
    source: '临河区民政局 低保审批决定 临河区民保决〔2026〕000012号',
    now: noon(effectiveFrom),
    ...over,
  };
}

/** A claim whose in-policy out-of-pocket is `outOfPocket` yuan (insurance paid the rest of 10 000). */
function claim(
  claimId: string,
  serviceDate: string,
  outOfPocket: number,
  over: Partial<Extract<MedicalAssistanceCommand, { type: 'AssessClaim' }>> = {},
): MedicalAssistanceCommand {
  const costs: ClaimCosts = {
    totalCostYuan: 12_000 + outOfPocket,
    inPolicyCostYuan: 10_000 + outOfPocket,
    basicInsurancePaidYuan: 8_000,
    criticalIllnessInsurancePaidYuan: 2_000,
  };
  return {
    type: 'AssessClaim',
    claimId,
    person,
    serviceDate,
    countyCode: '150802000000',
    hospital: '巴彦淖尔市医院',
    seriousIllness: false,
    table: V1,
    officer,
    now: noon(serviceDate),
    ...costs,
    ...over,
  };
}

/** The events of a sequence of commands, each decided on the state the earlier ones left. */
function history(...commands: MedicalAssistanceCommand[]): MedicalAssistanceEvent[] {
  let state = medicalAssistanceDecider.initialState();
  const events: MedicalAssistanceEvent[] = [];
  for (const c of commands) {
    const decided = medicalAssistanceDecider.decide(c, state);
    state = decided.reduce(medicalAssistanceDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}

type Assessed = Extract<MedicalAssistanceEvent, { type: 'health.MedicalClaimAssessed' }>['data'];
function assessed(events: MedicalAssistanceEvent[]): Assessed {
  expect(events).toHaveLength(1);
  expect(events[0]!.type).toBe('health.MedicalClaimAssessed');
  return events[0]!.data as Assessed;
}
const decided = (given: MedicalAssistanceEvent[], command: MedicalAssistanceCommand) =>
  medicalAssistanceDecider.decide(
    command,
    given.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState()),
  );
const refusal = (given: MedicalAssistanceEvent[], command: MedicalAssistanceCommand): string => {
  try {
    decided(given, command);
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return `${d.status} ${d.code} ${d.message}`;
  }
};

const dibaoFrom2026 = history(fact('f-dibao', 'granted', 'dibao', '2026-01-01'));

describe('medical assistance: category facts', () => {
  it('records a dated category, and the same fact delivered again adds nothing', () => {
    spec
      .given([])
      .when(fact('f-dibao', 'granted', 'dibao', '2026-01-01'))
      .then([
        {
          type: 'health.MedicalCategoryRecorded',
          data: {
            factId: 'f-dibao',
            person,
            kind: 'granted',
            category: 'dibao',
            effectiveFrom: '2026-01-01',
            source: '临河区民政局 低保审批决定 临河区民保决〔2026〕000012号',
            claimsAlreadyAssessed: [],
            at: noon('2026-01-01'),
          },
        },
      ]);
    spec
      .given(dibaoFrom2026)
      .when(fact('f-dibao', 'granted', 'dibao', '2026-01-01'))
      .then([]);
  });

  it('a fact from another department names the person by ID number only; the first claim names them', () => {
    const byIdOnly = { ...person, name: '', householdId: null };
    const given = history(fact('f-ca', 'granted', 'dibao', '2026-01-01', { person: byIdOnly }));
    expect(given[0]!.data.person).toEqual(byIdOnly);
    const state = [...given, ...decided(given, claim('JS-1', '2026-02-01', 1_000))].reduce(
      medicalAssistanceDecider.evolve,
      medicalAssistanceDecider.initialState(),
    );
    expect(state.person).toEqual(person);
    expect(state.claims[0]!.category).toBe('dibao');
    // A claim always names the person.
    expect(refusal(given, claim('JS-2', '2026-02-01', 1_000, { person: byIdOnly }))).toMatch(
      /^422 FIELD_REQUIRED person\.name：/,
    );
  });

  it('refuses a fact id reused with other content, a wrong category, another person and a bad date', () => {
    expect(refusal(dibaoFrom2026, fact('f-dibao', 'granted', 'dibao', '2026-02-01'))).toMatch(
      /^409 FACT_CONFLICT factId：/,
    );
    expect(refusal([], fact('f', 'suspended', 'dibao', '2026-01-01'))).toMatch(
      /^422 CATEGORY_INVALID category：停止/,
    );
    expect(refusal([], fact('f', 'granted', null, '2026-01-01'))).toMatch(
      /^422 CATEGORY_INVALID category：救助对象类别应为/,
    );
    expect(refusal([], fact('f', 'granted', 'other' as GrantedCategory, '2026-01-01'))).toMatch(
      /^422 CATEGORY_INVALID/,
    );
    expect(refusal([], fact('f', 'granted', 'dibao', '2026-02-30'))).toMatch(
      /^422 DATE_INVALID effectiveFrom：/,
    );
    expect(refusal([], fact('f', 'granted', 'dibao', '2026-01-01', { source: ' ' }))).toMatch(
      /^422 FIELD_REQUIRED source：/,
    );
    expect(
      refusal(
        dibaoFrom2026,
        fact('f-2', 'granted', 'dibao', '2026-01-01', {
          person: { ...person, idNumber: '150802198001011234' },
        }),
      ),
    ).toMatch(/^409 PERSON_MISMATCH/);
  });

  it('the category in force on a day: the latest effective date on or before it, a later record breaking a tie', () => {
    const events = history(
      fact('f1', 'granted', 'dibao', '2026-01-10'),
      fact('f2', 'changed', 'special_hardship', '2026-07-01'),
      fact('f3', 'suspended', null, '2026-09-01'),
      // Arrives late, about an earlier date: it governs from its date until the next fact.
      fact('f4', 'granted', 'low_income_margin', '2025-06-01', { now: noon('2026-10-01') }),
      // Same date as f2, recorded later: it wins that date.
      fact('f5', 'changed', 'poverty_monitoring', '2026-07-01', { now: noon('2026-10-02') }),
    );
    const state = events.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState());
    expect(categoryOn(state, '2025-05-31')).toBeNull();
    expect(categoryOn(state, '2025-06-01')).toEqual({ category: 'low_income_margin', factId: 'f4' });
    expect(categoryOn(state, '2026-01-09')).toEqual({ category: 'low_income_margin', factId: 'f4' });
    expect(categoryOn(state, '2026-01-10')).toEqual({ category: 'dibao', factId: 'f1' });
    expect(categoryOn(state, '2026-06-30')).toEqual({ category: 'dibao', factId: 'f1' });
    expect(categoryOn(state, '2026-07-01')).toEqual({ category: 'poverty_monitoring', factId: 'f5' });
    expect(categoryOn(state, '2026-08-31')).toEqual({ category: 'poverty_monitoring', factId: 'f5' });
    expect(categoryOn(state, '2026-09-01')).toBeNull();
  });

  it('a fact about a date already claimed names the claims decided under the category known then', () => {
    const given = history(
      fact('f1', 'granted', 'dibao', '2026-01-01'),
      claim('JS-1', '2026-03-01', 1_000),
      claim('JS-2', '2026-05-01', 1_000),
    );
    const [event] = decided(
      given,
      fact('f2', 'changed', 'special_hardship', '2026-04-01', { now: noon('2026-06-01') }),
    );
    expect(event!.data).toMatchObject({ claimsAlreadyAssessed: ['JS-2'] });
  });
});

describe('medical assistance: a claim', () => {
  it('dibao: 70% of the in-policy out-of-pocket, no deductible; every figure recorded with the table version', () => {
    spec
      .given(dibaoFrom2026)
      .when(
        claim('JS-20260315-0001', '2026-03-15', 0, {
          totalCostYuan: 15_000,
          inPolicyCostYuan: 12_000,
          basicInsurancePaidYuan: 6_600,
          criticalIllnessInsurancePaidYuan: 1_400,
          seriousIllness: true,
        }),
      )
      .then([
        {
          type: 'health.MedicalClaimAssessed',
          data: {
            claimId: 'JS-20260315-0001',
            person,
            serviceDate: '2026-03-15',
            year: '2026',
            countyCode: '150802000000',
            hospital: '巴彦淖尔市医院',
            seriousIllness: true,
            totalCostFen: 1_500_000,
            inPolicyCostFen: 1_200_000,
            basicInsurancePaidFen: 660_000,
            criticalIllnessInsurancePaidFen: 140_000,
            inPolicyOutOfPocketFen: 400_000,
            category: 'dibao',
            categoryFactId: 'f-dibao',
            ratioPercent: 70,
            annualDeductibleFen: 0,
            deductibleAppliedFen: 0,
            annualCapFen: 6_000_000,
            paidInYearBeforeFen: 0,
            computedFen: 280_000,
            assistanceFen: 280_000,
            capReached: false,
            // 15 000 − 6 600 − 1 400 − 2 800
            personalPaymentFen: 420_000,
            explanation: ['政策范围内个人自付 4000.00元，按低保对象救助比例 70%', '救助金额 2800.00元'],
            policy: { 'medical-assistance': 1 },
            by: officer,
            at: noon('2026-03-15'),
          },
        },
      ]);
  });

  it.each<[GrantedCategory, number]>([
    ['special_hardship', 400_000],
    ['dibao', 280_000],
    ['low_income_margin', 120_000],
    ['poverty_monitoring', 120_000],
    ['impoverished_by_illness', 0],
  ])(
    '%s: ratio after the deductible (4 000 yuan out of pocket, first claim of the year) → %i fen',
    (category, fen) => {
      const given = history(fact('f', 'granted', category, '2026-01-01'));
      // low-income margin: (4 000 − 2 000) × 60%; seriously ill: 4 000 all within the 6 000 deductible.
      expect(assessed(decided(given, claim('JS-1', '2026-03-01', 4_000))).assistanceFen).toBe(fen);
    },
  );

  it('no category on the date of service: the "other" row, which pays nothing by default, says so, and keeps the cost', () => {
    const a = assessed(decided([], claim('JS-1', '2026-03-01', 4_000)));
    expect(a).toMatchObject({
      category: 'other',
      categoryFactId: null,
      ratioPercent: 0,
      assistanceFen: 0,
      capReached: false,
      totalCostFen: 1_600_000,
      // 16 000 − 8 000 − 2 000 − 0
      personalPaymentFen: 600_000,
      explanation: [
        '结算日（2026-03-01）无在册救助对象类别，按其他人员标准',
        '政策范围内个人自付 4000.00元，按其他人员救助比例 0%',
        '其他人员的救助比例为 0，不予救助',
        '救助金额 0.00元',
      ],
    });
    // A city that pays others something sets it in the table; no code changes.
    const generous: TableVersion<MedicalAssistanceTable> = {
      version: 2,
      effectiveFrom: '2026-01-01',
      content: {
        categories: {
          ...INITIAL_MEDICAL_ASSISTANCE.categories,
          other: { ratioPercent: 30, annualDeductibleYuan: 1_000, annualCapYuan: 10_000 },
        },
      },
    };
    expect(assessed(decided([], claim('JS-1', '2026-03-01', 4_000, { table: generous })))).toMatchObject({
      assistanceFen: 90_000,
      deductibleAppliedFen: 100_000,
      policy: { 'medical-assistance': 2 },
    });
  });

  it('the category granted on the date of service applies from that day, not the day before', () => {
    const given = history(fact('f', 'granted', 'dibao', '2026-03-10'));
    expect(assessed(decided(given, claim('JS-1', '2026-03-09', 1_000))).category).toBe('other');
    expect(assessed(decided(given, claim('JS-1', '2026-03-10', 1_000)))).toMatchObject({
      category: 'dibao',
      assistanceFen: 70_000,
    });
  });

  it('the annual deductible is met once a year, across claims, and only the rest earns the ratio', () => {
    const given = history(fact('f', 'granted', 'low_income_margin', '2026-01-01'));
    const first = assessed(decided(given, claim('JS-1', '2026-02-01', 1_500)));
    expect(first).toMatchObject({ deductibleAppliedFen: 150_000, computedFen: 0, assistanceFen: 0 });
    expect(first.explanation).toContain(
      '年度起付线 2000.00元，本年度此前已累计 0.00元，本次计入起付线 1500.00元',
    );
    const after = history(
      fact('f', 'granted', 'low_income_margin', '2026-01-01'),
      claim('JS-1', '2026-02-01', 1_500),
    );
    expect(assessed(decided(after, claim('JS-2', '2026-04-01', 3_000)))).toMatchObject({
      deductibleAppliedFen: 50_000,
      // (3 000 − 500) × 60%
      assistanceFen: 150_000,
    });
    // The deductible exactly met by the first claim: the next one pays from its first fen.
    const exactly = history(
      fact('f', 'granted', 'low_income_margin', '2026-01-01'),
      claim('JS-1', '2026-02-01', 2_000),
    );
    expect(assessed(decided(exactly, claim('JS-2', '2026-04-01', 1_000)))).toMatchObject({
      deductibleAppliedFen: 0,
      assistanceFen: 60_000,
    });
  });

  it('a category changed mid-year: the new ratio from the day of the change, the year’s totals kept', () => {
    const given = history(
      fact('f1', 'granted', 'dibao', '2026-01-01'),
      fact('f2', 'changed', 'special_hardship', '2026-07-01'),
      claim('JS-1', '2026-06-30', 50_000),
    );
    const state = given.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState());
    expect(yearTotals(state, '2026')).toEqual({ paidFen: 3_500_000, deductibleMetFen: 0, claims: 1 });
    // Special hardship pays 100% within its own cap (100 000), counting the 35 000 paid as dibao.
    expect(assessed(decided(given, claim('JS-2', '2026-07-01', 80_000)))).toMatchObject({
      category: 'special_hardship',
      ratioPercent: 100,
      computedFen: 8_000_000,
      paidInYearBeforeFen: 3_500_000,
      annualCapFen: 10_000_000,
      assistanceFen: 6_500_000,
      capReached: true,
    });
    // A change to a category with a deductible counts only what was met this year under any category.
    const toMargin = history(
      fact('f1', 'granted', 'dibao', '2026-01-01'),
      fact('f2', 'changed', 'low_income_margin', '2026-07-01'),
      claim('JS-1', '2026-06-30', 1_000),
    );
    expect(assessed(decided(toMargin, claim('JS-2', '2026-07-01', 3_000)))).toMatchObject({
      deductibleAppliedFen: 200_000,
      assistanceFen: 60_000,
    });
  });

  it('a suspended category: from the day of suspension the person is assessed as "other"', () => {
    const given = history(
      fact('f1', 'granted', 'dibao', '2026-01-01'),
      fact('f2', 'suspended', null, '2026-09-01'),
    );
    expect(assessed(decided(given, claim('JS-1', '2026-08-31', 1_000))).assistanceFen).toBe(70_000);
    expect(assessed(decided(given, claim('JS-1', '2026-09-01', 1_000)))).toMatchObject({
      category: 'other',
      assistanceFen: 0,
    });
  });

  it('the annual cap: trimmed to what is left, exactly reached, then nothing more that year', () => {
    // 59 500 paid of the dibao cap of 60 000 (85 000 × 70%).
    const given = history(fact('f', 'granted', 'dibao', '2026-01-01'), claim('JS-1', '2026-02-01', 85_000));
    const trimmed = assessed(decided(given, claim('JS-2', '2026-05-01', 4_000)));
    expect(trimmed).toMatchObject({ computedFen: 280_000, assistanceFen: 50_000, capReached: true });
    expect(trimmed.explanation).toContain(
      '年度救助限额 60000.00元，本年度此前已救助 59500.00元，本次按剩余额度 500.00元 救助',
    );
    // 500 yuan left and a claim worth exactly 500: paid in full, and the cap is reached.
    const exact = assessed(decided(given, claim('JS-2', '2026-05-01', 714.29)));
    expect(exact).toMatchObject({ computedFen: 50_000, assistanceFen: 50_000, capReached: true });
    expect(exact.explanation).toContain('本次救助后达到年度救助限额 60000.00元');
    const atCap = history(
      fact('f', 'granted', 'dibao', '2026-01-01'),
      claim('JS-1', '2026-02-01', 85_000),
      claim('JS-2', '2026-05-01', 714.29),
    );
    const state = atCap.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState());
    expect(yearTotals(state, '2026').paidFen).toBe(6_000_000);
    expect(assessed(decided(atCap, claim('JS-3', '2026-12-31', 1_000)))).toMatchObject({
      computedFen: 70_000,
      assistanceFen: 0,
      capReached: true,
    });
  });

  it('a year that ends: the cap and the deductible start again on 1 January (Beijing)', () => {
    const given = history(
      fact('f', 'granted', 'low_income_margin', '2026-01-01'),
      claim('JS-1', '2026-02-01', 90_000),
    );
    const state = given.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState());
    expect(yearTotals(state, '2026')).toEqual({ paidFen: 5_000_000, deductibleMetFen: 200_000, claims: 1 });
    expect(assessed(decided(given, claim('JS-2', '2026-12-31', 3_000))).assistanceFen).toBe(0);
    // 00:30 on 1 January in Beijing is still 31 December in UTC: the claim is 2027's, and not in the future.
    const newYear = assessed(
      decided(given, claim('JS-2', '2027-01-01', 3_000, { now: '2026-12-31T16:30:00.000Z' })),
    );
    expect(newYear).toMatchObject({
      year: '2027',
      paidInYearBeforeFen: 0,
      deductibleAppliedFen: 200_000,
      assistanceFen: 60_000,
    });
    expect(refusal(given, claim('JS-2', '2027-01-02', 3_000, { now: '2026-12-31T16:30:00.000Z' }))).toMatch(
      /^422 SERVICE_DATE_IN_FUTURE serviceDate：/,
    );
  });

  it('the same settlement twice is assessed once; the same number with other figures is refused', () => {
    const given = history(fact('f', 'granted', 'dibao', '2026-01-01'), claim('JS-1', '2026-02-01', 1_000));
    spec
      .given(given)
      .when(claim('JS-1', '2026-02-01', 1_000, { now: noon('2026-02-03') }))
      .then([]);
    expect(refusal(given, claim('JS-1', '2026-02-01', 1_200))).toMatch(
      /^409 CLAIM_CONFLICT claimId：结算单 JS-1 已核定/,
    );
    const state = given.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState());
    expect(yearTotals(state, '2026')).toEqual({ paidFen: 70_000, deductibleMetFen: 0, claims: 1 });
  });

  it('rounds each claim half up to the fen', () => {
    // 0.05 × 70% = 0.035 → 0.04; 33.33 × 70% = 23.331 → 23.33.
    expect(assessed(decided(dibaoFrom2026, claim('JS-1', '2026-02-01', 0.05))).assistanceFen).toBe(4);
    expect(assessed(decided(dibaoFrom2026, claim('JS-1', '2026-02-01', 33.33))).assistanceFen).toBe(2_333);
  });

  it('applies the table version it is given, and refuses one not yet in force on the date of service', () => {
    const v2: TableVersion<MedicalAssistanceTable> = {
      version: 2,
      effectiveFrom: '2027-01-01',
      content: {
        categories: {
          ...INITIAL_MEDICAL_ASSISTANCE.categories,
          dibao: { ratioPercent: 75, annualDeductibleYuan: 0, annualCapYuan: 60_000 },
        },
      },
    };
    expect(
      assessed(
        decided(dibaoFrom2026, claim('JS-1', '2027-01-01', 1_000, { table: v2, now: noon('2027-01-02') })),
      ),
    ).toMatchObject({ ratioPercent: 75, assistanceFen: 75_000, policy: { 'medical-assistance': 2 } });
    expect(refusal(dibaoFrom2026, claim('JS-1', '2026-12-31', 1_000, { table: v2 }))).toMatch(
      /^422 POLICY_NOT_IN_FORCE 医疗救助政策参数表第 2 版自 2027-01-01 起生效，不适用于 2026-12-31/,
    );
  });

  it('refuses impossible figures, amounts finer than the fen, a wrong role and missing fields', () => {
    const c = (over: Partial<Extract<MedicalAssistanceCommand, { type: 'AssessClaim' }>>) =>
      refusal(dibaoFrom2026, claim('JS-1', '2026-02-01', 1_000, over));
    expect(c({ inPolicyCostYuan: 20_000, totalCostYuan: 19_999 })).toMatch(
      /^422 IN_POLICY_EXCEEDS_TOTAL inPolicyCostYuan：/,
    );
    expect(c({ basicInsurancePaidYuan: 9_000, criticalIllnessInsurancePaidYuan: 2_001 })).toMatch(
      /^422 INSURANCE_EXCEEDS_IN_POLICY /,
    );
    expect(c({ basicInsurancePaidYuan: -1 })).toMatch(
      /^422 AMOUNT_INVALID basicInsurancePaidYuan：基本医保支付应为不小于 0/,
    );
    expect(c({ totalCostYuan: 100.005 })).toMatch(
      /^422 AMOUNT_INVALID totalCostYuan：医疗总费用最多保留两位小数/,
    );
    expect(c({ totalCostYuan: Number.NaN })).toMatch(/^422 AMOUNT_INVALID totalCostYuan：/);
    expect(c({ officer: { ...officer, role: 'township_officer' } })).toMatch(/^403 ROLE_NOT_ALLOWED /);
    expect(c({ hospital: '' })).toMatch(/^422 FIELD_REQUIRED hospital：/);
    expect(c({ countyCode: '' })).toMatch(/^422 FIELD_REQUIRED countyCode：/);
    expect(c({ claimId: ' ' })).toMatch(/^422 FIELD_REQUIRED claimId：/);
    expect(c({ serviceDate: '2026-13-01' })).toMatch(/^422 DATE_INVALID serviceDate：/);
    expect(c({ person: { ...person, idNumber: '150802198001011234' } })).toMatch(/^409 PERSON_MISMATCH /);
    // Insurance paying exactly the in-policy cost leaves nothing out of pocket: accepted, nothing to pay.
    expect(
      assessed(
        decided(
          dibaoFrom2026,
          claim('JS-1', '2026-02-01', 0, {
            basicInsurancePaidYuan: 8_000,
            criticalIllnessInsurancePaidYuan: 2_000,
          }),
        ),
      ),
    ).toMatchObject({ inPolicyOutOfPocketFen: 0, assistanceFen: 0, capReached: false });
  });
});

describe('medical assistance: where a person stands in a year', () => {
  it('the category and cap of the day, what was paid and met, and what remains; each claim by status', () => {
    const events = history(
      fact('f-lim', 'granted', 'low_income_margin', '2026-01-01'),
      // 60 %, deductible 2 000, cap 50 000: 30 000 out of pocket → (30 000 − 2 000) × 60 % = 16 800.
      claim('JS-1', '2026-02-01', 30_000),
      // 80 000 × 60 % = 48 000 > the 33 200 left: trimmed to the cap.
      claim('JS-2', '2026-03-01', 80_000),
      claim('JS-3', '2026-04-01', 1_000),
    );
    const state = events.reduce(medicalAssistanceDecider.evolve, medicalAssistanceDecider.initialState());
    expect(state.claims.map(claimStatusOf)).toEqual(['assisted', 'capped', 'none']);
    expect(standingOn(state, V1, '2026-05-01')).toEqual({
      year: '2026',
      category: 'low_income_margin',
      categoryFactId: 'f-lim',
      ratioPercent: 60,
      annualCapFen: 5_000_000,
      paidFen: 5_000_000,
      remainingFen: 0,
      annualDeductibleFen: 200_000,
      deductibleMetFen: 200_000,
      deductibleRemainingFen: 0,
      claims: 3,
      policyVersion: 1,
    });
    // A new year: the whole cap and deductible again; before any category, the "other" row.
    expect(standingOn(state, V1, '2027-01-01')).toMatchObject({
      year: '2027',
      paidFen: 0,
      remainingFen: 5_000_000,
      deductibleRemainingFen: 200_000,
      claims: 0,
    });
    expect(standingOn(state, V1, '2025-12-31')).toMatchObject({
      category: 'other',
      categoryFactId: null,
      annualCapFen: 0,
      remainingFen: 0,
    });
  });
});
