import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** Fen are bigint in PostgreSQL (sums outgrow int4); node-postgres hands them over as strings. */
const fen: ValueTransformer = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * One row per renovation project (危房改造) or rental subsidy (租赁补贴), re-folded from its stream on
 * every event: the officers' work lists, by kind, status and place. The stream stays the record; a
 * detail view folds it again and is recorded in the access log.
 */
@Entity({ name: 'housing_cases' })
@Index('housing_cases_county', ['kind', 'countyCode', 'updatedAt'])
export class HousingCaseRow {
  /** The project's or grant's id. */
  @PrimaryColumn({ name: 'case_id', type: 'text' })
  caseId: string;

  /** renovation | rental_subsidy. */
  @Column({ type: 'text' })
  kind: string;

  /** The decider's status (renovation: appraised … paid; subsidy: active | stopped). */
  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'head_name', type: 'text' })
  headName: string;

  @Column({ name: 'head_id_number', type: 'text' })
  headIdNumber: string;

  @Column({ name: 'household_size', type: 'int' })
  householdSize: number;

  @Column({ name: 'jurisdiction_code', type: 'text' })
  jurisdictionCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  /** Renovation: the appraisal grade (A–D). */
  @Column({ type: 'text', nullable: true })
  grade: string | null;

  /** Renovation: the subsidy approved. */
  @Column({ name: 'approved_fen', type: 'bigint', nullable: true, transformer: fen })
  approvedFen: number | null;

  /** Everything paid so far (renovation: the subsidy; subsidy: the months). */
  @Column({ name: 'paid_fen', type: 'bigint', transformer: fen })
  paidFen: number;

  /** Subsidy: the first month that needs a review before it is paid (YYYY-MM). */
  @Column({ name: 'review_due_from', type: 'text', nullable: true })
  reviewDueFrom: string | null;

  /** Subsidy: the latest month paid (YYYY-MM). */
  @Column({ name: 'last_paid_month', type: 'text', nullable: true })
  lastPaidMonth: string | null;

  /** The day the case began: appraised (renovation) or granted (subsidy). */
  @Column({ name: 'opened_on', type: 'text' })
  openedOn: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
