import { z } from 'zod';
import type { IntegrationContract } from './contract-registry.js';

/** The departments on the platform whose referral desks take referrals: where a desk may transfer one. */
export const REFERRAL_DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'] as const;
export type ReferralDepartment = (typeof REFERRAL_DEPARTMENTS)[number];
export const REFERRAL_DEPARTMENT_NAMES: Record<ReferralDepartment, string> = {
  'civil-affairs': '民政部门',
  health: '卫生健康部门',
  housing: '住房和城乡建设部门',
  education: '教育部门',
};

const base = { caseId: z.string().uuid(), referralId: z.string().uuid(), at: z.string() };

/** Which version of each policy table a decision applied, e.g. `{ deadlines: 2, calendar: 5 }`. */
export const appliedPolicy = z.record(z.string(), z.number().int().positive());

export const referralReceivedV1 = z.object({
  ...base,
  // Optional: referrals received before policy tables were versioned carry neither.
  acknowledgeBy: z.string().optional(),
  decideBy: z.string().optional(),
  policy: appliedPolicy.optional(),
  deadlinesProvisional: z.array(z.string().regex(/^\d{4}$/)).optional(),
});
export const referralDeadlinesRecomputedV1 = z.object({
  ...base,
  previous: z.object({
    acknowledgeBy: z.string(),
    decideBy: z.string(),
    deadlinesProvisional: z.array(z.string()),
  }),
  acknowledgeBy: z.string(),
  decideBy: z.string(),
  deadlinesProvisional: z.array(z.string()),
  policy: appliedPolicy,
  reason: z.string().min(1),
});
export const referralAcknowledgedV1 = z.object({ ...base, officerId: z.string().min(1) });
export const referralAcceptedV1 = z.object({ ...base, officerId: z.string().min(1) });
export const referralDeclinedV1 = z.object({
  ...base,
  officerId: z.string().min(1),
  reason: z.string().min(1),
});
// The note itself stays in the department (it may hold health details); others learn only that there was progress.
export const referralProgressNotedV1 = z.object({ ...base });
export const referralCompletedV1 = z.object({
  ...base,
  outcome: z.enum(['granted', 'not_eligible', 'returned']),
  amount: z.number().nonnegative().nullable(),
  service: z.string().nullable(),
  reason: z.string().nullable(),
});
export const referralReopenedV1 = z.object({ ...base });
/** The department found the need belongs to another: closed here, intake issues it to `toDepartment`. */
export const referralTransferredV1 = z.object({
  ...base,
  officerId: z.string().min(1),
  toDepartment: z.enum(REFERRAL_DEPARTMENTS),
  reason: z.string().min(1),
});
export const referralOverdueV1 = z.object({
  caseId: z.string().uuid(),
  referralId: z.string().uuid(),
  deadline: z.enum(['acknowledge', 'decide']),
  dueAt: z.string(),
  heldBy: z.string().nullable(),
});

const shapes = {
  ReferralReceived: referralReceivedV1,
  ReferralAcknowledged: referralAcknowledgedV1,
  ReferralAccepted: referralAcceptedV1,
  ReferralDeclined: referralDeclinedV1,
  ReferralProgressNoted: referralProgressNotedV1,
  ReferralCompleted: referralCompletedV1,
  ReferralOverdue: referralOverdueV1,
  ReferralReopened: referralReopenedV1,
  ReferralDeadlinesRecomputed: referralDeadlinesRecomputedV1,
  ReferralTransferred: referralTransferredV1,
} as const;

/** The referral lifecycle each handling department publishes, e.g. `health.ReferralAccepted`. */
export function referralContractsOf(department: string): IntegrationContract[] {
  return Object.entries(shapes).map(([name, schema]) => ({
    type: `${department}.${name}`,
    department,
    schemaVersion: 1,
    schema,
    subject: (d) => String(d.caseId),
  }));
}
