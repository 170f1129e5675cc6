import { z } from 'zod';
import type { IntegrationContract } from './contract-registry.js';

/**
 * Household economic verification (家庭经济状况核对) between departments. The request names the household
 * members by ID number (the household's written authorisation covers exactly them), and each answer says
 * only what the verification contract lets the department disclose.
 *
 * These messages carry personal data, so they travel on their own topics (`<department>.verification`),
 * not on `<department>.events`: oversight's case ledger and the other consumers of the case traffic never
 * receive them. Each department keeps them in its own sealed log like every other event.
 */

/** Departments on the platform that answer from their own records. */
export const VERIFYING_DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'] as const;
export type VerifyingDepartment = (typeof VERIFYING_DEPARTMENTS)[number];

export function verificationTopicOf(department: string): string {
  return `${department}.verification`;
}

const idNumber = z.string().regex(/^\d{17}[\dX]$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const yuan = z.number().nonnegative();
const period = z.object({ from: day, to: day });

export const verificationRequestedV1 = z.object({
  verificationId: z.string().uuid(),
  /** The application or case it serves, when there is one. */
  caseId: z.string().uuid().nullable(),
  applicationId: z.string().uuid().nullable(),
  countyCode: z.string().regex(/^\d{12}$/),
  members: z
    .array(z.object({ idNumber, relationship: z.string().min(1).max(20) }))
    .min(1)
    .max(30),
  /** 核对授权书: its reference and the day it was signed. */
  authorisation: z.object({ reference: z.string().min(1).max(60), signedOn: day }),
  asOf: day,
  /** Each department answers by then. */
  dueAt: z.string(),
  at: z.string(),
});

const nothing = {
  result: z.literal('nothing_on_record'),
  asOf: day,
  period,
  statement: z.string().min(1),
};

const healthMember = z.union([
  z.object({ idNumber, onRecord: z.literal(false) }),
  z.object({
    idNumber,
    onRecord: z.literal(true),
    medicalExpensesYuan: yuan,
    personalPaymentYuan: yuan,
    assistancePaidYuan: yuan,
    seriousIllness: z.boolean(),
  }),
]);

const housingItem = z.union([
  z.object({
    programme: z.literal('house_renovation'),
    memberIdNumbers: z.array(idNumber),
    paidOn: day,
    amountYuan: yuan,
  }),
  z.object({
    programme: z.literal('public_rental_housing'),
    memberIdNumbers: z.array(idNumber),
    allocatedOn: day,
  }),
  z.object({
    programme: z.literal('rental_subsidy'),
    memberIdNumbers: z.array(idNumber),
    months: z.number().int().nonnegative(),
    amountYuan: yuan,
  }),
]);

const educationMember = z.union([
  z.object({ idNumber, onRecord: z.literal(false) }),
  z.object({
    idNumber,
    onRecord: z.literal(true),
    atSchool: z.boolean(),
    stage: z.string().min(1).max(40),
    aidReceivedYuan: yuan,
    byProgramme: z.array(z.object({ programme: z.string().min(1).max(40), amountYuan: yuan })),
  }),
]);

const civilAffairsMember = z.union([
  z.object({ idNumber, onRecord: z.literal(false) }),
  z.object({
    idNumber,
    onRecord: z.literal(true),
    /** Assistance already received in the period, by programme. */
    byProgramme: z.array(z.object({ programme: z.string().min(1).max(40), amountYuan: yuan })),
    /** The category in force on the day asked about: dibao, special hardship, or none. */
    category: z.string().min(1).max(40).nullable(),
  }),
]);

/** What each department may say: the shapes its `answerVerification` produces, nothing more. */
export const verificationAnswerSchemas = {
  health: z.union([
    z.object({ department: z.literal('health'), ...nothing }),
    z.object({
      department: z.literal('health'),
      result: z.literal('on_record'),
      asOf: day,
      period,
      members: z.array(healthMember),
    }),
  ]),
  housing: z.union([
    z.object({ department: z.literal('housing'), ...nothing }),
    z.object({
      department: z.literal('housing'),
      result: z.literal('on_record'),
      asOf: day,
      period,
      items: z.array(housingItem),
    }),
  ]),
  education: z.union([
    z.object({ department: z.literal('education'), ...nothing }),
    z.object({
      department: z.literal('education'),
      result: z.literal('on_record'),
      asOf: day,
      period,
      members: z.array(educationMember),
    }),
  ]),
  'civil-affairs': z.union([
    z.object({ department: z.literal('civil-affairs'), ...nothing }),
    z.object({
      department: z.literal('civil-affairs'),
      result: z.literal('on_record'),
      asOf: day,
      period,
      members: z.array(civilAffairsMember),
    }),
  ]),
} as const satisfies Record<VerifyingDepartment, z.ZodType>;

export type VerificationAnswer<D extends VerifyingDepartment = VerifyingDepartment> = z.infer<
  (typeof verificationAnswerSchemas)[D]
>;

export function verificationAnsweredV1(department: VerifyingDepartment) {
  return z.object({
    verificationId: z.string().uuid(),
    department: z.literal(department),
    answer: verificationAnswerSchemas[department],
    at: z.string(),
  });
}

export const verificationContracts: IntegrationContract[] = [
  {
    type: 'civil-affairs.VerificationRequested',
    department: 'civil-affairs',
    topic: verificationTopicOf('civil-affairs'),
    schemaVersion: 1,
    schema: verificationRequestedV1,
    subject: (d) => String(d.verificationId),
    description:
      'Civil affairs asks every department for what it has on record about the members of a household (with their authorisation).',
  },
  ...VERIFYING_DEPARTMENTS.map((department): IntegrationContract => ({
    type: `${department}.VerificationAnswered`,
    department,
    topic: verificationTopicOf(department),
    schemaVersion: 1,
    schema: verificationAnsweredV1(department),
    subject: (d) => String(d.verificationId),
    description: `${department} answers a household verification from its own records (only what the contract allows).`,
  })),
];

/**
 * A household's assistance category as civil affairs decided it (granted, changed, stopped), so that the
 * other departments apply their own ratios and priorities without reading civil affairs' database. It names
 * the members by ID number, so it travels on its own topic (`civil-affairs.recipients`), like verification.
 */
export const recipientCategoryChangedV1 = z.object({
  /** The dibao or special-hardship application the household was granted under. */
  householdId: z.string().uuid(),
  countyCode: z.string().regex(/^\d{12}$/),
  /** The members in the household from `effectiveFrom`; null category: no longer assisted. */
  memberIdNumbers: z.array(idNumber).max(30),
  /** Members no longer in the household from `effectiveFrom`: their category ends. */
  removedIdNumbers: z.array(idNumber).max(30),
  category: z.enum(['dibao', 'special_hardship']).nullable(),
  effectiveFrom: day,
  reason: z.enum(['granted', 'changed', 'suspended']),
  at: z.string(),
});

export const RECIPIENTS_TOPIC = 'civil-affairs.recipients';

export const recipientContracts: IntegrationContract[] = [
  {
    type: 'civil-affairs.RecipientCategoryChanged',
    department: 'civil-affairs',
    topic: RECIPIENTS_TOPIC,
    schemaVersion: 1,
    schema: recipientCategoryChangedV1,
    subject: (d) => String(d.householdId),
    description:
      "A household's dibao / special-hardship category from a day on (granted, changed, stopped), by member ID number.",
  },
];
