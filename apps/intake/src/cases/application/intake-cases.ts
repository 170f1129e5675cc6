import { createHash } from 'node:crypto';
import type { AccessLog, AuthenticatedActor, JurisdictionTree } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  DeciderStore,
  signalCommitted,
  withTransaction,
  type DbExecutor,
  type EventStore,
  type RecordedEvent,
} from '@platform/event-store';
import type { PolicyTables } from '@platform/policy';
import type { Pool } from 'pg';
import {
  caseDecider,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type RouteDecision,
} from '../domain/case.decider.js';
import type { CaseQuery } from '../read-model/case.query.js';

export type CaseStore = DeciderStore<CaseCommand, CaseEvent, CaseState>;

export const caseStream = (caseId: string) => `case-${caseId}`;

/** Cases on the generic command path: stream `case-<id>`; case event types already carry `intake.`. */
export function caseStore(store: EventStore): CaseStore {
  return new DeciderStore({
    store,
    decider: caseDecider,
    streamOf: caseStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as CaseEvent,
  });
}

/** What intake's command and query handlers work on. */
export interface IntakeCases {
  cases: CaseStore;
  query: CaseQuery;
  tree: () => JurisdictionTree;
  accessLog: AccessLog;
  now: () => Date;
  /** Routing and materials, as versioned policy tables: each decision records the versions it applied. */
  policy: PolicyTables;
  pool: Pool;
}

export const INTAKE_CASES = Symbol('INTAKE_CASES');

/** A signed 64-bit advisory lock key for a person, in the intake's own key space. */
function personLockKey(idNumber: string): bigint {
  return createHash('sha256').update(`intake:person:${idNumber}`).digest().readBigInt64BE(0);
}

/**
 * Runs `work` in one transaction holding a lock per person (resident ID) until it commits, so two
 * windows registering the same person at the same moment take turns: the second sees the first.
 */
export async function forPeople<T>(
  intake: IntakeCases,
  idNumbers: string[],
  work: (tx: DbExecutor) => Promise<T>,
): Promise<T> {
  const keys = [...new Set(idNumbers)].map(personLockKey).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Integer keys only, so the locks can ride on BEGIN in one round trip; sorted against deadlocks.
  const locks = keys.map((k) => `pg_advisory_xact_lock(${k.toString()})`).join(', ') || '1';
  const result = await withTransaction(intake.pool, work, `BEGIN; SELECT ${locks}`);
  signalCommitted(intake.cases.store.schema);
  return result;
}

/** 403 unless the case's village lies in the actor's jurisdiction (auditors may read anything). */
export function assertCaseInJurisdiction(
  intake: IntakeCases,
  actor: AuthenticatedActor,
  state: CaseState,
  permission: string,
): void {
  if (state.status === 'none') throw new DomainError('CASE_NOT_FOUND', '案件不存在', 404);
  if (actor.role === 'auditor') return;
  if (!intake.tree().contains(actor.jurisdiction, state.villageCode!)) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      `无权执行此操作（${permission}）：该案件不在您的辖区内`,
      403,
      { permission },
    );
  }
}

/** The case as it stands, 404 / 403 checked: the first step of every officer's command on a case. */
export async function caseFor(
  intake: IntakeCases,
  actor: AuthenticatedActor,
  caseId: string,
  permission: string,
): Promise<CaseState> {
  const { state } = await intake.cases.load(caseId);
  assertCaseInJurisdiction(intake, actor, state, permission);
  return state;
}

/**
 * A need reported to the government is due an answer in the working days a department has to decide
 * one of its category and urgency (policy table `deadlines`, with the calendar).
 */
export function withResponseDeadline(
  intake: IntakeCases,
  route: RouteDecision,
  category: string,
  urgency: 'normal' | 'urgent',
  now: Date,
): RouteDecision {
  if (route.kind !== 'government') return route;
  return { ...route, respondBy: intake.policy.deadline(category, urgency, 'decide', now).due.toISOString() };
}
