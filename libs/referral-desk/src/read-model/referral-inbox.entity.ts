import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReferralContext } from '../domain/referral.decider.js';

/** One row per referral on a department's desk: its inbox, kept by `referralInboxProjection`. */
@Entity({ name: 'referral_inbox' })
@Index('referral_inbox_list', ['jurisdiction', 'status', 'receivedAt'])
@Index('referral_inbox_due', ['status', 'acknowledgeBy', 'decideBy'])
export class ReferralInboxEntry {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'need_id', type: 'text' })
  needId: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  jurisdiction: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text' })
  urgency: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'requested_amount', type: 'numeric', nullable: true })
  requestedAmount: string | null;

  @Column({ type: 'jsonb', nullable: true })
  applicant: { name: string; idNumber: string; phone: string | null } | null;

  @Column({ name: 'case_number', type: 'text', nullable: true })
  caseNumber: string | null;

  @Column({ name: 'village_code', type: 'text', nullable: true })
  villageCode: string | null;

  /** Members, window officer and earlier referrals (personal: shown on the detail view only). */
  @Column({ type: 'jsonb', nullable: true })
  context: Omit<ReferralContext, 'caseNumber' | 'villageCode'> | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'acknowledge_by', type: 'timestamptz' })
  acknowledgeBy: Date;

  @Column({ name: 'decide_by', type: 'timestamptz' })
  decideBy: Date;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  overdue: string[];

  /** Years the deadlines were counted in without a calendar: provisional until those years are loaded. */
  @Column({ name: 'deadline_provisional', type: 'text', array: true, default: () => "'{}'" })
  deadlineProvisional: string[];

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ type: 'numeric', nullable: true })
  amount: string | null;

  @Column({ type: 'text', nullable: true })
  service: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** The department the referral was transferred to, when it was (status `transferred`). */
  @Column({ name: 'transferred_to', type: 'text', nullable: true })
  transferredTo: string | null;

  @Column({ name: 'held_by', type: 'text', nullable: true })
  heldBy: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
