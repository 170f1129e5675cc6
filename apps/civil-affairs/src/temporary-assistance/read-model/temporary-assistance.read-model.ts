import {
  TemporaryAssistanceMemberRow,
  TemporaryAssistanceObligationRow,
  TemporaryAssistanceRow,
} from './temporary-assistance.entities.js';
import { TemporaryAssistanceReadModel1765411200000 } from './migrations/1765411200000-temporary-assistance-read-model.js';
import { TemporaryAssistanceMembers1765656000000 } from './migrations/1765656000000-temporary-assistance-members.js';
import { TemporaryAssistanceObligations1765843200000 } from './migrations/1765843200000-temporary-assistance-obligations.js';
import { TemporaryAssistanceReferrals1766275200000 } from './migrations/1766275200000-temporary-assistance-referrals.js';

/** The temporary-assistance read model and the migrations that shape its tables, in order. */
export const temporaryAssistanceReadModel = {
  entities: [TemporaryAssistanceRow, TemporaryAssistanceMemberRow, TemporaryAssistanceObligationRow],
  migrations: [
    TemporaryAssistanceReadModel1765411200000,
    TemporaryAssistanceMembers1765656000000,
    TemporaryAssistanceObligations1765843200000,
    TemporaryAssistanceReferrals1766275200000,
  ],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const TEMPORARY_ASSISTANCE_PROJECTION_NAME = 'temporary-assistance';
