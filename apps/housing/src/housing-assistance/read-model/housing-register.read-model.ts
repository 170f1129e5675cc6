import { HousingCaseRow } from './housing-cases.entities.js';
import { HousingRegisterEntryRow } from './housing-register.entities.js';
import { HousingCases1766880000000 } from './migrations/1766880000000-housing-cases.js';
import { HousingRegister1765152000000 } from './migrations/1765152000000-housing-register.js';
import { HousingRegisterLookupPlan1765670400000 } from './migrations/1765670400000-housing-register-lookup-plan.js';

/**
 * The housing read model — the register of assistance given and the officers' lists of projects and
 * grants — and the migrations that shape its tables, in order.
 */
export const housingRegisterReadModel = {
  entities: [HousingRegisterEntryRow, HousingCaseRow],
  migrations: [
    HousingRegister1765152000000,
    HousingRegisterLookupPlan1765670400000,
    HousingCases1766880000000,
  ],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const HOUSING_REGISTER_PROJECTION_NAME = 'housing-register';
