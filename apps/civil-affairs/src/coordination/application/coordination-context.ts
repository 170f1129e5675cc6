import {
  DEPARTMENT_OF_ROLE,
  type AccessLog,
  type AuthenticatedActor,
  type Authorizer,
  type JurisdictionTree,
} from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { DeciderStore, type EventStore, type Loaded, type RecordedEvent } from '@platform/event-store';
import {
  coordinationDecider,
  type CoordinationCommand,
  type CoordinationEvent,
  type CoordinationState,
  type Officer,
} from '../domain/coordination.decider.js';
import { coordinationStream } from '../read-model/coordination.projection.js';
import type { CoordinationQuery, Scope } from '../read-model/coordination.query.js';

export type CoordinationStore = DeciderStore<CoordinationCommand, CoordinationEvent, CoordinationState>;

/** Coordination items on the generic command path: stream `coordination-<id>`, types `civil-affairs.`. */
export function coordinationStore(store: EventStore): CoordinationStore {
  return new DeciderStore({
    store,
    decider: coordinationDecider,
    streamOf: coordinationStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as CoordinationEvent,
  });
}

/** What the coordination command and query handlers work on. */
export interface CoordinationContext {
  items: CoordinationStore;
  query: CoordinationQuery;
  tree: () => JurisdictionTree;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
}

export const COORDINATION = Symbol('COORDINATION');

/** The acting officer with the department its role acts for (health_officer → health). */
export const officerOf = (actor: AuthenticatedActor): Officer => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
  department: DEPARTMENT_OF_ROLE[actor.role] ?? actor.department,
});

/** 404 when absent; 403 outside the officer's jurisdiction (auditors read everything). */
export async function itemFor(
  ctx: CoordinationContext,
  actor: AuthenticatedActor,
  itemId: string,
  permission: string,
): Promise<Loaded<CoordinationState>> {
  const loaded = await ctx.items.load(itemId);
  if (loaded.state.status === 'none') {
    throw new DomainError('COORDINATION_ITEM_NOT_FOUND', '协调事项不存在', 404);
  }
  if (actor.role !== 'auditor') {
    ctx.authz.assertWithin(actor, loaded.state.item!.place.villageCode, permission);
  }
  return loaded;
}

/** The actor's node as a list scope; null for auditors (everything). */
export function scopeOf(ctx: CoordinationContext, actor: AuthenticatedActor): Scope | null {
  if (actor.role === 'auditor') return null;
  const node = ctx.tree().get(actor.jurisdiction);
  if (!node) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      '无权执行此操作（coordination:list）：账号的辖区未登记',
      403,
    );
  }
  return { level: node.level, code: node.code };
}
