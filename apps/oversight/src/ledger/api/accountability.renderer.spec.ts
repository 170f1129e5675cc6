import { accountabilityCsv } from './accountability.renderer.js';

describe('the accountability report as CSV', () => {
  it('shows a reason typed as a formula as text, never as a formula a spreadsheet would run', () => {
    const csv = accountabilityCsv({
      period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      overdue: [],
      decisions: [
        {
          officer: 'u-health-linhe',
          department: 'health',
          accepted: 0,
          declined: 1,
          granted: 0,
          not_eligible: 0,
          reasons: ['=HYPERLINK("http://evil.example","申请人信息")'],
        },
      ],
      revokedAndReopened: [],
    });
    const line = csv.split('\n').find((l) => l.startsWith('"decision"'))!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""申请人信息"")"`);
    expect(line).not.toMatch(/,=|,"=/);
  });
});
