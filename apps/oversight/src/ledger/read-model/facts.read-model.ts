import { CaseFact, ReferralFact } from './facts.entities.js';
import { Facts1764201600000 } from './migrations/1764201600000-facts.js';

/** Oversight's read models and the migrations that shape their tables, in order. */
export const factsReadModel = {
  entities: [ReferralFact, CaseFact],
  migrations: [Facts1764201600000],
};
