import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per temporary-assistance application: what the list shows and filters on. Amounts in fen
 * (bigint); the detail view is folded from the stream, not read from here.
 */
@Entity({ name: 'temporary_assistance_applications' })
@Index('temporary_assistance_county', ['countyCode', 'recordedAt'])
@Index('temporary_assistance_township', ['townshipCode', 'recordedAt'])
export class TemporaryAssistanceRow {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'applicant_name', type: 'text' })
  applicantName: string;

  @Column({ name: 'applicant_id_number', type: 'text' })
  applicantIdNumber: string;

  @Column({ name: 'member_count', type: 'int' })
  memberCount: number;

  @Column({ name: 'hardship_kind', type: 'text' })
  hardshipKind: string;

  @Column({ type: 'text' })
  area: string;

  /** 'normal' | 'urgent' (救急难). */
  @Column({ type: 'text', default: 'normal' })
  urgency: string;

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  /** bigint comes back from pg as a string: the transformer makes it a number (fen stay far below 2^53). */
  @Column({
    name: 'requested_fen',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  requestedFen: number;

  @Column({
    name: 'granted_fen',
    type: 'bigint',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  grantedFen: number | null;

  @Column({ type: 'text' })
  status: string;

  /** 'township' | 'county' once decided. */
  @Column({ name: 'decided_level', type: 'text', nullable: true })
  decidedLevel: string | null;

  /** The day (Beijing) the township or county granted or refused; null while undecided. */
  @Column({ name: 'decided_on', type: 'date', nullable: true })
  decidedOn: string | null;

  @Column({ name: 'paid_on', type: 'date', nullable: true })
  paidOn: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  /** Opened from an intake referral: the next referral deadline the watch must check (null: none left). */
  @Column({ name: 'referral_due_at', type: 'timestamptz', nullable: true })
  referralDueAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Every member of an application's household (the applicant first among them): civil affairs answers a
 * household verification from it (temporary assistance granted in the last twelve months).
 */
@Entity({ name: 'temporary_assistance_members' })
@Index('temporary_assistance_members_id', ['idNumber'])
export class TemporaryAssistanceMemberRow {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @PrimaryColumn({ name: 'id_number', type: 'text' })
  idNumber: string;
}

/**
 * One row per obligation to supply a missing material (补充材料义务) of an urgent decision made before the
 * materials were complete: what the officers' list shows and the deadline watch scans.
 */
@Entity({ name: 'temporary_assistance_obligations' })
@Index('temporary_assistance_obligations_county', ['countyCode', 'dueAt'])
@Index('temporary_assistance_obligations_township', ['townshipCode', 'dueAt'])
export class TemporaryAssistanceObligationRow {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @PrimaryColumn({ name: 'obligation_no', type: 'int' })
  obligationNo: number;

  @Column({ type: 'text' })
  material: string;

  /** 'open' | 'fulfilled' | 'waived' | 'overdue'. */
  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  /** Counted without a calendar for some year (weekends only). */
  @Column({ type: 'boolean' })
  provisional: boolean;

  @Column({ name: 'applicant_name', type: 'text' })
  applicantName: string;

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  /** Who decided before the materials were complete: 'township' | 'county'. */
  @Column({ name: 'decided_level', type: 'text' })
  decidedLevel: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;

  @Column({ name: 'fulfilled_at', type: 'timestamptz', nullable: true })
  fulfilledAt: Date | null;

  @Column({ name: 'fulfilled_by', type: 'text', nullable: true })
  fulfilledBy: string | null;

  @Column({ name: 'fulfilled_late', type: 'boolean', nullable: true })
  fulfilledLate: boolean | null;

  @Column({ name: 'waived_at', type: 'timestamptz', nullable: true })
  waivedAt: Date | null;

  @Column({ name: 'waived_by', type: 'text', nullable: true })
  waivedBy: string | null;

  @Column({ name: 'waived_reason', type: 'text', nullable: true })
  waivedReason: string | null;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt: Date | null;
}
