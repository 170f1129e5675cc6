import { countyCodeOf, registerProjection, townshipCodeOf } from '@platform/assistance-read-model';
import type { RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import {
  foldHousingRegister,
  type HousingRegisterEntry,
  type HousingRegisterEvent,
} from '../domain/assistance-register.js';
import { HousingRegisterEntryRow } from './housing-register.entities.js';
import { HOUSING_REGISTER_PROJECTION_NAME } from './housing-register.read-model.js';

/** The event types that put an entry on the register (the others fold to nothing). */
export const HOUSING_REGISTER_EVENT_TYPES = [
  'housing.RenovationSubsidyPaid',
  'housing.PublicRentalUnitAllocated',
  'housing.RentalSubsidyPaid',
] as const;

const TYPES: ReadonlySet<string> = new Set(HOUSING_REGISTER_EVENT_TYPES);

export function rowOf(event: RecordedEvent, entry: HousingRegisterEntry): HousingRegisterEntryRow {
  return {
    eventId: event.eventId,
    programme: entry.programme,
    personIdNumber: entry.personIdNumber,
    personName: entry.personName,
    householdId: entry.householdId,
    memberIdNumbers: entry.memberIdNumbers,
    amountFen: entry.amountFen,
    date: entry.date,
    decisionReference: entry.decisionReference,
    month: entry.month,
    subjectId: entry.subjectId,
    jurisdictionCode: entry.jurisdictionCode,
    townshipCode: townshipCodeOf(entry.jurisdictionCode),
    countyCode: countyCodeOf(entry.jurisdictionCode),
    recordedAt: event.recordedAt,
  };
}

/** The register entry of one event, through the domain's pure fold (none for most events). */
export const entriesOfEvent = (e: Pick<RecordedEvent, 'type' | 'data'>): HousingRegisterEntry[] =>
  TYPES.has(e.type) ? foldHousingRegister([], { type: e.type, data: e.data } as HousingRegisterEvent) : [];

/** The register rows of recorded events. */
export function entriesOf(events: readonly RecordedEvent[]): HousingRegisterEntryRow[] {
  return events.flatMap((e) => entriesOfEvent(e).map((entry) => rowOf(e, entry)));
}

/** The register's projection: each entry is the fold of one event alone (see `registerProjection`). */
export function housingRegisterProjection(): Projection {
  return registerProjection({
    name: HOUSING_REGISTER_PROJECTION_NAME,
    entity: HousingRegisterEntryRow,
    rowsOf: entriesOf,
  });
}
