import { createHash } from 'node:crypto';
import { merkleRoot, sealHash, sealMessage, type SealBody } from '@platform/audit';
import { diffCases, replay, type LedgerEntry } from './case-replay.js';

const h = (s: string) => createHash('sha256').update(s).digest();

describe('merkleRoot', () => {
  it('changes when an entry is removed, changed or reordered', () => {
    const entries = ['a', 'b', 'c', 'd', 'e'].map(h);
    const root = merkleRoot(entries).toString('hex');
    expect(merkleRoot(entries).toString('hex')).toBe(root);
    expect(merkleRoot(entries.slice(0, 4)).toString('hex')).not.toBe(root);
    expect(merkleRoot([entries[1]!, entries[0]!, ...entries.slice(2)]).toString('hex')).not.toBe(root);
    expect(merkleRoot([...entries.slice(0, 4), h('x')]).toString('hex')).not.toBe(root);
  });

  it('separates leaves from inner nodes', () => {
    const [a, b] = [h('a'), h('b')];
    const inner = createHash('sha256')
      .update(Buffer.from([0x01]))
      .update(
        createHash('sha256')
          .update(Buffer.from([0x00]))
          .update(a)
          .digest(),
      )
      .update(
        createHash('sha256')
          .update(Buffer.from([0x00]))
          .update(b)
          .digest(),
      )
      .digest();
    expect(merkleRoot([a, b])).toEqual(inner);
  });
});

describe('seal message', () => {
  it('commits to every field, so the hash changes with any of them', () => {
    const body: SealBody = {
      sealNo: 1,
      fromExclusive: { transactionId: '0', position: '0' },
      toInclusive: { transactionId: '900', position: '42' },
      entryCount: 42,
      merkleRoot: 'ab'.repeat(32),
      previousSealHash: '0'.repeat(64),
      sealedAt: '2026-11-27T00:00:00.000Z',
    };
    expect(sealMessage(body)).toBe(
      `social-assistance-ledger-seal/v1|1|0:0|900:42|42|${'ab'.repeat(32)}|${'0'.repeat(64)}|2026-11-27T00:00:00.000Z`,
    );
    expect(sealHash({ ...body, entryCount: 41 })).not.toBe(sealHash(body));
  });
});

describe('case replay', () => {
  const actor = { id: 'u', role: 'r', department: 'd', jurisdiction: 'j' };
  let position = 0;
  const entry = (type: string, data: Record<string, unknown>, at: string): LedgerEntry => ({
    position: ++position,
    eventId: `e${position}`,
    type,
    department: type.slice(0, type.indexOf('.')),
    caseId: 'c1',
    data,
    actor,
    occurredAt: at,
    sourceRecordedAt: at,
    correlationId: 'x',
    causationId: null,
  });
  const entries = [
    entry(
      'intake.CaseOpened',
      {
        caseId: 'c1',
        caseNumber: 'N1',
        channel: 'window',
        villageCode: 'v',
        countyCode: 'c',
        urgency: 'normal',
        categories: ['medical'],
      },
      '2026-01-01T00:00:00Z',
    ),
    entry('intake.CaseAccepted', { caseId: 'c1' }, '2026-01-01T01:00:00Z'),
    entry(
      'intake.ReferralIssued',
      {
        caseId: 'c1',
        referralId: 'r1',
        needId: 'n1',
        category: 'medical',
        department: 'health',
        jurisdiction: 'c',
      },
      '2026-01-01T01:00:00Z',
    ),
    entry('health.ReferralReceived', { caseId: 'c1', referralId: 'r1' }, '2026-01-01T01:00:01Z'),
    entry(
      'health.ReferralOverdue',
      { caseId: 'c1', referralId: 'r1', deadline: 'acknowledge' },
      '2026-01-05T00:00:00Z',
    ),
    entry(
      'health.ReferralCompleted',
      { caseId: 'c1', referralId: 'r1', outcome: 'granted', amount: 500 },
      '2026-01-06T00:00:00Z',
    ),
  ];

  it('folds the ledger into the case and its referrals', () => {
    expect(replay('c1', entries).referrals).toEqual([
      expect.objectContaining({
        referralId: 'r1',
        status: 'completed',
        overdue: ['acknowledge'],
        outcome: 'granted',
        amount: 500,
      }),
    ]);
  });

  it('shows what changed between two points, referral by referral', () => {
    const changes = diffCases(replay('c1', entries.slice(0, 4)), replay('c1', entries));
    expect(changes).toEqual(
      expect.arrayContaining([
        { what: 'referral r1.status', before: 'received', after: 'completed' },
        { what: 'referral r1.amount', before: null, after: 500 },
        { what: 'referral r1.overdue', before: [], after: ['acknowledge'] },
      ]),
    );
  });
});
