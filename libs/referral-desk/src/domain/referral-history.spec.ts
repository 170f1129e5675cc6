import { beijingMinute } from '@platform/contracts';
import { referralHistory } from './referral-history.js';

describe('a referral’s history as the officer reads it', () => {
  const names = new Map([['u-health', '陈静']]);
  const name = (id: string) => names.get(id) ?? id;

  it('names each step in Chinese, with the officer, the note or the reason, in Beijing time', () => {
    const history = referralHistory(
      [
        { name: 'ReferralReceived', data: { at: '2026-11-27T02:00:00.000Z' } },
        { name: 'ReferralAcknowledged', data: { officerId: 'u-health', at: '2026-11-27T15:59:00.000Z' } },
        {
          name: 'ReferralProgressNoted',
          data: { officerId: 'u-health', note: '已电话联系', at: '2026-11-27T16:00:00.000Z' },
        },
        { name: 'ReferralOverdue', data: { deadline: 'decide', at: '2026-12-10T00:00:00.000Z' } },
        {
          name: 'ReferralTransferred',
          data: {
            officerId: 'u-gone',
            toDepartment: 'housing',
            reason: '危房',
            at: '2026-12-11T00:00:00.000Z',
          },
        },
        {
          name: 'ReferralCompleted',
          data: {
            officerId: 'u-health',
            outcome: 'granted',
            amount: 1200.5,
            service: null,
            reason: null,
            at: '2026-12-31T16:30:00.000Z',
          },
        },
      ],
      name,
    );
    expect(history).toEqual([
      { at: '2026-11-27 10:00', step: '收到转办', officer: null, detail: null },
      { at: '2026-11-27 23:59', step: '签收', officer: '陈静', detail: null },
      // Past midnight in Beijing: the next day.
      { at: '2026-11-28 00:00', step: '办理进度', officer: '陈静', detail: '已电话联系' },
      { at: '2026-12-10 08:00', step: '逾期', officer: null, detail: '超过办理时限' },
      // A user no longer in the directory keeps their id.
      {
        at: '2026-12-11 08:00',
        step: '移交其他部门',
        officer: 'u-gone',
        detail: '移交住房和城乡建设部门：危房',
      },
      // A year that ends in Beijing before it ends in UTC.
      { at: '2027-01-01 00:30', step: '办结', officer: '陈静', detail: '给予救助，1200.5元' },
    ]);
  });

  it('formats Beijing minutes across a year’s end', () => {
    expect(beijingMinute('2026-12-31T15:59:59.999Z')).toBe('2026-12-31 23:59');
    expect(beijingMinute('2026-12-31T16:00:00.000Z')).toBe('2027-01-01 00:00');
  });
});
