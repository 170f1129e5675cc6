/**
 * A case as the oversight ledger knows it: folded from every department's integration events.
 * Pure; used for point-in-time replay and diffs.
 */
export interface LedgerEntry {
  position: number;
  eventId: string;
  type: string;
  department: string;
  caseId: string;
  data: Record<string, unknown>;
  actor: { id: string; role: string; department: string; jurisdiction: string; organisation?: string };
  occurredAt: string;
  sourceRecordedAt: string;
  correlationId: string;
  causationId: string | null;
}

export interface ReplayedReferral {
  referralId: string;
  needId: string | null;
  category: string | null;
  department: string;
  jurisdiction: string | null;
  status: string;
  overdue: string[];
  outcome: string | null;
  amount: number | null;
  reason: string | null;
  heldBy: string | null;
  updatedAt: string;
}

export interface ReplayedCase {
  caseId: string;
  caseNumber: string | null;
  status: 'unknown' | 'opened' | 'accepted';
  channel: string | null;
  villageCode: string | null;
  countyCode: string | null;
  urgency: string | null;
  categories: string[];
  referrals: ReplayedReferral[];
  reportedToGovernment: Array<{ needId: string; category: string; reason: string; at: string }>;
  lastPosition: number | null;
  asOf: string | null;
}

const STATUS: Record<string, string> = {
  ReferralReceived: 'received',
  ReferralAcknowledged: 'acknowledged',
  ReferralAccepted: 'accepted',
  ReferralDeclined: 'declined',
  ReferralReopened: 'accepted',
  // Handed to another department by the one that held it (the new referral comes from intake).
  ReferralTransferred: 'transferred',
};

export function emptyCase(caseId: string): ReplayedCase {
  return {
    caseId,
    caseNumber: null,
    status: 'unknown',
    channel: null,
    villageCode: null,
    countyCode: null,
    urgency: null,
    categories: [],
    referrals: [],
    reportedToGovernment: [],
    lastPosition: null,
    asOf: null,
  };
}

function patch(state: ReplayedCase, referralId: string, p: Partial<ReplayedReferral>): ReplayedCase {
  return {
    ...state,
    referrals: state.referrals.map((r) => (r.referralId === referralId ? { ...r, ...p } : r)),
  };
}

export function applyEntry(state: ReplayedCase, e: LedgerEntry): ReplayedCase {
  const d = e.data;
  const at = e.occurredAt;
  const s = { ...state, lastPosition: e.position, asOf: e.sourceRecordedAt };
  const name = e.type.slice(e.type.indexOf('.') + 1);
  if (e.department === 'intake') {
    switch (name) {
      case 'CaseOpened':
        return {
          ...s,
          status: 'opened',
          caseNumber: d.caseNumber as string,
          channel: d.channel as string,
          villageCode: d.villageCode as string,
          countyCode: d.countyCode as string,
          urgency: d.urgency as string,
          categories: d.categories as string[],
        };
      case 'CaseAccepted':
        return { ...s, status: 'accepted' };
      case 'ReferralIssued':
        return {
          ...s,
          referrals: [
            ...s.referrals,
            {
              referralId: d.referralId as string,
              needId: d.needId as string,
              category: d.category as string,
              department: d.department as string,
              jurisdiction: d.jurisdiction as string,
              status: 'issued',
              overdue: [],
              outcome: null,
              amount: null,
              reason: null,
              heldBy: null,
              updatedAt: at,
            },
          ],
        };
      case 'ReferralRevoked':
        return patch(s, d.referralId as string, {
          status: 'revoked',
          reason: d.reason as string,
          updatedAt: at,
        });
      case 'ReferralRerouted':
        return patch(s, d.referralId as string, {
          status: 'rerouted',
          reason: d.reason as string,
          updatedAt: at,
        });
      case 'CaseReportedToGovernment':
        return {
          ...s,
          reportedToGovernment: [
            ...s.reportedToGovernment,
            { needId: d.needId as string, category: d.category as string, reason: d.reason as string, at },
          ],
        };
      default:
        return s;
    }
  }
  const referralId = d.referralId as string | undefined;
  if (!referralId || !s.referrals.some((r) => r.referralId === referralId)) return s;
  if (name === 'ReferralOverdue') {
    const current = s.referrals.find((r) => r.referralId === referralId)!;
    return patch(s, referralId, { overdue: [...current.overdue, d.deadline as string], updatedAt: at });
  }
  if (name === 'ReferralCompleted') {
    return patch(s, referralId, {
      status: d.outcome === 'returned' ? 'returned' : 'completed',
      outcome: d.outcome as string,
      amount: (d.amount as number | null) ?? null,
      reason: (d.reason as string | null) ?? null,
      heldBy: e.actor.id,
      updatedAt: at,
    });
  }
  const status = STATUS[name];
  if (!status) return patch(s, referralId, { heldBy: e.actor.id, updatedAt: at });
  return patch(s, referralId, {
    status,
    heldBy: name === 'ReferralReceived' ? null : e.actor.id,
    reason: name === 'ReferralDeclined' || name === 'ReferralTransferred' ? (d.reason as string) : undefined,
    updatedAt: at,
  });
}

export function replay(caseId: string, entries: LedgerEntry[]): ReplayedCase {
  return entries.reduce(applyEntry, emptyCase(caseId));
}

export interface Change {
  what: string;
  before: unknown;
  after: unknown;
}

/** What differs between two replayed states of one case, referral by referral. */
export function diffCases(a: ReplayedCase, b: ReplayedCase): Change[] {
  const changes: Change[] = [];
  if (a.status !== b.status) changes.push({ what: 'case.status', before: a.status, after: b.status });
  for (const r of b.referrals) {
    const before = a.referrals.find((x) => x.referralId === r.referralId);
    if (!before) {
      changes.push({ what: `referral ${r.referralId} (${r.department})`, before: null, after: r.status });
      continue;
    }
    for (const key of ['status', 'outcome', 'amount', 'reason'] as const) {
      if (before[key] !== r[key])
        changes.push({ what: `referral ${r.referralId}.${key}`, before: before[key], after: r[key] });
    }
    if (before.overdue.length !== r.overdue.length) {
      changes.push({ what: `referral ${r.referralId}.overdue`, before: before.overdue, after: r.overdue });
    }
  }
  if (a.reportedToGovernment.length !== b.reportedToGovernment.length) {
    changes.push({
      what: 'reportedToGovernment',
      before: a.reportedToGovernment.length,
      after: b.reportedToGovernment.length,
    });
  }
  return changes;
}
