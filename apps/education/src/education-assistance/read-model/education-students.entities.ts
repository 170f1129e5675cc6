import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** Fen are bigint in PostgreSQL (sums outgrow int4); node-postgres hands them over as strings. */
const fen: ValueTransformer = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * One row per student with a school record, refolded from the student's stream on every event: the
 * education officers' list — at school or left, the current (or last) school, what aid was paid and the
 * first term granted and not yet paid. The stream stays the record; the detail view folds it again.
 */
@Entity({ name: 'education_students' })
@Index('education_students_county', ['countyCode', 'updatedAt'])
export class EducationStudentRow {
  /** The student's key (a digest of the ID number, as the stream's name has it). */
  @PrimaryColumn({ name: 'student_id', type: 'text' })
  studentId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'id_number', type: 'text' })
  idNumber: string;

  @Column({ name: 'at_school', type: 'boolean' })
  atSchool: boolean;

  /** The stage of the latest enrolment. */
  @Column({ type: 'text' })
  stage: string;

  @Column({ name: 'school_name', type: 'text' })
  schoolName: string;

  /** The school's place: whose officers handle the student. */
  @Column({ name: 'jurisdiction_code', type: 'text' })
  jurisdictionCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'grants', type: 'int' })
  grants: number;

  @Column({ name: 'paid_fen', type: 'bigint', transformer: fen })
  paidFen: number;

  /** The first day of the earliest term granted and not paid (null: nothing left to pay). */
  @Column({ name: 'next_unpaid_on', type: 'text', nullable: true })
  nextUnpaidOn: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
