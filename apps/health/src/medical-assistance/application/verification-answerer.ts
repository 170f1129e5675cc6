import { requireMembers } from '@platform/assistance-domain';
import type { DbExecutor } from '@platform/event-store';
import type { VerificationAnswerer } from '@platform/verification';
import { answerVerification } from '../domain/assistance-register.js';
import { lastTwelveMonths } from '../domain/values.js';
import { registerEntriesForAnswer } from '../read-model/health-assistance.query.js';

/**
 * Health's answer to a household verification (家庭经济状况核对): the register's entries for the members
 * in the twelve months up to the day, read on the inbox transaction's connection, through the same pure
 * `answerVerification` the officers' register lookup uses.
 */
export function healthVerificationAnswerer(schema: string): VerificationAnswerer<'health'> {
  return {
    department: 'health',
    async answer({ memberIdNumbers, asOf }, transaction: DbExecutor) {
      const members = requireMembers(memberIdNumbers, asOf);
      const entries = await registerEntriesForAnswer(transaction, schema, members, lastTwelveMonths(asOf));
      return answerVerification(entries, members, asOf);
    },
  };
}
