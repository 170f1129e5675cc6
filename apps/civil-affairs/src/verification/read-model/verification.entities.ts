import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per household verification: where it belongs, who asked, when the answers are due, which
 * departments answered and which are overdue. The report itself is read from the stream.
 */
@Entity({ name: 'verifications' })
@Index('verifications_county', ['countyCode', 'requestedAt'])
@Index('verifications_application', ['applicationId'])
@Index('verifications_due', ['dueAt'], { where: 'cardinality(pending) > 0' })
export class VerificationEntry {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid' })
  verificationId: string;

  @Column({ name: 'application_id', type: 'uuid', nullable: true })
  applicationId: string | null;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'member_count', type: 'int' })
  memberCount: number;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  /** Departments on the platform asked and not answered yet. */
  @Column({ type: 'text', array: true })
  pending: string[];

  /** Every department whose answer is in, including imported ones. */
  @Column({ type: 'text', array: true })
  answered: string[];

  @Column({ type: 'text', array: true })
  overdue: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
