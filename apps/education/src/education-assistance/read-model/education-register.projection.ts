import {
  countyCodeOf,
  registerProjection,
  registerWithCaseLists,
  townshipCodeOf,
} from '@platform/assistance-read-model';
import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import { foldEducationRegister, type EducationRegisterEntry } from '../domain/assistance-register.js';
import {
  educationAssistanceDecider,
  recordOn,
  type EducationAssistanceEvent,
  type EducationAssistanceState,
} from '../domain/education-assistance.decider.js';
import { EducationRegisterEntryRow } from './education-register.entities.js';
import { EducationStudentRow } from './education-students.entities.js';
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

const STUDENT_PREFIX = 'education-assistance-';

/** A student's list row, from their folded stream (none before a school record). */
export function studentRowOf(
  studentId: string,
  state: EducationAssistanceState,
  updatedAt: Date,
): EducationStudentRow | null {
  const s = state.student;
  const record = [...state.record].sort((a, b) => a.from.localeCompare(b.from));
  const enrolled = record.filter((r) => r.kind === 'enrolled');
  const school = enrolled.at(-1);
  if (!s || !school || school.kind !== 'enrolled') return null;
  // A term is paid only to a student at school on its first day: one after the student left never will be.
  const unpaid = state.grants
    .flatMap((g) =>
      g.instalments
        .filter((i) => !g.paid[i.term] && recordOn(state, i.startsOn)?.kind !== 'left')
        .map((i) => i.startsOn),
    )
    .sort();
  return {
    studentId,
    name: s.name,
    idNumber: s.idNumber,
    atSchool: record.at(-1)!.kind === 'enrolled',
    stage: school.stage,
    schoolName: school.school.name,
    jurisdictionCode: school.school.jurisdictionCode,
    townshipCode: townshipCodeOf(school.school.jurisdictionCode),
    countyCode: countyCodeOf(school.school.jurisdictionCode),
    grants: state.grants.length,
    paidFen: state.grants.reduce(
      (sum, g) => sum + g.instalments.filter((i) => g.paid[i.term]).reduce((t, i) => t + i.amountFen, 0),
      0,
    ),
    nextUnpaidOn: unpaid[0] ?? null,
    updatedAt,
  };
}

/**
 * The register's projection — each entry the fold of one event alone (see `registerProjection`) — and the
 * officers' list of students, refolded from their streams; one transaction per batch.
 */
export function educationRegisterProjection(store: EventStore): Projection {
  return registerWithCaseLists(
    store,
    registerProjection({
      name: EDUCATION_REGISTER_PROJECTION_NAME,
      entity: EducationRegisterEntryRow,
      rowsOf: entriesOf,
    }),
    [
      {
        entity: EducationStudentRow,
        holds: (id) => id.startsWith(STUDENT_PREFIX),
        rowOf: (id, history) =>
          studentRowOf(
            id.slice(STUDENT_PREFIX.length),
            history.reduce(
              (s, e) =>
                educationAssistanceDecider.evolve(s, {
                  type: e.type,
                  data: e.data,
                } as EducationAssistanceEvent),
              educationAssistanceDecider.initialState(),
            ),
            history.at(-1)!.recordedAt,
          ),
        key: ['student_id'],
        changing: [
          'name',
          'at_school',
          'stage',
          'school_name',
          'jurisdiction_code',
          'township_code',
          'county_code',
          'grants',
          'paid_fen',
          'next_unpaid_on',
          'updated_at',
        ],
      },
    ],
  );
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
