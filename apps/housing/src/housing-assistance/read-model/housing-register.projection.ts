import {
  countyCodeOf,
  registerProjection,
  registerWithCaseLists,
  townshipCodeOf,
} from '@platform/assistance-read-model';
import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import {
  foldHousingRegister,
  type HousingRegisterEntry,
  type HousingRegisterEvent,
} from '../domain/assistance-register.js';
import {
  houseRenovationDecider,
  type HouseRenovationEvent,
  type HouseRenovationState,
} from '../domain/house-renovation.decider.js';
import {
  rentalSubsidyDecider,
  type RentalSubsidyEvent,
  type RentalSubsidyState,
} from '../domain/rental-subsidy.decider.js';
import { HousingCaseRow } from './housing-cases.entities.js';
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

const RENOVATION_PREFIX = 'house-renovation-';
const SUBSIDY_PREFIX = 'rental-subsidy-';

const fold = <S, E>(decider: { evolve(s: S, e: E): S; initialState(): S }, history: RecordedEvent[]) =>
  history.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());

/** A renovation project's list row, from its folded stream (none before the appraisal). */
export function renovationRowOf(state: HouseRenovationState, updatedAt: Date): HousingCaseRow | null {
  const a = state.appraised;
  if (!a) return null;
  return {
    caseId: a.projectId,
    kind: 'renovation',
    status: state.status,
    headName: a.household.headName,
    headIdNumber: a.household.headIdNumber,
    householdSize: a.household.memberIdNumbers.length,
    jurisdictionCode: a.villageCode,
    townshipCode: townshipCodeOf(a.villageCode),
    countyCode: countyCodeOf(a.villageCode),
    grade: a.appraisal.grade,
    approvedFen: state.approval?.subsidyFen ?? null,
    paidFen: state.payment?.amountFen ?? 0,
    reviewDueFrom: null,
    lastPaidMonth: null,
    openedOn: a.appraisal.appraisedOn,
    updatedAt,
  };
}

/** A rental subsidy's list row, from its folded stream (none before the grant). */
export function subsidyRowOf(state: RentalSubsidyState, updatedAt: Date): HousingCaseRow | null {
  const h = state.household;
  if (!state.grantId || !h || !state.jurisdictionCode) return null;
  const months = Object.keys(state.paid).sort();
  return {
    caseId: state.grantId,
    kind: 'rental_subsidy',
    status: state.status,
    headName: h.headName,
    headIdNumber: h.headIdNumber,
    householdSize: state.sizes.at(-1)?.size ?? h.memberIdNumbers.length,
    jurisdictionCode: state.jurisdictionCode,
    townshipCode: townshipCodeOf(state.jurisdictionCode),
    countyCode: countyCodeOf(state.jurisdictionCode),
    grade: null,
    approvedFen: null,
    paidFen: Object.values(state.paid).reduce((sum, p) => sum + p.amountFen, 0),
    reviewDueFrom: state.reviewDueFrom,
    lastPaidMonth: months.at(-1) ?? null,
    openedOn: state.grantedOn ?? '',
    updatedAt,
  };
}

/**
 * The register's projection: each entry is the fold of one event alone (see `registerProjection`); and
 * the officers' lists of projects and grants, re-folded from their streams — one transaction per batch.
 */
export function housingRegisterProjection(store: EventStore): Projection {
  return registerWithCaseLists(
    store,
    registerProjection({
      name: HOUSING_REGISTER_PROJECTION_NAME,
      entity: HousingRegisterEntryRow,
      rowsOf: entriesOf,
    }),
    [
      {
        entity: HousingCaseRow,
        holds: (id) => id.startsWith(RENOVATION_PREFIX) || id.startsWith(SUBSIDY_PREFIX),
        rowOf: (id, history) => {
          const at = history.at(-1)!.recordedAt;
          return id.startsWith(RENOVATION_PREFIX)
            ? renovationRowOf(
                fold<HouseRenovationState, HouseRenovationEvent>(houseRenovationDecider, history),
                at,
              )
            : subsidyRowOf(fold<RentalSubsidyState, RentalSubsidyEvent>(rentalSubsidyDecider, history), at);
        },
        key: ['case_id'],
        changing: [
          'status',
          'household_size',
          'approved_fen',
          'paid_fen',
          'review_due_from',
          'last_paid_month',
          'updated_at',
        ],
      },
    ],
  );
}
