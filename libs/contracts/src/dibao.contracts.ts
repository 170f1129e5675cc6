import { z } from 'zod';
import type { IntegrationContract } from './contract-registry.js';

/**
 * The milestones of a dibao or special-hardship application (civil affairs) that oversight and the other
 * departments need. The application's stream also carries the standard referral lifecycle
 * (`civil-affairs.ReferralReceived` … `ReferralCompleted`, `ReferralOverdue`). No personal data: the
 * ids, the programme, the village and dates, the monthly amount and the document number.
 */

const ids = { caseId: z.string().uuid(), referralId: z.string().uuid(), at: z.string() };
const program = z.enum(['dibao', 'special_hardship']);
const notice = z.enum(['first', 'second']);

export const dibaoStaffRelativeFlaggedV1 = z.object({ ...ids, matchCount: z.number().int().positive() });

export const dibaoNoticePostedV1 = z.object({
  ...ids,
  program,
  notice,
  villageCode: z.string().regex(/^\d{12}$/),
  startsAt: z.string(),
  endsAt: z.string(),
});

export const dibaoObjectionFiledV1 = z.object({ ...ids, objectionId: z.string().uuid(), notice });

export const dibaoObjectionDecidedV1 = z.object({
  ...ids,
  objectionId: z.string().uuid(),
  result: z.enum(['upheld', 'dismissed']),
  next: z.enum(['township_review', 'rejection']).nullable(),
});

export const dibaoDecisionMadeV1 = z.object({
  ...ids,
  program,
  outcome: z.enum(['granted', 'not_eligible']),
  monthlyAmount: z.number().int().nonnegative().nullable(),
  documentNumber: z.string().min(1),
  /** Who decided: the county, or the township where the county delegated it (absent: the county). */
  level: z.enum(['county', 'township']).optional(),
  policy: z.record(z.string(), z.number().int().positive()),
  rules: z.string().min(1),
});

export const dibaoAllowanceChangedV1 = z.object({
  ...ids,
  program,
  previousAmount: z.number().int().nonnegative(),
  monthlyAmount: z.number().int().nonnegative(),
  documentNumber: z.string().min(1),
  policy: z.record(z.string(), z.number().int().positive()),
  rules: z.string().min(1),
});

export const dibaoAssistanceSuspendedV1 = z.object({
  ...ids,
  program,
  documentNumber: z.string().min(1),
  rules: z.string().min(1),
});

/**
 * 救急难绿色通道: temporary assistance granted before its materials were complete, and a missing material
 * still not supplied at its deadline (补充材料义务逾期) — for oversight's accountability. Temporary
 * assistance has no case: the subject is the application. No personal data (no names, no ID numbers).
 */
export const temporaryAssistanceObligationOverdueV1 = z.object({
  applicationId: z.string().uuid(),
  obligationNo: z.number().int().positive(),
  material: z.string().min(1).max(100),
  dueAt: z.string(),
  decidedLevel: z.enum(['township', 'county']),
  villageCode: z.string().regex(/^\d{12}$/),
  townshipCode: z.string().regex(/^\d{12}$/),
  countyCode: z.string().regex(/^\d{12}$/),
  at: z.string(),
});

const contract = (type: string, schema: z.ZodType, description: string): IntegrationContract => ({
  type: `civil-affairs.${type}`,
  department: 'civil-affairs',
  schemaVersion: 1,
  schema,
  subject: (d) => String(d.caseId),
  description,
});

export const dibaoContracts: IntegrationContract[] = [
  contract(
    'DibaoStaffRelativeFlagged',
    dibaoStaffRelativeFlaggedV1,
    'A household member of a dibao / special-hardship application is named in the staff-relative filings.',
  ),
  contract(
    'DibaoNoticePosted',
    dibaoNoticePostedV1,
    'A dibao application went on public notice (first or second).',
  ),
  contract('DibaoObjectionFiled', dibaoObjectionFiledV1, 'An objection was filed during a public notice.'),
  contract(
    'DibaoObjectionDecided',
    dibaoObjectionDecidedV1,
    'The county decided an objection (upheld or dismissed).',
  ),
  contract(
    'DibaoDecisionMade',
    dibaoDecisionMadeV1,
    'The county approved (monthly amount, approval notice) or refused (rejection notice) the application.',
  ),
  contract(
    'DibaoAllowanceChanged',
    dibaoAllowanceChangedV1,
    'After a recheck, the county changed the monthly amount of a recipient household (change decision).',
  ),
  contract(
    'DibaoAssistanceSuspended',
    dibaoAssistanceSuspendedV1,
    'The county stopped the assistance of a recipient household (suspension notice).',
  ),
  {
    type: 'civil-affairs.TemporaryAssistanceObligationOverdue',
    department: 'civil-affairs',
    schemaVersion: 1,
    schema: temporaryAssistanceObligationOverdueV1,
    subject: (d) => String(d.applicationId),
    description:
      'A material missing from urgent temporary assistance granted before its materials were complete ' +
      '(绿色通道) was not supplied by its deadline (补充材料义务逾期); marked once.',
  },
];
