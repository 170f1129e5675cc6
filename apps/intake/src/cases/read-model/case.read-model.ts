import {
  CaseListEntry,
  CaseMember,
  CaseMemberClaim,
  GovernmentReport,
  ProgressLookupGuard,
} from './case-list.entities.js';
import { NotificationOutbox1767312000000, NotificationRow } from '@platform/notifications';
import { CaseReadModel1764201600000 } from './migrations/1764201600000-case-read-model.js';
import { GovernmentResponse1766102400000 } from './migrations/1766102400000-government-response.js';
import { CaseReporter1766188800000 } from './migrations/1766188800000-case-reporter.js';
import { ClaimVillage1766361600000 } from './migrations/1766361600000-claim-village.js';
import { ProgressLookupGuard1766448000000 } from './migrations/1766448000000-progress-lookup-guard.js';

/** Intake's read models and the migrations that shape their tables, in order. */
export const caseReadModel = {
  entities: [
    CaseListEntry,
    CaseMember,
    CaseMemberClaim,
    GovernmentReport,
    ProgressLookupGuard,
    NotificationRow,
  ],
  migrations: [
    CaseReadModel1764201600000,
    GovernmentResponse1766102400000,
    CaseReporter1766188800000,
    ClaimVillage1766361600000,
    ProgressLookupGuard1766448000000,
    NotificationOutbox1767312000000,
  ],
};
