import { EducationRegisterEntryRow } from './education-register.entities.js';
import { EducationRegister1765152000000 } from './migrations/1765152000000-education-register.js';

/** The education register read model and the migrations that shape its table, in order. */
export const educationRegisterReadModel = {
  entities: [EducationRegisterEntryRow],
  migrations: [EducationRegister1765152000000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const EDUCATION_REGISTER_PROJECTION_NAME = 'education-register';
