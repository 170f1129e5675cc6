import type { EventStore } from '@platform/event-store';
import type { Pool } from 'pg';
import type { JurisdictionTree } from '../domain/jurisdiction.js';
import type { UserAdministration } from './user-administration.js';

/** What the administration's command and query handlers work on. */
export interface IdentityAdmin {
  administration: UserAdministration;
  pool: Pool;
  /** The identity schema, unquoted. */
  schema: string;
  /** The identity schema's event store (streams `user-<id>`, `jurisdictions`). */
  store: EventStore;
  tree: () => JurisdictionTree;
}

export const IDENTITY_ADMIN = Symbol('IDENTITY_ADMIN');
