import { CaseFact, GovernmentReportFact, ReferralFact } from './facts.entities.js';
import { Facts1764201600000 } from './migrations/1764201600000-facts.js';
import { GovernmentReportFacts1766102400000 } from './migrations/1766102400000-government-report-facts.js';

/** Oversight's read models and the migrations that shape their tables, in order. */
export const factsReadModel = {
  entities: [ReferralFact, CaseFact, GovernmentReportFact],
  migrations: [Facts1764201600000, GovernmentReportFacts1766102400000],
};
