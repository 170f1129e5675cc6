import { RegisterAnswerer } from '@platform/assistance-read-model';
import { answerVerification, type HousingRegisterEntry } from '../domain/assistance-register.js';
import { entriesOfEvent, HOUSING_REGISTER_EVENT_TYPES } from './housing-register.projection.js';
import { HOUSING_REGISTER_PROJECTION_NAME } from './housing-register.read-model.js';

/**
 * Housing's answer to a household verification (家庭经济状况核对), from its register alone: the rows
 * naming any member (the GIN index on the members) and the register events not yet projected, so a
 * payment made a moment before the request is in the answer (see `RegisterAnswerer`).
 */
export class HousingRegisterAnswerer extends RegisterAnswerer<'housing', HousingRegisterEntry> {
  readonly department = 'housing' as const;

  constructor(schema: string, projection = HOUSING_REGISTER_PROJECTION_NAME) {
    super({
      schema,
      projection,
      table: 'housing_register_entries',
      membersWhere: 'r.member_id_numbers && $1::text[]',
      eventTypes: HOUSING_REGISTER_EVENT_TYPES,
    });
  }

  protected entryOfRow(p: Record<string, unknown>): HousingRegisterEntry {
    return {
      personIdNumber: p.person_id_number as string,
      personName: p.person_name as string,
      householdId: p.household_id as string,
      memberIdNumbers: p.member_id_numbers as string[],
      programme: p.programme as HousingRegisterEntry['programme'],
      amountFen: Number(p.amount_fen),
      date: p.given_on as string,
      decisionReference: p.decision_reference as string,
      month: (p.month as string | null) ?? null,
      subjectId: p.subject_id as string,
      jurisdictionCode: p.jurisdiction_code as string,
    };
  }

  protected entriesOfEvent(event: { type: string; data: Record<string, unknown> }): HousingRegisterEntry[] {
    return entriesOfEvent(event);
  }

  protected answerOf(entries: HousingRegisterEntry[], memberIdNumbers: string[], asOf: string) {
    return answerVerification(entries, memberIdNumbers, asOf);
  }
}
