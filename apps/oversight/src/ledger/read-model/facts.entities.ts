import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per referral, folded from the ledger: accountability reports and the joint-meeting dashboard. */
@Entity({ name: 'referral_facts' })
@Index('referral_facts_period', ['issuedAt', 'department', 'countyCode'])
export class ReferralFact {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ type: 'text' })
  department: string;

  @Column({ type: 'text' })
  jurisdiction: string;

  @Column({ name: 'county_code', type: 'text', nullable: true })
  countyCode: string | null;

  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'boolean', default: false })
  declined: boolean;

  @Column({ name: 'overdue_acknowledge', type: 'boolean', default: false })
  overdueAcknowledge: boolean;

  @Column({ name: 'overdue_decide', type: 'boolean', default: false })
  overdueDecide: boolean;

  @Column({ name: 'overdue_held_by', type: 'text', nullable: true })
  overdueHeldBy: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ type: 'numeric', nullable: true })
  amount: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'completed_by', type: 'text', nullable: true })
  completedBy: string | null;

  @Column({ type: 'boolean', default: false })
  revoked: boolean;

  @Column({ type: 'integer', default: 0 })
  reopened: number;

  @Column({ type: 'boolean', default: false })
  rerouted: boolean;
}

/** One row per case: opening, acceptance and reports to the government. */
@Entity({ name: 'case_facts' })
export class CaseFact {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'case_number', type: 'text', nullable: true })
  caseNumber: string | null;

  @Column({ name: 'county_code', type: 'text', nullable: true })
  countyCode: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'reported_to_government', type: 'integer', default: 0 })
  reportedToGovernment: number;

  @Column({ name: 'first_reported_at', type: 'timestamptz', nullable: true })
  firstReportedAt: Date | null;
}

/** A need reported to the same-level government: when, where, when its answer is due, and when it came. */
@Entity({ name: 'government_report_facts' })
export class GovernmentReportFact {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @PrimaryColumn({ name: 'need_id', type: 'text' })
  needId: string;

  /** As intake recorded it (the key its response names). */
  @PrimaryColumn({ name: 'reported_at', type: 'text' })
  reportedAt: string;

  @Column({ name: 'county_code', type: 'text', nullable: true })
  countyCode: string | null;

  @Column({ name: 'reported_on', type: 'timestamptz' })
  reportedOn: Date;

  @Column({ name: 'respond_by', type: 'timestamptz', nullable: true })
  respondBy: Date | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;
}

/** A referral's facts as the accountability report has always named them (its JSON and CSV columns). */
export function factRecord(f: ReferralFact) {
  return {
    referral_id: f.referralId,
    case_id: f.caseId,
    department: f.department,
    jurisdiction: f.jurisdiction,
    county_code: f.countyCode,
    category: f.category,
    issued_at: f.issuedAt,
    received_at: f.receivedAt,
    acknowledged_at: f.acknowledgedAt,
    decided_at: f.decidedAt,
    completed_at: f.completedAt,
    status: f.status,
    declined: f.declined,
    overdue_acknowledge: f.overdueAcknowledge,
    overdue_decide: f.overdueDecide,
    overdue_held_by: f.overdueHeldBy,
    outcome: f.outcome,
    amount: f.amount,
    reason: f.reason,
    acknowledged_by: f.acknowledgedBy,
    decided_by: f.decidedBy,
    completed_by: f.completedBy,
    revoked: f.revoked,
    reopened: f.reopened,
    rerouted: f.rerouted,
  };
}

/**
 * A department's event about a referral whose `intake.ReferralIssued` has not reached the ledger yet
 * (the topics are consumed side by side, with no order between them): kept until the referral's row
 * exists, then applied in ledger order, so the facts end the same whatever the arrival order.
 */
@Entity({ name: 'referral_fact_pending' })
export class PendingReferralEvent {
  /** The ledger event's global position: its order. */
  @PrimaryColumn({ type: 'bigint' })
  position: string;

  @Index('referral_fact_pending_referral')
  @Column({ name: 'referral_id', type: 'uuid' })
  referralId: string;

  /** `<department>.<EventName>`. */
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  actor: string;
}
