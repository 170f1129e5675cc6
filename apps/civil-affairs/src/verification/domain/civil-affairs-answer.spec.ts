import { answerCivilAffairs, type HouseholdPeriod, type TemporaryGrant } from './civil-affairs-answer.js';
import { summariseAnswer } from './answer-summary.js';

const A = '150802195801011234';
const B = '15080219620304122X';
const C = '150802201005051238';
const D = '150802198807070014';

describe("civil affairs' own verification answer", () => {
  const periods: HouseholdPeriod[] = [
    // Granted in March 2026 at 1,400, changed from August to 660, still standing.
    { idNumber: A, program: 'dibao', monthlyAmount: 1400, firstMonth: '2026-03', lastMonth: '2026-07' },
    { idNumber: A, program: 'dibao', monthlyAmount: 660, firstMonth: '2026-08', lastMonth: null },
    // B was in a household stopped in 2025: outside the twelve months.
    {
      idNumber: B,
      program: 'special_hardship',
      monthlyAmount: 1131,
      firstMonth: '2024-01',
      lastMonth: '2025-10',
    },
  ];

  it('sums the roster months inside the twelve months up to the day, and names the category that day', () => {
    const answer = answerCivilAffairs(periods, [A, B, C], '2026-11-27');
    expect(answer).toEqual({
      department: 'civil-affairs',
      result: 'on_record',
      asOf: '2026-11-27',
      period: { from: '2025-12-01', to: '2026-11-27' },
      members: [
        {
          idNumber: A,
          onRecord: true,
          // March–July at 1,400 (5 months) and August–November at 660 (4 months).
          byProgramme: [{ programme: '最低生活保障', amountYuan: 5 * 1400 + 4 * 660 }],
          category: '最低生活保障',
        },
        { idNumber: B, onRecord: true, byProgramme: [], category: null },
        { idNumber: C, onRecord: false },
      ],
    });
    expect(summariseAnswer('civil-affairs', answer)).toBe(
      '近 12 个月已获最低生活保障 9,640 元；现为最低生活保障对象',
    );
  });

  it('says explicitly when nobody asked about is on record', () => {
    const answer = answerCivilAffairs(periods, [C], '2026-11-27');
    expect(answer).toMatchObject({
      result: 'nothing_on_record',
      statement: expect.stringContaining('民政部门无'),
    });
    expect(summariseAnswer('civil-affairs', answer)).toContain('民政部门无');
  });

  it('crosses a year: twelve roster months back from January', () => {
    const answer = answerCivilAffairs(periods, [B], '2026-01-15');
    expect(answer).toMatchObject({
      period: { from: '2025-02-01', to: '2026-01-15' },
      members: [{ byProgramme: [{ amountYuan: 9 * 1131 }] }],
    });
  });
});

describe("civil affairs' verification answer: temporary assistance (临时救助)", () => {
  const grant = (idNumber: string, decidedOn: string, grantedFen: number): TemporaryGrant => ({
    idNumber,
    decidedOn,
    grantedFen,
  });
  const TEMPORARY = '临时救助';

  it('counts a grant on the first day of the twelve months and on the day asked about, not the day before', () => {
    // Asked about 2026-11-30: the period is 2025-12-01 to 2026-11-30, exactly twelve months.
    const grants = [
      grant(A, '2025-12-01', 100_000), // the first day: counted
      grant(A, '2025-11-30', 200_000), // one day older: not counted
      grant(A, '2026-11-30', 30_050), // the day asked about: counted
      grant(A, '2026-12-01', 400_000), // after it: not counted
    ];
    const answer = answerCivilAffairs([], [A], '2026-11-30', grants);
    expect(answer).toEqual({
      department: 'civil-affairs',
      result: 'on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      members: [
        {
          idNumber: A,
          onRecord: true,
          byProgramme: [{ programme: TEMPORARY, amountYuan: 1300.5 }],
          category: null,
        },
      ],
    });
  });

  it('keeps to the period it reports when the day asked about is within a month', () => {
    // Asked about 2026-11-27: the period starts on 2025-12-01, so the same day a year before is outside it.
    const answer = answerCivilAffairs([], [A], '2026-11-27', [
      grant(A, '2025-11-27', 100_000),
      grant(A, '2025-11-28', 20_000),
      grant(A, '2025-12-01', 3_000),
    ]);
    expect(answer).toMatchObject({
      period: { from: '2025-12-01', to: '2026-11-27' },
      members: [{ idNumber: A, byProgramme: [{ programme: TEMPORARY, amountYuan: 30 }] }],
    });
  });

  it('adds temporary assistance after the allowances, for each member of the household granted', () => {
    const periods: HouseholdPeriod[] = [
      { idNumber: A, program: 'dibao', monthlyAmount: 660, firstMonth: '2026-08', lastMonth: null },
      { idNumber: B, program: 'dibao', monthlyAmount: 660, firstMonth: '2026-08', lastMonth: null },
    ];
    // One household of A and B granted twice (10 fen and 20 fen add up to 30 fen exactly); D alone once.
    const grants = [
      grant(A, '2026-03-10', 10),
      grant(B, '2026-03-10', 10),
      grant(A, '2026-09-02', 20),
      grant(B, '2026-09-02', 20),
      grant(D, '2026-06-18', 207_000),
    ];
    const answer = answerCivilAffairs(periods, [A, B, C, D], '2026-11-27', grants);
    expect(answer).toMatchObject({ result: 'on_record' });
    expect(answer.result === 'on_record' && answer.members).toEqual([
      {
        idNumber: A,
        onRecord: true,
        byProgramme: [
          { programme: '最低生活保障', amountYuan: 4 * 660 },
          { programme: TEMPORARY, amountYuan: 0.3 },
        ],
        category: '最低生活保障',
      },
      {
        idNumber: B,
        onRecord: true,
        byProgramme: [
          { programme: '最低生活保障', amountYuan: 4 * 660 },
          { programme: TEMPORARY, amountYuan: 0.3 },
        ],
        category: '最低生活保障',
      },
      { idNumber: C, onRecord: false },
      // Temporary assistance alone puts a member on record; it is no category.
      {
        idNumber: D,
        onRecord: true,
        byProgramme: [{ programme: TEMPORARY, amountYuan: 2070 }],
        category: null,
      },
    ]);
  });

  it('a member granted only before the twelve months is on record with nothing in them', () => {
    const answer = answerCivilAffairs([], [D], '2026-11-27', [grant(D, '2024-05-06', 50_000)]);
    expect(answer).toMatchObject({
      result: 'on_record',
      members: [{ idNumber: D, onRecord: true, byProgramme: [], category: null }],
    });
  });

  it('says nothing is on record, temporary assistance included, when nobody asked about has any', () => {
    const answer = answerCivilAffairs([], [C, D], '2026-11-27', [grant(A, '2026-06-18', 207_000)]);
    expect(answer).toEqual({
      department: 'civil-affairs',
      result: 'nothing_on_record',
      asOf: '2026-11-27',
      period: { from: '2025-12-01', to: '2026-11-27' },
      statement:
        '经查询，2025-12-01 至 2026-11-27 期间，民政部门无被核对人员享受最低生活保障、特困人员救助供养、临时救助的记录。',
    });
  });
});
