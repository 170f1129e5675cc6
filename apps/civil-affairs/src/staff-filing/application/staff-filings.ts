import { createHash } from 'node:crypto';
import {
  validateResidentId,
  type AccessLog,
  type AuthenticatedActor,
  type Authorizer,
  type JurisdictionTree,
} from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  DeciderStore,
  signalCommitted,
  withTransaction,
  type DbExecutor,
  type EventStore,
  type RecordedEvent,
} from '@platform/event-store';
import type { Pool } from 'pg';
import {
  staffFilingDecider,
  type ActorRef,
  type StaffFilingCommand,
  type StaffFilingEvent,
  type StaffFilingState,
  type StaffKind,
} from '../domain/staff-filing.decider.js';
import { staffFilingStream } from '../read-model/staff-filing.projection.js';
import type { StaffFilingQuery } from '../read-model/staff-filing.query.js';
import type { ReadModelStaffFilingRegistry } from '../read-model/staff-filing.registry.js';

export type StaffFilingStore = DeciderStore<StaffFilingCommand, StaffFilingEvent, StaffFilingState>;

/** Filings on the generic command path: stream `staff-filing-<id>`; event types carry `civil-affairs.`. */
export function staffFilingStore(store: EventStore): StaffFilingStore {
  return new DeciderStore({
    store,
    decider: staffFilingDecider,
    streamOf: staffFilingStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as StaffFilingEvent,
  });
}

/** What the staff-filing command and query handlers work on. */
export interface StaffFilings {
  filings: StaffFilingStore;
  query: StaffFilingQuery;
  registry: ReadModelStaffFilingRegistry;
  accessLog: AccessLog;
  now: () => Date;
  pool: Pool;
}

export const STAFF_FILINGS = Symbol('STAFF_FILINGS');

export const actorRef = (actor: AuthenticatedActor): ActorRef => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
});

/** A signed 64-bit advisory lock key for a staff member's ID number, in this capability's key space. */
function staffLockKey(idNumber: string): bigint {
  return createHash('sha256').update(`civil-affairs:staff-filing:${idNumber}`).digest().readBigInt64BE(0);
}

/**
 * Runs `work` in one transaction holding a lock on the staff member's ID number until it commits, so two
 * officers filing the same person at the same moment take turns and the second sees the first filing.
 */
export async function forStaffMember<T>(
  ctx: StaffFilings,
  idNumber: string,
  work: (tx: DbExecutor) => Promise<T>,
): Promise<T> {
  // An integer key only, so the lock rides on BEGIN in one round trip.
  const result = await withTransaction(
    ctx.pool,
    work,
    `BEGIN; SELECT pg_advisory_xact_lock(${staffLockKey(idNumber).toString()})`,
  );
  signalCommitted(ctx.filings.store.schema);
  return result;
}

/** 422 naming the field unless the resident ID is valid on the service's own day (GB 11643-1999). */
export function assertResidentId(idNumber: string, field: string, today: Date): void {
  const r = validateResidentId(idNumber.toUpperCase(), today);
  if (!r.valid) throw new DomainError('INVALID_RESIDENT_ID', `${field}：${r.reason}`, 422, { field });
}

/**
 * Who may handle a filing of this kind at this post: county civil affairs and administrators within
 * their jurisdiction; township officers only the cadres of their own township's villages.
 */
export function assertMayHandle(
  authz: Authorizer,
  actor: AuthenticatedActor,
  post: { kind: StaffKind; jurisdictionCode: string },
  permission: string,
): void {
  if (actor.role === 'township_officer' && post.kind !== 'cadre') {
    throw new DomainError(
      'CADRES_ONLY',
      `无权执行此操作（${permission}）：乡镇（街道）只能办理本乡镇（街道）所辖村（社区）村（居）委会干部的备案`,
      403,
      { permission },
    );
  }
  authz.assertWithin(actor, post.jurisdictionCode, permission);
}

/** The filing as it stands, 404 / 403 checked: the first step of every action on an existing filing. */
export async function filingFor(
  ctx: StaffFilings,
  authz: Authorizer,
  actor: AuthenticatedActor,
  filingId: string,
  permission: string,
): Promise<StaffFilingState> {
  const { state } = await ctx.filings.load(filingId);
  if (state.status === 'none') throw new DomainError('FILING_NOT_FOUND', '备案不存在', 404);
  if (actor.role !== 'auditor') assertMayHandle(authz, actor, state.staff!, permission);
  return state;
}

/** The tree's node for a code the officer chose, or 422 naming the field. */
export function jurisdictionNode(tree: JurisdictionTree, code: string, field: string) {
  const node = tree.get(code);
  if (!node) {
    throw new DomainError('UNKNOWN_JURISDICTION', `${field}：${code} 不是已登记的行政区划`, 422, { field });
  }
  return node;
}
