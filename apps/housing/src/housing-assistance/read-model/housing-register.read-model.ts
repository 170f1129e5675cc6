import { HousingRegisterEntryRow } from './housing-register.entities.js';
import { HousingRegister1765152000000 } from './migrations/1765152000000-housing-register.js';
import { HousingRegisterLookupPlan1765670400000 } from './migrations/1765670400000-housing-register-lookup-plan.js';

/** The housing register read model and the migrations that shape its table, in order. */
export const housingRegisterReadModel = {
  entities: [HousingRegisterEntryRow],
  migrations: [HousingRegister1765152000000, HousingRegisterLookupPlan1765670400000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const HOUSING_REGISTER_PROJECTION_NAME = 'housing-register';
