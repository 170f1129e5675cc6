import { createHash } from 'node:crypto';
import { assertMay, beijingDay, placeOf } from '@platform/assistance-register';
import {
  eventMetadata,
  SYSTEM_ACTOR,
  type AccessLog,
  type AuthenticatedActor,
  type Authorizer,
} from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  DeciderStore,
  type DbExecutor,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@platform/event-store';
import type { HousingAssistanceTable, PolicyTables } from '@platform/policy';
import {
  categoryFactDecider,
  householdCategoryOn,
  type CategoryFactCommand,
  type CategoryFactEvent,
  type CategoryFactState,
  type CivilAffairsCategory,
} from '../domain/category-facts.js';
import {
  houseRenovationDecider,
  type HouseRenovationCommand,
  type HouseRenovationEvent,
  type HouseRenovationState,
} from '../domain/house-renovation.decider.js';
import {
  publicRentalDecider,
  type PublicRentalCommand,
  type PublicRentalEvent,
  type PublicRentalState,
} from '../domain/public-rental.decider.js';
import {
  rentalSubsidyDecider,
  type RentalSubsidyCommand,
  type RentalSubsidyEvent,
  type RentalSubsidyState,
} from '../domain/rental-subsidy.decider.js';
import type { TableVersion } from '../domain/values.js';
import type { HousingCasesQuery } from '../read-model/housing-cases.query.js';
import type { HousingRegisterQuery } from '../read-model/housing-register.query.js';

export { assertMay, beijingDay, officerMetadata, officerOf, placeOf } from '@platform/assistance-register';

export type RenovationStore = DeciderStore<
  HouseRenovationCommand,
  HouseRenovationEvent,
  HouseRenovationState
>;
export type WaitingListStore = DeciderStore<PublicRentalCommand, PublicRentalEvent, PublicRentalState>;
export type SubsidyStore = DeciderStore<RentalSubsidyCommand, RentalSubsidyEvent, RentalSubsidyState>;
export type CategoryStore = DeciderStore<CategoryFactCommand, CategoryFactEvent, CategoryFactState>;

export const renovationStream = (projectId: string) => `house-renovation-${projectId}`;
/** One waiting list per county's stock of public rental housing. */
export const waitingListStream = (countyCode: string) => `public-rental-${countyCode}`;
export const subsidyStream = (grantId: string) => `rental-subsidy-${grantId}`;
/** A person's key where a name (a stream, an access record) must not carry the ID number itself. */
export const personKeyOf = (idNumber: string) =>
  createHash('sha256').update(`housing:person:${idNumber}`).digest('hex').slice(0, 32);
/** A person's civil-affairs category facts. */
export const categoryStream = (idNumber: string) => `housing-recipient-${personKeyOf(idNumber)}`;

function store<C, E extends { type: string; data: unknown }, S>(
  events: EventStore,
  decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S },
  streamOf: (id: string) => string,
): DeciderStore<C, E, S> {
  return new DeciderStore({
    store: events,
    decider,
    streamOf,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as E,
  });
}

export const renovationStore = (s: EventStore): RenovationStore =>
  store(s, houseRenovationDecider, renovationStream);
export const waitingListStore = (s: EventStore): WaitingListStore =>
  store(s, publicRentalDecider, waitingListStream);
export const subsidyStore = (s: EventStore): SubsidyStore => store(s, rentalSubsidyDecider, subsidyStream);
export const categoryStore = (s: EventStore): CategoryStore => store(s, categoryFactDecider, categoryStream);

/** What the housing-assistance command and query handlers work on. */
export interface HousingContext {
  renovations: RenovationStore;
  waitingLists: WaitingListStore;
  subsidies: SubsidyStore;
  categories: CategoryStore;
  store: EventStore;
  register: HousingRegisterQuery;
  cases: HousingCasesQuery;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
  policy: PolicyTables;
}

export const HOUSING_ASSISTANCE = Symbol('HOUSING_ASSISTANCE');

/** An instant as the Beijing wall clock reads it, e.g. 2026-09-12 10:00:00. */
export const beijingTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

/** Where a consumer's command runs: in its inbox transaction, caused by one message. */
export interface MessageCause {
  transaction: DbExecutor;
  correlationId: string;
  causationId: string;
}

export const systemMetadata = (now: Date, cause: MessageCause): EventMetadata =>
  eventMetadata({ ...SYSTEM_ACTOR, department: 'housing' }, { now, ...cause });

/** `housing-assistance` in force on a day (Beijing), as a decider takes it; 422 when there is none. */
export function housingTableOn(ctx: HousingContext, day: string): TableVersion<HousingAssistanceTable> {
  const v = ctx.policy.asOf('housing-assistance', day);
  return { version: v.version, effectiveFrom: v.effectiveFrom, content: v.content };
}

/** A day the officer typed, valid enough to look a table up with (the decider names the field otherwise). */
export const dayOrToday = (day: string | undefined, now: Date) =>
  day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : beijingDay(now);

/** The household's civil-affairs category on `day`, from the members' recorded facts. */
export async function civilCategoryOf(
  ctx: HousingContext,
  memberIdNumbers: string[],
  day: string,
  transaction?: DbExecutor,
): Promise<CivilAffairsCategory | null> {
  const loaded = await ctx.categories.loadMany(memberIdNumbers, transaction);
  return householdCategoryOn(
    [...loaded.values()].map((l) => l.state),
    day,
  );
}

/** The project as it stands, 404 / 403 checked. */
export async function renovationFor(
  ctx: HousingContext,
  actor: AuthenticatedActor,
  projectId: string,
  permission: string,
): Promise<HouseRenovationState> {
  const { state } = await ctx.renovations.load(projectId);
  if (state.status === 'none') throw new DomainError('PROJECT_NOT_FOUND', '危房改造项目不存在', 404);
  assertMay(ctx, actor, state.appraised!.villageCode, permission);
  return state;
}

/** The rental subsidy as it stands, 404 / 403 checked. */
export async function subsidyFor(
  ctx: HousingContext,
  actor: AuthenticatedActor,
  grantId: string,
  permission: string,
): Promise<RentalSubsidyState> {
  const { state } = await ctx.subsidies.load(grantId);
  if (state.status === 'none') throw new DomainError('GRANT_NOT_FOUND', '租赁补贴记录不存在', 404);
  assertMay(ctx, actor, state.jurisdictionCode!, permission);
  return state;
}

/** A county's waiting list: the code must be a county's, in the officer's jurisdiction. */
export function countyOf(
  ctx: HousingContext,
  actor: AuthenticatedActor,
  countyCode: string,
  permission: string,
) {
  const county = placeOf(ctx, countyCode, 'countyCode', ['county'], '旗县区');
  assertMay(ctx, actor, county.code, permission);
  return county;
}

/** A household as the officer entered it: the head's ID number identifies the household in housing's records. */
export function householdOf(h: { headName: string; headIdNumber: string; memberIdNumbers: string[] }) {
  const head = h.headIdNumber.trim().toUpperCase();
  const members = h.memberIdNumbers.map((m) => m.trim().toUpperCase());
  return {
    householdId: head,
    headName: h.headName,
    headIdNumber: head,
    // The head is a member whether or not the form listed them again.
    memberIdNumbers: members.includes(head) ? members : [head, ...members],
  };
}
