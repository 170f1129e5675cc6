import type { LogSealer } from '@platform/audit';
import type { AccessLog } from '@platform/auth';
import type { EventStore } from '@platform/event-store';
import type { OversightQuery } from '../read-model/oversight.query.js';
import type { LedgerQuery } from './ledger.query.js';

/** What oversight's command and query handlers work on. */
export interface OversightContext {
  ledger: LedgerQuery;
  sealer: LogSealer;
  query: OversightQuery;
  accessLog: AccessLog;
  store: EventStore;
  now: () => Date;
}

export const OVERSIGHT = Symbol('OVERSIGHT');
