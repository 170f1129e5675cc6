import { VerificationEntry } from './verification.entities.js';
import { VerificationReadModel1765497600000 } from './migrations/1765497600000-verification-read-model.js';

/** The verification read model and the migrations that shape its table, in order. */
export const verificationReadModel = {
  entities: [VerificationEntry],
  migrations: [VerificationReadModel1765497600000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const VERIFICATION_PROJECTION_NAME = 'verifications';
