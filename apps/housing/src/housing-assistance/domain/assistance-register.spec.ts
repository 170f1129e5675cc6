import { DomainError } from '@platform/contracts';
import { INITIAL_HOUSING_ASSISTANCE } from '@platform/policy';
import { answerVerification, housingRegisterOf, type HousingRegisterEvent } from './assistance-register.js';
import { houseRenovationDecider, type HouseRenovationCommand } from './house-renovation.decider.js';
import type { Household } from './household.js';
import { publicRentalDecider, type PublicRentalCommand } from './public-rental.decider.js';
import { rentalSubsidyDecider, type RentalSubsidyCommand } from './rental-subsidy.decider.js';
import type { Officer } from './values.js';

const officer: Officer = { id: 'u-housing', name: '韩雪', role: 'housing_officer' };
const table = { version: 1, effectiveFrom: '2020-01-01', content: INITIAL_HOUSING_ASSISTANCE };
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();

const farmer: Household = {
  householdId: 'hh-rural',
  headName: '张福贵',
  headIdNumber: '150821195505051236',
  memberIdNumbers: ['150821195505051236', '150821195808081223'],
};
const tenant: Household = {
  householdId: 'hh-town',
  headName: '刘志刚',
  headIdNumber: '150802198501011000',
  memberIdNumbers: ['150802198501011000', '150802201203031001'],
};
const housed: Household = {
  householdId: 'hh-gzf',
  headName: '赵丽',
  headIdNumber: '150802197707071002',
  memberIdNumbers: ['150802197707071002'],
};

function run<C, E, S>(
  decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S },
  commands: C[],
) {
  let state = decider.initialState();
  const events: E[] = [];
  for (const c of commands) {
    const decided = decider.decide(c, state);
    state = decided.reduce(decider.evolve, state);
    events.push(...decided);
  }
  return events;
}

const renovation = run(houseRenovationDecider, [
  {
    type: 'RecordAppraisal',
    projectId: 'WG-1',
    household: farmer,
    villageCode: '150821102201',
    address: '五原县隆兴昌镇永联村三组 12 号',
    category: 'dibao',
    appraisal: {
      grade: 'D',
      appraisedOn: '2024-04-08',
      organisation: '鉴定站',
      reportNumber: 'JD-1',
      findings: '整体危险',
    },
    table,
    officer,
    now: t('2024-04-09'),
  },
  { type: 'ApproveRenovation', documentNumber: '五住建改〔2024〕1号', table, officer, now: t('2024-04-20') },
  { type: 'StartWorks', startedOn: '2024-05-06', officer, now: t('2024-05-06') },
  { type: 'CompleteWorks', completedOn: '2024-08-28', officer, now: t('2024-08-28') },
  {
    type: 'RecordAcceptance',
    inspectedOn: '2024-09-03',
    passed: true,
    inspectors: ['甲', '乙'],
    findings: '合格',
    officer,
    now: t('2024-09-03'),
  },
  { type: 'PaySubsidy', paymentReference: 'BF-1', paidOn: '2024-09-12', officer, now: t('2024-09-12') },
] satisfies HouseRenovationCommand[]);
const allocation = run(publicRentalDecider, [
  {
    type: 'JoinWaitingList',
    applicationId: 'GZ-1',
    household: housed,
    jurisdictionCode: '150802001001',
    category: 'dibao',
    appliedOn: '2025-03-01',
    officer,
    now: t('2025-03-01'),
  },
  {
    type: 'AllocateUnit',
    applicationId: 'GZ-1',
    unit: { unitId: 'GZF-3-502', address: '临河区新华街公租房小区 3 号楼 502', bedrooms: 1, areaM2: 48.5 },
    allocatedOn: '2025-10-15',
    documentNumber: '临住配〔2025〕1号',
    table,
    officer,
    now: t('2025-10-15'),
  },
] satisfies PublicRentalCommand[]);
const pay = (month: string): RentalSubsidyCommand => ({
  type: 'DisburseMonth',
  month,
  paymentReference: `FF-${month}`,
  paidOn: `${month}-10`,
  table,
  officer,
  now: t(`${month}-10`),
});
const subsidy = run(rentalSubsidyDecider, [
  {
    type: 'GrantRentalSubsidy',
    grantId: 'ZL-1',
    household: tenant,
    jurisdictionCode: '150802001002',
    category: 'dibao',
    firstMonth: '2025-10',
    documentNumber: '临住补〔2025〕301号',
    table,
    officer,
    now: t('2025-09-20'),
  },
  pay('2025-10'),
  pay('2025-11'),
  pay('2025-12'),
  pay('2026-01'),
] satisfies RentalSubsidyCommand[]);
const events: HousingRegisterEvent[] = [...renovation, ...allocation, ...subsidy];

describe('housing register of assistance given', () => {
  it('folds subsidies paid and units let into entries naming the applicant and every member housed', () => {
    const register = housingRegisterOf(events);
    expect(register.map((e) => [e.programme, e.date, e.amountFen, e.month])).toEqual([
      ['house_renovation', '2024-09-12', 4_000_000, null],
      ['public_rental_housing', '2025-10-15', 0, null],
      ['rental_subsidy', '2025-10-10', 30_000, '2025-10'],
      ['rental_subsidy', '2025-11-10', 30_000, '2025-11'],
      ['rental_subsidy', '2025-12-10', 30_000, '2025-12'],
      ['rental_subsidy', '2026-01-10', 30_000, '2026-01'],
    ]);
    expect(register[0]).toEqual({
      personIdNumber: farmer.headIdNumber,
      personName: farmer.headName,
      householdId: 'hh-rural',
      memberIdNumbers: farmer.memberIdNumbers,
      programme: 'house_renovation',
      amountFen: 4_000_000,
      date: '2024-09-12',
      decisionReference: '五住建改〔2024〕1号',
      month: null,
      subjectId: 'WG-1',
      jurisdictionCode: '150821102201',
    });
  });
});

describe('housing answers to household economic verification', () => {
  const register = housingRegisterOf(events);

  it('a renovation whenever it was paid, found through any member; no address, grade or reference', () => {
    const answer = answerVerification(register, ['150821195808081223'], '2026-11-30');
    expect(answer).toEqual({
      department: 'housing',
      result: 'on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      items: [
        {
          programme: 'house_renovation',
          memberIdNumbers: ['150821195808081223'],
          paidOn: '2024-09-12',
          amountYuan: 40_000,
        },
      ],
    });
    expect(JSON.stringify(answer)).not.toMatch(/永联村|五住建改|JD-1|WG-1|hh-/);
  });

  it('the rental subsidy of the last twelve months only; a public rental unit with its date', () => {
    expect(
      answerVerification(register, [tenant.memberIdNumbers[1]!, housed.headIdNumber], '2026-11-30'),
    ).toEqual({
      department: 'housing',
      result: 'on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      items: [
        {
          programme: 'public_rental_housing',
          memberIdNumbers: [housed.headIdNumber],
          allocatedOn: '2025-10-15',
        },
        // December and January: October and November fall before the window.
        {
          programme: 'rental_subsidy',
          memberIdNumbers: [tenant.memberIdNumbers[1]],
          months: 2,
          amountYuan: 600,
        },
      ],
    });
    // As it stood on 10 November 2025: two months paid, the unit already let.
    expect(answerVerification(register, [tenant.headIdNumber], '2025-11-10')).toMatchObject({
      items: [{ programme: 'rental_subsidy', months: 2, amountYuan: 600 }],
    });
  });

  it('nothing on record: an explicit answer', () => {
    expect(answerVerification(register, ['150802201005051238'], '2026-11-30')).toEqual({
      department: 'housing',
      result: 'nothing_on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      statement:
        '经查询，截至 2026-11-30，住房和城乡建设部门无被核对人员享受农村危房改造补助、公共租赁住房实物配租的记录，2025-12-01 至 2026-11-30 期间无租赁补贴发放记录。',
    });
    // Before anything was given: nothing, as it stood then.
    expect(answerVerification(register, [farmer.headIdNumber], '2024-09-11').result).toBe(
      'nothing_on_record',
    );
    // Rental subsidy older than twelve months only: nothing in the window.
    expect(answerVerification(register, [tenant.headIdNumber], '2027-01-10').result).toBe(
      'nothing_on_record',
    );
  });

  it('refuses a question without members or a valid day', () => {
    expect(() => answerVerification(register, [], '2026-11-30')).toThrow(DomainError);
    expect(() => answerVerification(register, [tenant.headIdNumber], '2026-02-29')).toThrow(/asOf：/);
  });
});
