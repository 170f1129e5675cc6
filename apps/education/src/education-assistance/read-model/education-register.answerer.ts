import { RegisterAnswerer } from '@platform/assistance-read-model';
import { answerVerification, type EducationRegisterEntry } from '../domain/assistance-register.js';
import {
  EDUCATION_REGISTER_EVENT_TYPES,
  entriesOfEvent,
  entryOfRow,
} from './education-register.projection.js';
import { EDUCATION_REGISTER_PROJECTION_NAME } from './education-register.read-model.js';

/**
 * Education's answer to a household verification (家庭经济状况核对), from its register alone: the rows
 * of the members and the register events not yet projected, so a term paid or a leaving recorded a moment
 * before the request is in the answer (see `RegisterAnswerer`).
 */
export class EducationRegisterAnswerer extends RegisterAnswerer<'education', EducationRegisterEntry> {
  readonly department = 'education' as const;

  constructor(schema: string, projection = EDUCATION_REGISTER_PROJECTION_NAME) {
    super({
      schema,
      projection,
      table: 'education_register_entries',
      membersWhere: 'r.person_id_number = ANY($1::text[])',
      eventTypes: EDUCATION_REGISTER_EVENT_TYPES,
    });
  }

  protected entryOfRow(payload: Record<string, unknown>): EducationRegisterEntry {
    return entryOfRow(payload as Parameters<typeof entryOfRow>[0]);
  }

  protected entriesOfEvent(event: { type: string; data: Record<string, unknown> }): EducationRegisterEntry[] {
    return entriesOfEvent(event);
  }

  protected answerOf(entries: EducationRegisterEntry[], memberIdNumbers: string[], asOf: string) {
    return answerVerification(entries, memberIdNumbers, asOf);
  }
}
