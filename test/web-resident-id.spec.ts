// The web UI checks resident ID numbers as they are typed with its own copy of the GB 11643 rules
// (apps/web imports no server code): it must agree with the server's validator, message for message.
import { residentIdCheckChar, validateResidentId } from '../libs/auth/src/domain/resident-id.js';
import { residentIdProblem } from '../apps/web/src/resident-id.js';

describe('web UI resident ID check (apps/web/src/resident-id.ts)', () => {
  const today = new Date('2026-11-27T00:00:00Z');
  const valid = (first17: string) => first17 + residentIdCheckChar(first17);
  const cases = [
    valid('15080219800101123'),
    valid('11010519491231002'),
    '150802198001011235',
    '15080219800101123',
    '1508021980010112345',
    '99080219800101123X',
    '150000198001011234',
    valid('15080219800230123'),
    valid('15080218990101123'),
    valid('15080220300101123'),
    '15080219800101123x',
    '',
  ];

  it.each(cases)('%s: same verdict and message as the server', (id) => {
    const server = validateResidentId(id, today);
    expect(residentIdProblem(id, today)).toBe(server.valid ? null : server.reason);
  });
});
