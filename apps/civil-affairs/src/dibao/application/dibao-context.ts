import type { AccessLog, AuthenticatedActor, Authorizer, JurisdictionTree } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  DeciderStore,
  signalCommitted,
  StreamVersionConflict,
  withTransaction,
  type DbExecutor,
  type EventStore,
  type Loaded,
  type RecordedEvent,
} from '@platform/event-store';
import type { PolicyTables, PolicyVersion } from '@platform/policy';
import type { Pool } from 'pg';
import type { StaffFilingRegistry } from '../../staff-filing/staff-filing.port.js';
import {
  dibaoDecider,
  type DibaoCommand,
  type DibaoEvent,
  type DibaoState,
  type Officer,
} from '../domain/dibao-application.decider.js';
import type { DibaoProcedureRules } from '../domain/dibao-rules.js';
import {
  samplingDecider,
  type SamplingCommand,
  type SamplingEvent,
  type SamplingState,
} from '../domain/spot-check.sampler.js';
import type { DibaoQuery, Scope } from '../read-model/dibao.query.js';

export type DibaoStore = DeciderStore<DibaoCommand, DibaoEvent, DibaoState>;
export type SamplingStore = DeciderStore<SamplingCommand, SamplingEvent, SamplingState>;

export const dibaoStream = (applicationId: string) => `dibao-${applicationId}`;
export const samplingStream = (key: string) => `dibao-spot-check-${key}`;
/** Where a case that asks for dibao or special hardship lies (from intake's CaseOpened). */
export const caseRegistrationStream = (caseId: string) => `dibao-case-${caseId}`;
export const CASE_REGISTERED = 'civil-affairs.DibaoCaseRegistered';
export const CASE_ACCEPTED = 'civil-affairs.DibaoCaseAccepted';

export interface CaseRegistration {
  caseId: string;
  caseNumber: string;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  categories: string[];
  at: string;
}

/** Applications on the generic command path: stream `dibao-<referralId>`, types already `civil-affairs.`. */
export function dibaoStore(store: EventStore): DibaoStore {
  return new DeciderStore({
    store,
    decider: dibaoDecider,
    streamOf: dibaoStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as DibaoEvent,
  });
}

export function samplingStore(store: EventStore): SamplingStore {
  return new DeciderStore({
    store,
    decider: samplingDecider,
    streamOf: samplingStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as SamplingEvent,
  });
}

/** What the dibao capability's command and query handlers work on. */
export interface DibaoContext {
  applications: DibaoStore;
  sampling: SamplingStore;
  store: EventStore;
  query: DibaoQuery;
  tree: () => JurisdictionTree;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
  /** Calendar and allowance standards, as versioned policy tables. */
  policy: PolicyTables;
  /** The procedure's numbers in force now (policy table `dibao-procedure`). */
  readonly rules: DibaoProcedureRules;
  registry: StaffFilingRegistry;
  pool: Pool;
}

export const DIBAO = Symbol('DIBAO');

/** A version of the `dibao-procedure` policy table as the decider takes it, its version recorded in events. */
export function dibaoRulesOf(v: PolicyVersion<'dibao-procedure'>): DibaoProcedureRules {
  return { ...v.content, version: `dibao-procedure/${v.version}` };
}

export const officerOf = (actor: AuthenticatedActor): Officer => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
});

/** 404 when absent; 403 outside the officer's jurisdiction (auditors read everything). */
export async function applicationFor(
  ctx: DibaoContext,
  actor: AuthenticatedActor,
  applicationId: string,
  permission: string,
  transaction?: DbExecutor,
): Promise<Loaded<DibaoState>> {
  const loaded = await ctx.applications.load(applicationId, { transaction });
  if (loaded.state.status === 'none') {
    throw new DomainError('APPLICATION_NOT_FOUND', '低保（特困）申请不存在', 404);
  }
  if (actor.role !== 'auditor') ctx.authz.assertWithin(actor, loaded.state.details!.villageCode, permission);
  return loaded;
}

/** The actor's node as a list scope; null for auditors (everything). */
export function scopeOf(ctx: DibaoContext, actor: AuthenticatedActor): Scope | null {
  if (actor.role === 'auditor') return null;
  const node = ctx.tree().get(actor.jurisdiction);
  return { level: node?.level ?? 'village', code: actor.jurisdiction };
}

/**
 * Runs `work` in one transaction and wakes the projections after it commits. A version conflict inside
 * it (another officer acted on the same application, or another county decision took the sample first)
 * rolls everything back and runs `work` again, up to three times.
 */
export async function inTransaction<T>(ctx: DibaoContext, work: (tx: DbExecutor) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await withTransaction(ctx.pool, work);
      signalCommitted(ctx.store.schema);
      return result;
    } catch (e) {
      if (e instanceof StreamVersionConflict && attempt < 3) continue;
      throw e;
    }
  }
}

/** The Beijing calendar year of an instant. */
export const beijingYear = (at: Date) => new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
