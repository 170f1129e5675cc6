import type { AccessLog, AuthenticatedActor, Authorizer, JurisdictionTree } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { DeciderStore, type EventStore, type Loaded, type RecordedEvent } from '@platform/event-store';
import type { PolicyTables } from '@platform/policy';
import {
  verificationDecider,
  type Officer,
  type VerificationCommand,
  type VerificationEvent,
  type VerificationState,
} from '../domain/verification.decider.js';
import { verificationStream } from '../read-model/verification.projection.js';
import type { VerificationQuery, VerificationScope } from '../read-model/verification.query.js';

export type VerificationStore = DeciderStore<VerificationCommand, VerificationEvent, VerificationState>;

/** Verifications on the generic command path: stream `verification-<id>`, types already `civil-affairs.`. */
export function verificationStore(store: EventStore): VerificationStore {
  return new DeciderStore({
    store,
    decider: verificationDecider,
    streamOf: verificationStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as VerificationEvent,
  });
}

/** What the verification command and query handlers work on. */
export interface Verifications {
  verifications: VerificationStore;
  store: EventStore;
  query: VerificationQuery;
  tree: () => JurisdictionTree;
  authz: Authorizer;
  accessLog: AccessLog;
  policy: PolicyTables;
  now: () => Date;
}

export const VERIFICATIONS = Symbol('VERIFICATIONS');

export const officerOf = (actor: AuthenticatedActor): Officer => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
});

/** 404 when absent; 403 outside the officer's jurisdiction (auditors read everything). */
export async function verificationFor(
  ctx: Verifications,
  actor: AuthenticatedActor,
  verificationId: string,
  permission: string,
): Promise<Loaded<VerificationState>> {
  const loaded = await ctx.verifications.load(verificationId);
  if (loaded.state.status === 'none') throw new DomainError('VERIFICATION_NOT_FOUND', '核对请求不存在', 404);
  if (actor.role !== 'auditor') ctx.authz.assertWithin(actor, loaded.state.details!.villageCode, permission);
  return loaded;
}

/** The actor's node as a list scope; null for auditors (everything). */
export function scopeOf(ctx: Verifications, actor: AuthenticatedActor): VerificationScope | null {
  if (actor.role === 'auditor') return null;
  const node = ctx.tree().get(actor.jurisdiction);
  return { level: node?.level ?? 'village', code: actor.jurisdiction };
}
