import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per dibao / special-hardship application: the township's and the county's lists, the notice
 * lists, the standing list of recipients (长期公示) and the deadline watch's next look.
 */
@Entity({ name: 'dibao_applications' })
@Index('dibao_applications_county', ['countyCode', 'status'])
@Index('dibao_applications_township', ['townshipCode', 'status'])
@Index('dibao_applications_village', ['villageCode', 'status'])
export class DibaoApplicationEntry {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber: string;

  @Column({ type: 'text' })
  program: string;

  @Column({ type: 'text' })
  status: string;

  /** A pending objection pauses the application. */
  @Column({ type: 'boolean' })
  paused: boolean;

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ type: 'text' })
  area: string;

  @Column({ name: 'applicant_name', type: 'text', nullable: true })
  applicantName: string | null;

  @Column({ name: 'applicant_id_number', type: 'text', nullable: true })
  applicantIdNumber: string | null;

  @Column({ name: 'household_size', type: 'integer', nullable: true })
  householdSize: number | null;

  @Column({ name: 'staff_relative', type: 'boolean' })
  staffRelative: boolean;

  /** Steps that missed their deadline: investigation, township_review, county_decision, objection. */
  @Column({ type: 'text', array: true })
  overdue: string[];

  /** The earliest running deadline not yet marked overdue: when the deadline watch looks again. */
  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true })
  nextDueAt: Date | null;

  /** Years a running step deadline was counted in without their calendar: recounted when one loads. */
  @Column({ name: 'deadline_provisional', type: 'text', array: true, default: () => "'{}'" })
  deadlineProvisional: string[];

  @Column({ name: 'notice_kind', type: 'text', nullable: true })
  noticeKind: string | null;

  @Column({ name: 'notice_starts_at', type: 'timestamptz', nullable: true })
  noticeStartsAt: Date | null;

  @Column({ name: 'notice_ends_at', type: 'timestamptz', nullable: true })
  noticeEndsAt: Date | null;

  @Column({ name: 'monthly_amount', type: 'integer', nullable: true })
  monthlyAmount: number | null;

  @Column({ name: 'document_number', type: 'text', nullable: true })
  documentNumber: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** When the assistance was stopped (停保), if it was. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * The last document number per county, document type and year. Taken inside the deciding transaction
 * (row lock until commit), so numbers are gap-free: a refused or rolled-back decision gives its number back.
 */
@Entity({ name: 'dibao_document_counters' })
export class DibaoDocumentCounter {
  @PrimaryColumn({ name: 'county_code', type: 'text' })
  countyCode: string;

  @PrimaryColumn({ name: 'document_type', type: 'text' })
  documentType: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber: number;
}

/**
 * The allowance history of a granted application (domain/allowance-history.ts): one row per amount that
 * stood, from the grant and from each change, the last closed by a stop; with the months whose payment
 * roster pays it. The projection replaces an application's rows whenever its stream moves.
 *
 * The roster's index, `dibao_allowance_periods_roster`, is on (county_code, coalesce(last_month,
 * '9999-12'), first_month) for the paid periods (an expression, so declared in the migration only): a
 * month's roster reads the periods not ended before it, and the ended history of past years is skipped.
 */
@Entity({ name: 'dibao_allowance_periods' })
export class DibaoAllowancePeriodEntry {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  /** The period's place in the history: 0 is the grant's. */
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  /** Null while the amount stands. */
  @Column({ name: 'effective_to', type: 'timestamptz', nullable: true })
  effectiveTo: Date | null;

  @Column({ name: 'monthly_amount', type: 'integer' })
  monthlyAmount: number;

  @Column({ name: 'document_number', type: 'text' })
  documentNumber: string;

  /** The first month (YYYY-MM, Beijing) whose roster pays the amount; null when none does. */
  @Column({ name: 'first_month', type: 'text', nullable: true })
  firstMonth: string | null;

  /** The last month whose roster pays it; null while open-ended. */
  @Column({ name: 'last_month', type: 'text', nullable: true })
  lastMonth: string | null;
}

/**
 * Every person an application's household ever listed (the investigation's and each change's): civil
 * affairs answers a household verification from it (assistance received in the last twelve months).
 */
@Entity({ name: 'dibao_household_members' })
@Index('dibao_household_members_id', ['idNumber'])
export class DibaoHouseholdMemberEntry {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @PrimaryColumn({ name: 'id_number', type: 'text' })
  idNumber: string;
}
