import { EducationRegisterEntryRow } from './education-register.entities.js';
import { EducationStudentRow } from './education-students.entities.js';
import { EducationRegister1765152000000 } from './migrations/1765152000000-education-register.js';
import { EducationStudents1766880000000 } from './migrations/1766880000000-education-students.js';

/**
 * The education read model — the register of assistance given and the officers' list of students — and
 * the migrations that shape its tables, in order.
 */
export const educationRegisterReadModel = {
  entities: [EducationRegisterEntryRow, EducationStudentRow],
  migrations: [EducationRegister1765152000000, EducationStudents1766880000000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const EDUCATION_REGISTER_PROJECTION_NAME = 'education-register';
