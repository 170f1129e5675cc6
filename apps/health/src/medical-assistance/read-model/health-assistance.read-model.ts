import {
  DiseaseEmergencyReportEntry,
  HealthRegisterRow,
  MedicalClaimEntry,
} from './health-assistance.entities.js';
import { HealthAssistanceReadModel1765238400000 } from './migrations/1765238400000-health-assistance-read-model.js';

/** The health assistance read models and the migrations that shape their tables, in order. */
export const healthAssistanceReadModel = {
  entities: [MedicalClaimEntry, DiseaseEmergencyReportEntry, HealthRegisterRow],
  migrations: [HealthAssistanceReadModel1765238400000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const HEALTH_ASSISTANCE_PROJECTION_NAME = 'health-assistance';

/** Streams: a person's medical assistance (keyed by a hash of the ID number) and a disease-emergency report. */
export const MEDICAL_ASSISTANCE_STREAM_PREFIX = 'medical-assistance-';
export const DISEASE_EMERGENCY_STREAM_PREFIX = 'disease-emergency-';
