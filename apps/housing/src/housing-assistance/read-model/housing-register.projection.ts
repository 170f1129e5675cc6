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

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const CHUNK = 1000;

/**
 * The ancestors of a statistical division code by its digits (GB/T 2260 county, then the township's and
 * the village's three digits): the projection has no jurisdiction tree, and needs none for these.
 */
export const countyCodeOf = (code: string) => `${code.slice(0, 6)}000000`;
export const townshipCodeOf = (code: string) => `${code.slice(0, 9)}000`;

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

/**
 * Each entry is the fold of one event alone (a payment or an allocation names the household and the
 * place), so the projection reads no stream: it inserts the batch's entries, ignoring those already there.
 */
export function housingRegisterProjection(): Projection {
  return {
    name: HOUSING_REGISTER_PROJECTION_NAME,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(HousingRegisterEntryRow).execute();
    },
    async apply(events, manager) {
      const rows = entriesOf(events);
      for (let i = 0; i < rows.length; i += CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(HousingRegisterEntryRow)
          .values(rows.slice(i, i + CHUNK))
          .orIgnore()
          .updateEntity(false)
          .execute();
      }
    },
  };
}
