import type { VerificationAnswer } from '@platform/contracts';
import type { DbExecutor } from '@platform/event-store';
import type { VerificationAnswerer } from '@platform/verification';
import {
  answerCivilAffairs,
  type HouseholdPeriod,
  type TemporaryGrant,
} from '../domain/civil-affairs-answer.js';

/**
 * Civil affairs answers from the dibao read model (households' members and allowance periods) and the
 * temporary-assistance read model (households' members, amounts granted and the days they were granted).
 * Raw SQL on the inbox transaction's connection: the responder runs inside it, where no TypeORM manager
 * exists.
 */
export class CivilAffairsAnswerer implements VerificationAnswerer<'civil-affairs'> {
  readonly department = 'civil-affairs' as const;

  constructor(private readonly schema: string) {}

  async answer(
    request: { memberIdNumbers: string[]; asOf: string },
    transaction: DbExecutor,
  ): Promise<VerificationAnswer<'civil-affairs'>> {
    const s = `"${this.schema}"`;
    const { rows } = await transaction.query<HouseholdPeriod>(
      `SELECT m.id_number AS "idNumber", a.program, p.monthly_amount AS "monthlyAmount",
              p.first_month AS "firstMonth", p.last_month AS "lastMonth"
         FROM ${s}.dibao_household_members m
         JOIN ${s}.dibao_applications a ON a.application_id = m.application_id
         JOIN ${s}.dibao_allowance_periods p ON p.application_id = m.application_id AND p.first_month IS NOT NULL
        WHERE m.id_number = ANY($1)`,
      [request.memberIdNumbers],
    );
    // Granted by the township or the county (refusals have no amount), whether paid yet or not.
    const grants = await transaction.query<TemporaryGrant>(
      `SELECT m.id_number AS "idNumber", a.granted_fen::float8 AS "grantedFen",
              to_char(a.decided_on, 'YYYY-MM-DD') AS "decidedOn"
         FROM ${s}.temporary_assistance_members m
         JOIN ${s}.temporary_assistance_applications a ON a.application_id = m.application_id
        WHERE m.id_number = ANY($1) AND a.granted_fen IS NOT NULL AND a.decided_on IS NOT NULL`,
      [request.memberIdNumbers],
    );
    return answerCivilAffairs(rows, request.memberIdNumbers, request.asOf, grants.rows);
  }
}
