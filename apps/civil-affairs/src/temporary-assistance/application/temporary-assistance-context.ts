import type { AccessLog, AuthenticatedActor, Authorizer, JurisdictionTree } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { DeciderStore, type EventStore, type Loaded, type RecordedEvent } from '@platform/event-store';
import type { PolicyTables } from '@platform/policy';
import {
  temporaryAssistanceDecider,
  type GreenChannelPolicy,
  type Officer,
  type PolicyHistories,
  type TemporaryAssistanceCommand,
  type TemporaryAssistanceEvent,
  type TemporaryAssistanceState,
} from '../domain/temporary-assistance.decider.js';
import type { Scope, TemporaryAssistanceQuery } from '../read-model/temporary-assistance.query.js';
import { temporaryAssistanceStream } from '../read-model/temporary-assistance.projection.js';

export type TemporaryAssistanceStore = DeciderStore<
  TemporaryAssistanceCommand,
  TemporaryAssistanceEvent,
  TemporaryAssistanceState
>;

/** Applications on the generic command path: stream `temporary-assistance-<id>`, types `civil-affairs.`. */
export function temporaryAssistanceStore(store: EventStore): TemporaryAssistanceStore {
  return new DeciderStore({
    store,
    decider: temporaryAssistanceDecider,
    streamOf: temporaryAssistanceStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as TemporaryAssistanceEvent,
  });
}

/** What the temporary-assistance command and query handlers work on. */
export interface TemporaryAssistanceContext {
  applications: TemporaryAssistanceStore;
  query: TemporaryAssistanceQuery;
  tree: () => JurisdictionTree;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
  policy: PolicyTables;
}

export const TEMPORARY_ASSISTANCE = Symbol('TEMPORARY_ASSISTANCE');

export const officerOf = (actor: AuthenticatedActor): Officer => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
});

/**
 * Both tables' whole histories: the decider picks the versions in force on the decision day itself, so
 * a standard that changes on that very day is applied, and the versions used go into the event.
 */
export function policyHistories(ctx: TemporaryAssistanceContext): PolicyHistories {
  return {
    limits: ctx.policy.history('temporary-assistance-limits'),
    standards: ctx.policy.history('allowance-standards'),
  };
}

/** The green channel's tables (materials, urgent-assistance, calendar), whole histories like the limits. */
export function greenChannelPolicy(ctx: TemporaryAssistanceContext): GreenChannelPolicy {
  return {
    materials: ctx.policy.history('materials'),
    urgent: ctx.policy.history('urgent-assistance'),
    calendar: ctx.policy.history('calendar'),
  };
}

/** 404 when absent; 403 outside the officer's jurisdiction (auditors read everything). */
export async function applicationFor(
  ctx: TemporaryAssistanceContext,
  actor: AuthenticatedActor,
  applicationId: string,
  permission: string,
): Promise<Loaded<TemporaryAssistanceState>> {
  const loaded = await ctx.applications.load(applicationId);
  if (loaded.state.status === 'none') {
    throw new DomainError('APPLICATION_NOT_FOUND', '临时救助申请不存在', 404);
  }
  if (actor.role !== 'auditor') {
    ctx.authz.assertWithin(actor, loaded.state.application!.place.villageCode, permission);
  }
  return loaded;
}

/** The actor's node as a list scope; null for auditors (everything). */
export function scopeOf(ctx: TemporaryAssistanceContext, actor: AuthenticatedActor): Scope | null {
  if (actor.role === 'auditor') return null;
  const node = ctx.tree().get(actor.jurisdiction);
  if (!node) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      '无权执行此操作（temporary-assistance:list）：账号的辖区未登记',
      403,
    );
  }
  return { level: node.level, code: node.code };
}
