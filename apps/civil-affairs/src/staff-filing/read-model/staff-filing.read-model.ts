import { StaffFilingPerson } from './staff-filing.entities.js';
import { StaffFilingReadModel1764979200000 } from './migrations/1764979200000-staff-filing-read-model.js';

/** The staff-filing read model and the migrations that shape its table, in order. */
export const staffFilingReadModel = {
  entities: [StaffFilingPerson],
  migrations: [StaffFilingReadModel1764979200000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const STAFF_FILING_PROJECTION_NAME = 'staff-filing';
