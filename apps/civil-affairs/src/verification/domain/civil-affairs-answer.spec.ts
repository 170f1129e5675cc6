import { answerCivilAffairs, type HouseholdPeriod } from './civil-affairs-answer.js';
import { summariseAnswer } from './answer-summary.js';

const A = '150802195801011234';
const B = '15080219620304122X';
const C = '150802201005051238';

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
