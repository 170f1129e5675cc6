import type { VerificationAnswer, VerifyingDepartment } from '@platform/contracts';
import type { DbExecutor } from '@platform/event-store';

/** What a department answers a household verification from: its own register, nothing else. */
export interface VerificationAnswerer<D extends VerifyingDepartment = VerifyingDepartment> {
  department: D;
  /**
   * The answer for the members asked about on `asOf` (YYYY-MM-DD, Beijing), read inside the inbox
   * transaction that records it. Only what the department's verification contract allows.
   */
  answer(
    request: { memberIdNumbers: string[]; asOf: string },
    transaction: DbExecutor,
  ): Promise<VerificationAnswer<D>>;
}

/** Provided by a department's capability module next to `verificationResponderProviders(department)`. */
export const VERIFICATION_ANSWERER = Symbol('VERIFICATION_ANSWERER');
