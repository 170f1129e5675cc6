import { createHash } from 'node:crypto';
import { DeciderStore, type EventStore, type RecordedEvent } from '@platform/event-store';
import {
  diseaseEmergencyDecider,
  type DiseaseEmergencyCommand,
  type DiseaseEmergencyEvent,
  type DiseaseEmergencyState,
} from '../domain/disease-emergency.decider.js';
import {
  medicalAssistanceDecider,
  type MedicalAssistanceCommand,
  type MedicalAssistanceEvent,
  type MedicalAssistanceState,
} from '../domain/medical-assistance.decider.js';
import {
  DISEASE_EMERGENCY_STREAM_PREFIX,
  MEDICAL_ASSISTANCE_STREAM_PREFIX,
} from '../read-model/health-assistance.read-model.js';

export type MedicalAssistanceStore = DeciderStore<
  MedicalAssistanceCommand,
  MedicalAssistanceEvent,
  MedicalAssistanceState
>;
export type DiseaseEmergencyStore = DeciderStore<
  DiseaseEmergencyCommand,
  DiseaseEmergencyEvent,
  DiseaseEmergencyState
>;

/**
 * A person's stream key: a hash of the ID number, not the number itself. Stream ids travel where the
 * events' data does not — seals list the heads of the streams they cover, and seals are copied to
 * oversight and the other departments — so an ID number must not be one. Deterministic, so a category
 * fact arriving by ID number finds the person's stream without a lookup.
 */
export const personKeyOf = (idNumber: string) =>
  createHash('sha256')
    .update(`health:medical-assistance:${idNumber.trim().toUpperCase()}`)
    .digest('hex')
    .slice(0, 32);

/** Medical assistance on the generic command path: stream `medical-assistance-<personKey>`. */
export function medicalAssistanceStore(store: EventStore): MedicalAssistanceStore {
  return new DeciderStore({
    store,
    decider: medicalAssistanceDecider,
    streamOf: (personKey) => `${MEDICAL_ASSISTANCE_STREAM_PREFIX}${personKey}`,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as MedicalAssistanceEvent,
  });
}

/** Disease-emergency reports: stream `disease-emergency-<reportId>`. */
export function diseaseEmergencyStore(store: EventStore): DiseaseEmergencyStore {
  return new DeciderStore({
    store,
    decider: diseaseEmergencyDecider,
    streamOf: (reportId) => `${DISEASE_EMERGENCY_STREAM_PREFIX}${reportId}`,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as DiseaseEmergencyEvent,
  });
}
