import { countyCodeOf, registerProjection, townshipCodeOf } from '@platform/assistance-read-model';
import type { RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { foldEducationRegister, type EducationRegisterEntry } from '../domain/assistance-register.js';
import type { EducationAssistanceEvent } from '../domain/education-assistance.decider.js';
import { EducationRegisterEntryRow } from './education-register.entities.js';
import { EDUCATION_REGISTER_PROJECTION_NAME } from './education-register.read-model.js';

/** The event types that put an entry on the register (the others fold to nothing). */
export const EDUCATION_REGISTER_EVENT_TYPES = [
  'education.AidDisbursed',
  'education.StudentLeftSchool',
] as const;

const TYPES: ReadonlySet<string> = new Set(EDUCATION_REGISTER_EVENT_TYPES);

/** The register entry of one event, through the domain's pure fold (none for most events). */
export const entriesOfEvent = (e: Pick<RecordedEvent, 'type' | 'data'>): EducationRegisterEntry[] =>
  TYPES.has(e.type)
    ? foldEducationRegister([], { type: e.type, data: e.data } as EducationAssistanceEvent)
    : [];

export function rowOf(event: RecordedEvent, entry: EducationRegisterEntry): EducationRegisterEntryRow {
  const aid = entry.kind === 'aid' ? entry : null;
  return {
    eventId: event.eventId,
    kind: entry.kind,
    personIdNumber: entry.personIdNumber,
    personName: entry.personName,
    householdId: entry.householdId,
    programme: aid?.programme ?? null,
    amountFen: aid?.amountFen ?? 0,
    date: entry.date,
    decisionReference: aid?.decisionReference ?? null,
    stage: aid?.stage ?? null,
    schoolYear: aid?.schoolYear ?? null,
    term: aid?.term ?? null,
    termStartsOn: aid?.termStartsOn ?? null,
    grantId: aid?.grantId ?? null,
    leavingReason: entry.kind === 'left_school' ? entry.reason : null,
    schoolName: entry.schoolName,
    jurisdictionCode: entry.jurisdictionCode,
    townshipCode: townshipCodeOf(entry.jurisdictionCode),
    countyCode: countyCodeOf(entry.jurisdictionCode),
    recordedAt: event.recordedAt,
  };
}

/** The register rows of recorded events. */
export function entriesOf(events: readonly RecordedEvent[]): EducationRegisterEntryRow[] {
  return events.flatMap((e) => entriesOfEvent(e).map((entry) => rowOf(e, entry)));
}

/** The register's projection: each entry is the fold of one event alone (see `registerProjection`). */
export function educationRegisterProjection(): Projection {
  return registerProjection({
    name: EDUCATION_REGISTER_PROJECTION_NAME,
    entity: EducationRegisterEntryRow,
    rowsOf: entriesOf,
  });
}

/** A row read back as the domain's entry (for the verification answer). */
export function entryOfRow(r: {
  kind: string;
  person_id_number: string;
  person_name: string;
  household_id: string | null;
  programme: string | null;
  amount_fen: number | string;
  given_on: string;
  decision_reference: string | null;
  stage: string | null;
  school_year: number | null;
  term: string | null;
  term_starts_on: string | null;
  grant_id: string | null;
  leaving_reason: string | null;
  school_name: string;
  jurisdiction_code: string;
}): EducationRegisterEntry {
  const common = {
    personIdNumber: r.person_id_number,
    personName: r.person_name,
    householdId: r.household_id,
    date: r.given_on,
    schoolName: r.school_name,
    jurisdictionCode: r.jurisdiction_code,
  };
  if (r.kind === 'left_school') {
    return { kind: 'left_school', ...common, reason: r.leaving_reason as never };
  }
  return {
    kind: 'aid',
    ...common,
    programme: r.programme as never,
    amountFen: Number(r.amount_fen),
    decisionReference: r.decision_reference ?? '',
    stage: r.stage as never,
    schoolYear: r.school_year ?? 0,
    term: r.term as never,
    termStartsOn: r.term_starts_on ?? '',
    grantId: r.grant_id ?? '',
  };
}
