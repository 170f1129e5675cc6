import { currentCorrelationId } from '@platform/config';
import type { EventMetadata } from '@platform/event-store';
import { uuidv7 } from '@platform/event-store';
import type { AuthenticatedActor } from './tokens.js';

/** The system itself (schedulers, consumers acting on another department's event). */
export const SYSTEM_ACTOR: AuthenticatedActor = {
  id: 'system',
  name: '系统',
  role: 'admin',
  department: 'platform',
  jurisdiction: '150800000000',
};

export function eventMetadata(
  actor: Pick<AuthenticatedActor, 'id' | 'role' | 'department' | 'jurisdiction' | 'organisation'>,
  options: { now: Date; correlationId?: string | null; causationId?: string | null; onBehalfOf?: string },
): EventMetadata {
  return {
    actor: {
      id: actor.id,
      role: actor.role,
      department: actor.department,
      jurisdiction: actor.jurisdiction,
      ...(actor.organisation ? { organisation: actor.organisation } : {}),
      ...(options.onBehalfOf ? { onBehalfOf: options.onBehalfOf } : {}),
    },
    // Inside a request: its trace id, so the request and everything it causes are one trace.
    correlationId: options.correlationId ?? currentCorrelationId() ?? uuidv7(),
    causationId: options.causationId ?? null,
    occurredAt: options.now.toISOString(),
  };
}
