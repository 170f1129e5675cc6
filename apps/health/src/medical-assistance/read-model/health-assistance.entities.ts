import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** Fen are bigint in PostgreSQL (sums outgrow int4); node-postgres hands them over as strings. */
const fen: ValueTransformer = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * One row per assessed medical-assistance claim (医疗救助结算), written once from its event: a claim is
 * never re-assessed. Officers list them by county, person and status.
 */
@Entity({ name: 'medical_assistance_claims' })
@Index('medical_assistance_claims_county', ['countyCode', 'assessedAt'])
@Index('medical_assistance_claims_person', ['personIdNumber', 'serviceDate'])
export class MedicalClaimEntry {
  @PrimaryColumn({ name: 'claim_id', type: 'text' })
  claimId: string;

  /** The person's stream key (a hash of the ID number), to fold their record. */
  @Column({ name: 'person_key', type: 'text' })
  personKey: string;

  @Column({ name: 'person_id_number', type: 'text' })
  personIdNumber: string;

  @Column({ name: 'person_name', type: 'text' })
  personName: string;

  @Column({ name: 'household_id', type: 'text', nullable: true })
  householdId: string | null;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'service_date', type: 'date' })
  serviceDate: string;

  @Column({ type: 'text' })
  year: string;

  @Column({ type: 'text' })
  hospital: string;

  @Column({ name: 'serious_illness', type: 'boolean' })
  seriousIllness: boolean;

  @Column({ name: 'total_cost_fen', type: 'bigint', transformer: fen })
  totalCostFen: number;

  @Column({ name: 'in_policy_out_of_pocket_fen', type: 'bigint', transformer: fen })
  inPolicyOutOfPocketFen: number;

  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'ratio_percent', type: 'int' })
  ratioPercent: number;

  @Column({ name: 'assistance_fen', type: 'bigint', transformer: fen })
  assistanceFen: number;

  @Column({ name: 'personal_payment_fen', type: 'bigint', transformer: fen })
  personalPaymentFen: number;

  @Column({ name: 'cap_reached', type: 'boolean' })
  capReached: boolean;

  /** assisted | capped | none (`claimStatusOf`). */
  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'assessed_by_name', type: 'text' })
  assessedByName: string;

  @Column({ name: 'assessed_at', type: 'timestamptz' })
  assessedAt: Date;
}

/** One row per disease-emergency report (疾病应急救助), re-folded from its stream on every event. */
@Entity({ name: 'disease_emergency_reports' })
@Index('disease_emergency_reports_county', ['countyCode', 'reportedAt'])
export class DiseaseEmergencyReportEntry {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId: string;

  /** reported | reviewed | paid | refused. */
  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'hospital_code', type: 'text' })
  hospitalCode: string;

  @Column({ name: 'hospital_name', type: 'text' })
  hospitalName: string;

  /** unidentified | unable_to_pay. */
  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'patient_identified', type: 'boolean' })
  patientIdentified: boolean;

  @Column({ name: 'patient_id_number', type: 'text', nullable: true })
  patientIdNumber: string | null;

  @Column({ name: 'patient_name', type: 'text', nullable: true })
  patientName: string | null;

  @Column({ name: 'admitted_on', type: 'date' })
  admittedOn: string;

  @Column({ name: 'emergency_cost_fen', type: 'bigint', transformer: fen })
  emergencyCostFen: number;

  @Column({ name: 'unpaid_fen', type: 'bigint', transformer: fen })
  unpaidFen: number;

  @Column({ name: 'approved_fen', type: 'bigint', nullable: true, transformer: fen })
  approvedFen: number | null;

  @Column({ name: 'paid_fen', type: 'bigint', nullable: true, transformer: fen })
  paidFen: number | null;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * The register of assistance given (救助台账): one row per entry of `foldHealthRegister` — a claim
 * assessed or a disease-emergency payment — keyed by programme and decision reference. Household
 * verification reads it by member ID number (`health_register_person`, a covering index: the answer's
 * columns come from the index alone).
 */
@Entity({ name: 'health_assistance_register' })
@Index('health_register_county', ['countyCode', 'date'])
export class HealthRegisterRow {
  @PrimaryColumn({ type: 'text' })
  programme: string;

  @PrimaryColumn({ name: 'decision_reference', type: 'text' })
  decisionReference: string;

  @Column({ name: 'person_id_number', type: 'text', nullable: true })
  personIdNumber: string | null;

  @Column({ name: 'person_name', type: 'text', nullable: true })
  personName: string | null;

  @Column({ name: 'household_id', type: 'text', nullable: true })
  householdId: string | null;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fen })
  amountFen: number;

  @Column({ type: 'date' })
  date: string;

  @Column({ name: 'medical_cost_fen', type: 'bigint', transformer: fen })
  medicalCostFen: number;

  @Column({ name: 'personal_payment_fen', type: 'bigint', transformer: fen })
  personalPaymentFen: number;

  @Column({ name: 'serious_illness', type: 'boolean' })
  seriousIllness: boolean;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ type: 'text' })
  hospital: string;
}
