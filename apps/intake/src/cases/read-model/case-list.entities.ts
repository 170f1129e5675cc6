import type { GovernmentResponse } from '../domain/case.decider.js';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export interface ReferralSummary {
  referralId: string;
  department: string;
  category: string;
  status: string;
  overdue: string[];
}

/** One row per case: the window's lists and the public progress lookup. */
@Entity({ name: 'case_list' })
@Index('case_list_township', ['townshipCode', 'openedAt'])
@Index('case_list_village', ['villageCode', 'openedAt'])
export class CaseListEntry {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'case_number', type: 'text', unique: true })
  caseNumber: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'is_open', type: 'boolean' })
  isOpen: boolean;

  /** Who opened the case (the reporter follows it); null on rows from before it was kept. */
  @Column({ name: 'opened_by', type: 'text', nullable: true })
  openedBy: string | null;

  /** How the hardship came to light (发现报告来源). */
  @Column({ name: 'report_source', type: 'text', nullable: true })
  reportSource: string | null;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'text' })
  urgency: string;

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'applicant_name', type: 'text' })
  applicantName: string;

  @Column({ name: 'applicant_id', type: 'text' })
  applicantId: string;

  @Column({ type: 'text', array: true })
  categories: string[];

  @Column({ name: 'referral_states', type: 'jsonb' })
  referralStates: ReferralSummary[];

  @Column({ name: 'query_code', type: 'text', nullable: true })
  queryCode: string | null;

  @Column({ name: 'reported_to_government', type: 'boolean' })
  reportedToGovernment: boolean;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Who is in which case for which category, and whether the case is open: the duplicate check. */
@Entity({ name: 'case_members' })
export class CaseMember {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @PrimaryColumn({ name: 'id_number', type: 'text' })
  idNumber: string;

  @PrimaryColumn({ type: 'text' })
  category: string;

  @Column({ name: 'is_open', type: 'boolean' })
  isOpen: boolean;
}

/**
 * Written by the opening transaction itself, so the duplicate check sees a case the moment it commits;
 * removed by the case-list projection once `case_members` has the case.
 */
@Entity({ name: 'case_member_claims' })
@Index('case_member_claims_lookup', ['idNumber', 'category'])
export class CaseMemberClaim {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @PrimaryColumn({ name: 'id_number', type: 'text' })
  idNumber: string;

  @PrimaryColumn({ type: 'text' })
  category: string;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber: string;

  /** Where the claiming case is (null on claims from before it was kept). */
  @Column({ name: 'village_code', type: 'text', nullable: true })
  villageCode: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  claimedAt: Date;
}

/** Needs reported to the same-level government (no responsible department or no policy that fits). */
@Entity({ name: 'government_reports' })
export class GovernmentReport {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @PrimaryColumn({ name: 'need_id', type: 'text' })
  needId: string;

  @PrimaryColumn({ name: 'reported_at', type: 'timestamptz' })
  reportedAt: Date;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  jurisdiction: string;

  @Column({ type: 'text' })
  reason: string;

  /** The township whose window reported it (null on rows from before it was kept). */
  @Column({ name: 'township_code', type: 'text', nullable: true })
  townshipCode: string | null;

  @Column({ name: 'respond_by', type: 'timestamptz', nullable: true })
  respondBy: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  response: GovernmentResponse | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;
}

/**
 * Wrong query codes typed for a case number on the public lookup. At `QUERY_CODE_MAX_FAILURES` the
 * number is locked (even the right code is refused) until the window issues a new code. Not derived from
 * events: a rebuild of the case lists keeps it.
 */
@Entity({ name: 'progress_lookup_guard' })
export class ProgressLookupGuard {
  @PrimaryColumn({ name: 'case_number', type: 'text' })
  caseNumber: string;

  @Column({ type: 'integer' })
  failures: number;

  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
