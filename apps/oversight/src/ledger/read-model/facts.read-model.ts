import { CaseFact, GovernmentReportFact, PendingReferralEvent, ReferralFact } from './facts.entities.js';
import { Facts1764201600000 } from './migrations/1764201600000-facts.js';
import { GovernmentReportFacts1766102400000 } from './migrations/1766102400000-government-report-facts.js';
import { ReferralFactPending1767139200000 } from './migrations/1767139200000-referral-fact-pending.js';

/** Oversight's read models and the migrations that shape their tables, in order. */
export const factsReadModel = {
  entities: [ReferralFact, CaseFact, GovernmentReportFact, PendingReferralEvent],
  migrations: [Facts1764201600000, GovernmentReportFacts1766102400000, ReferralFactPending1767139200000],
};
