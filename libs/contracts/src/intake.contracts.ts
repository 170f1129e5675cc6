import { z } from 'zod';
import type { IntegrationContract } from './contract-registry.js';

const uuid = z.string().uuid();
/** Which version of each policy table a decision applied (absent on events from before versioning). */
const policy = z.record(z.string(), z.number().int().positive()).optional();

export const ASSISTANCE_CATEGORIES = [
  'dibao',
  'special_hardship',
  'temporary',
  'medical',
  'disease_emergency',
  'education',
  'housing',
  'employment',
  'disaster_victim',
  'vagrant',
  'other',
] as const;
export const assistanceCategory = z.enum(ASSISTANCE_CATEGORIES);

export const caseOpenedV1 = z.object({
  caseId: uuid,
  at: z.string(),
  caseNumber: z.string().min(1),
  channel: z.enum(['window', 'hotline', 'proactive_discovery']),
  villageCode: z.string().min(1),
  townshipCode: z.string().min(1),
  countyCode: z.string().min(1),
  urgency: z.enum(['normal', 'urgent']),
  categories: z.array(assistanceCategory).min(1),
  consentToShare: z.boolean(),
});

/** Personal details travel only with the applicant's consent; otherwise the referral carries none. */
export const referralIssuedV1 = z.object({
  caseId: uuid,
  referralId: uuid,
  needId: z.string().min(1),
  category: assistanceCategory,
  department: z.string().min(1),
  jurisdiction: z.string().min(1),
  description: z.string().max(2000),
  requestedAmount: z.number().nonnegative().nullable(),
  urgency: z.enum(['normal', 'urgent']),
  applicant: z
    .object({ name: z.string().min(1), idNumber: z.string().length(18), phone: z.string().nullable() })
    .nullable(),
  acknowledgeBy: z.string().nullable(),
  decideBy: z.string().nullable(),
  policy,
  at: z.string(),
  // Added without a new schema version: optional, so messages from before still validate and
  // consumers from before drop them. What the department's officer needs to handle the referral.
  caseNumber: z.string().min(1).optional(),
  villageCode: z.string().min(1).optional(),
  /** The household members the need concerns (the applicant first); null without consent to share. */
  members: z
    .array(
      z.object({
        name: z.string().min(1),
        idNumber: z.string().length(18),
        relationship: z.enum(['applicant', 'spouse', 'child', 'parent', 'sibling', 'other']),
        phone: z.string().nullable(),
      }),
    )
    .nullable()
    .optional(),
  /** The window officer who accepted the case, whom the department calls about it. */
  windowOfficer: z
    .object({ id: z.string().min(1), name: z.string().min(1), phone: z.string().nullable() })
    .nullable()
    .optional(),
  /** Why the need is also reported to the same-level government (报告制度), when it is. */
  escalated: z.array(z.string().min(1)).optional(),
  /** Earlier referrals of the same need, with why they were declined, rerouted or transferred. */
  earlier: z
    .array(
      z.object({
        referralId: uuid,
        department: z.string().min(1),
        status: z.string().min(1),
        declineReason: z.string().nullable(),
        reason: z.string().nullable(),
        at: z.string(),
      }),
    )
    .optional(),
});

export const referralRevokedV1 = z.object({
  caseId: uuid,
  referralId: uuid,
  department: z.string().min(1),
  reason: z.string().min(1),
  at: z.string(),
});

export const caseReportedToGovernmentV1 = z.object({
  caseId: uuid,
  needId: z.string().min(1),
  category: assistanceCategory,
  jurisdiction: z.string().min(1),
  reason: z.string().min(1),
  policy,
  at: z.string(),
  /** When the government's response is due; absent on reports from before it was kept. */
  respondBy: z.string().nullable().optional(),
});

export const governmentResponseRecordedV1 = z.object({
  caseId: uuid,
  needId: z.string().min(1),
  reportedAt: z.string(),
  decision: z.string().min(1),
  responsibleDepartment: z.string().nullable(),
  amount: z.number().nonnegative().nullable(),
  followUp: z.string().nullable(),
  by: z.string().min(1),
  at: z.string(),
});

export const caseAcceptedV1 = z.object({
  caseId: uuid,
  acceptedBy: z.string().min(1),
  policy,
  at: z.string(),
});
export const referralReroutedV1 = z.object({
  caseId: uuid,
  referralId: uuid,
  needId: z.string().min(1),
  reason: z.string().min(1),
  at: z.string(),
});

export const intakeContracts: IntegrationContract[] = [
  {
    type: 'intake.CaseAccepted',
    department: 'intake',
    schemaVersion: 1,
    schema: caseAcceptedV1,
    subject: (d) => String(d.caseId),
    description: 'The township window accepted the application.',
  },
  {
    type: 'intake.ReferralRerouted',
    department: 'intake',
    schemaVersion: 1,
    schema: referralReroutedV1,
    subject: (d) => String(d.caseId),
    description: 'A declined referral was withdrawn for re-routing to another department or to government.',
  },
  {
    type: 'intake.CaseReportedToGovernment',
    department: 'intake',
    schemaVersion: 1,
    schema: caseReportedToGovernmentV1,
    subject: (d) => String(d.caseId),
    description:
      'A need with no responsible department or no fitting policy was reported to the same-level government.',
  },
  {
    type: 'intake.GovernmentResponseRecorded',
    department: 'intake',
    schemaVersion: 1,
    schema: governmentResponseRecordedV1,
    subject: (d) => String(d.caseId),
    description: 'The government liaison recorded how the same-level government handled a reported need.',
  },
  {
    type: 'intake.CaseOpened',
    department: 'intake',
    schemaVersion: 1,
    schema: caseOpenedV1,
    subject: (d) => String(d.caseId),
    description: 'A case was opened at the one door (window, hotline or proactive discovery).',
  },
  {
    type: 'intake.ReferralIssued',
    department: 'intake',
    schemaVersion: 1,
    schema: referralIssuedV1,
    subject: (d) => String(d.caseId),
    description: 'A need of a case was referred to the department that owes the help.',
  },
  {
    type: 'intake.ReferralRevoked',
    department: 'intake',
    schemaVersion: 1,
    schema: referralRevokedV1,
    subject: (d) => String(d.caseId),
    description: 'Intake withdrew a referral before it was completed.',
  },
];
