import type { Officer } from '@platform/assistance-domain';
import {
  eventMetadata,
  type AuthenticatedActor,
  type Authorizer,
  type JurisdictionLevel,
} from '@platform/auth';
import { DomainError } from '@platform/contracts';
import type { EventMetadata } from '@platform/event-store';

/**
 * Helpers every department's assistance handlers (health, housing, education) use alike on their context:
 * the officer as the domain records them, the metadata of their events, the places they name.
 */

export const officerOf = (actor: AuthenticatedActor): Officer => ({
  id: actor.id,
  name: actor.name,
  role: actor.role,
});

export const officerMetadata = (actor: AuthenticatedActor, now: Date): EventMetadata =>
  eventMetadata(actor, { now });

/** The Beijing calendar day of an instant. */
export const beijingDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The tree's node for a code the officer chose, of one of the levels, or 422 naming the field. */
export function placeOf(
  ctx: { authz: Authorizer },
  code: string,
  field: string,
  levels: JurisdictionLevel[],
  label: string,
) {
  const node = ctx.authz.tree.get(code);
  if (!node || !levels.includes(node.level)) {
    throw new DomainError('UNKNOWN_JURISDICTION', `${field}：${code} 不是已登记的${label}`, 422, { field });
  }
  return node;
}

/** 403 unless the place lies in the officer's jurisdiction (auditors read everything). */
export function assertMay(
  ctx: { authz: Authorizer },
  actor: AuthenticatedActor,
  code: string,
  permission: string,
): void {
  if (actor.role !== 'auditor') ctx.authz.assertWithin(actor, code, permission);
}
