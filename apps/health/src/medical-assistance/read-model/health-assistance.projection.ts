import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import type { EntityManager } from 'typeorm';
import {
  foldHealthRegister,
  type HealthRegisterEntry,
  type HealthRegisterEvent,
} from '../domain/assistance-register.js';
import {
  diseaseEmergencyDecider,
  type DiseaseEmergencyEvent,
  type DiseaseEmergencyState,
} from '../domain/disease-emergency.decider.js';
import { claimStatusOf, type ClaimAssessedData } from '../domain/medical-assistance.decider.js';
import {
  DiseaseEmergencyReportEntry,
  HealthRegisterRow,
  MedicalClaimEntry,
} from './health-assistance.entities.js';
import {
  DISEASE_EMERGENCY_STREAM_PREFIX,
  HEALTH_ASSISTANCE_PROJECTION_NAME,
  MEDICAL_ASSISTANCE_STREAM_PREFIX,
} from './health-assistance.read-model.js';

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const CHUNK = 1000;

const REGISTER_TYPES = new Set([
  'health.MedicalClaimAssessed',
  'health.DiseaseEmergencyPaid',
  'health.DiseaseEmergencyPatientIdentified',
]);

const isHealthStream = (streamId: string) =>
  streamId.startsWith(MEDICAL_ASSISTANCE_STREAM_PREFIX) ||
  streamId.startsWith(DISEASE_EMERGENCY_STREAM_PREFIX);

/** A report folded from its stream. */
export function foldDiseaseEmergency(history: RecordedEvent[]): DiseaseEmergencyState {
  return history.reduce(
    (s, e) => diseaseEmergencyDecider.evolve(s, { type: e.type, data: e.data } as DiseaseEmergencyEvent),
    diseaseEmergencyDecider.initialState(),
  );
}

export function claimRowOf(d: ClaimAssessedData, personKey: string): MedicalClaimEntry {
  return {
    claimId: d.claimId,
    personKey,
    personIdNumber: d.person.idNumber,
    personName: d.person.name,
    householdId: d.person.householdId,
    countyCode: d.countyCode,
    serviceDate: d.serviceDate,
    year: d.year,
    hospital: d.hospital,
    seriousIllness: d.seriousIllness,
    totalCostFen: d.totalCostFen,
    inPolicyOutOfPocketFen: d.inPolicyOutOfPocketFen,
    category: d.category,
    ratioPercent: d.ratioPercent,
    assistanceFen: d.assistanceFen,
    personalPaymentFen: d.personalPaymentFen,
    capReached: d.capReached,
    status: claimStatusOf(d),
    assessedByName: d.by.name,
    assessedAt: new Date(d.at),
  };
}

export function reportRowOf(
  state: DiseaseEmergencyState,
  updatedAt: Date,
): DiseaseEmergencyReportEntry | null {
  const r = state.report;
  if (!r) return null;
  const patient = state.patient?.identified ? state.patient : null;
  return {
    reportId: r.reportId,
    status: state.status,
    countyCode: r.hospital.countyCode,
    hospitalCode: r.hospital.code,
    hospitalName: r.hospital.name,
    reason: r.reason,
    patientIdentified: patient !== null,
    patientIdNumber: patient?.idNumber ?? null,
    patientName: patient?.name ?? null,
    admittedOn: r.admittedOn,
    emergencyCostFen: r.emergencyCostFen,
    unpaidFen: r.unpaidFen,
    approvedFen: state.review?.approvedFen ?? null,
    paidFen: state.payment?.amountFen ?? null,
    reportedAt: new Date(r.at),
    updatedAt,
  };
}

const keyOf = (e: Pick<HealthRegisterEntry, 'programme' | 'decisionReference'>) =>
  `${e.programme}:${e.decisionReference}`;

export const registerRowOf = (e: HealthRegisterEntry): HealthRegisterRow => ({ ...e });

const entryOf = (r: HealthRegisterRow): HealthRegisterEntry => ({
  personIdNumber: r.personIdNumber,
  personName: r.personName,
  householdId: r.householdId,
  programme: r.programme as HealthRegisterEntry['programme'],
  amountFen: r.amountFen,
  date: r.date,
  decisionReference: r.decisionReference,
  medicalCostFen: r.medicalCostFen,
  personalPaymentFen: r.personalPaymentFen,
  seriousIllness: r.seriousIllness,
  countyCode: r.countyCode,
  hospital: r.hospital,
});

/**
 * The register's rows a batch touches, through the domain's pure fold: the rows already there for the
 * batch's references, folded with the batch's events in order, written back in one upsert.
 */
async function applyRegister(events: RecordedEvent[], manager: EntityManager): Promise<void> {
  const batch = events
    .filter((e) => REGISTER_TYPES.has(e.type) && isHealthStream(e.streamId))
    .map((e) => ({ type: e.type, data: e.data }) as HealthRegisterEvent);
  if (batch.length === 0) return;
  const references = [
    ...new Set(
      batch.map((e) =>
        e.type === 'health.MedicalClaimAssessed' ? e.data.claimId : (e.data as { reportId: string }).reportId,
      ),
    ),
  ];
  const existing = await manager
    .createQueryBuilder(HealthRegisterRow, 'r')
    .where('r.decision_reference = ANY(:references)', { references })
    .getMany();
  const folded = batch.reduce(foldHealthRegister, existing.map(entryOf));
  // One row per key, the last folded: an INSERT … ON CONFLICT may not touch a row twice.
  const rows = [...new Map(folded.map((e) => [keyOf(e), registerRowOf(e)])).values()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(HealthRegisterRow)
      .values(rows.slice(i, i + CHUNK))
      .orUpdate(
        [
          'person_id_number',
          'person_name',
          'household_id',
          'amount_fen',
          'date',
          'medical_cost_fen',
          'personal_payment_fen',
          'serious_illness',
          'county_code',
          'hospital',
        ],
        ['programme', 'decision_reference'],
      )
      .updateEntity(false)
      .execute();
  }
}

/**
 * The health assistance read models: claims written once from their event (a claim is assessed once),
 * reports re-folded from their streams, and the register through the pure fold — one transaction per
 * batch with the checkpoint, a few statements whatever the batch's size.
 */
export function healthAssistanceProjection(store: EventStore): Projection {
  return {
    name: HEALTH_ASSISTANCE_PROJECTION_NAME,
    async reset(manager) {
      for (const entity of [MedicalClaimEntry, DiseaseEmergencyReportEntry, HealthRegisterRow]) {
        await manager.createQueryBuilder().delete().from(entity).execute();
      }
    },
    async apply(events, manager) {
      const claims = events
        .filter(
          (e) =>
            e.type === 'health.MedicalClaimAssessed' &&
            e.streamId.startsWith(MEDICAL_ASSISTANCE_STREAM_PREFIX),
        )
        .map((e) =>
          claimRowOf(e.data as ClaimAssessedData, e.streamId.slice(MEDICAL_ASSISTANCE_STREAM_PREFIX.length)),
        );
      for (let i = 0; i < claims.length; i += CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(MedicalClaimEntry)
          .values(claims.slice(i, i + CHUNK))
          .orIgnore()
          .updateEntity(false)
          .execute();
      }

      const reports = [
        ...new Set(
          events.filter((e) => e.streamId.startsWith(DISEASE_EMERGENCY_STREAM_PREFIX)).map((e) => e.streamId),
        ),
      ];
      if (reports.length > 0) {
        const histories = await store.readStreams(reports);
        const rows: DiseaseEmergencyReportEntry[] = [];
        for (const stream of reports) {
          const history = histories.get(stream) ?? [];
          const row =
            history.length > 0
              ? reportRowOf(foldDiseaseEmergency(history), history.at(-1)!.recordedAt)
              : null;
          if (row) rows.push(row);
        }
        if (rows.length > 0) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(DiseaseEmergencyReportEntry)
            .values(rows)
            .orUpdate(
              [
                'status',
                'patient_identified',
                'patient_id_number',
                'patient_name',
                'approved_fen',
                'paid_fen',
                'updated_at',
              ],
              ['report_id'],
            )
            .updateEntity(false)
            .execute();
        }
      }

      await applyRegister(events, manager);
    },
  };
}
