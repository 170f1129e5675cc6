import { TemporaryAssistanceMemberRow, TemporaryAssistanceRow } from './temporary-assistance.entities.js';
import { TemporaryAssistanceReadModel1765411200000 } from './migrations/1765411200000-temporary-assistance-read-model.js';
import { TemporaryAssistanceMembers1765656000000 } from './migrations/1765656000000-temporary-assistance-members.js';

/** The temporary-assistance read model and the migrations that shape its tables, in order. */
export const temporaryAssistanceReadModel = {
  entities: [TemporaryAssistanceRow, TemporaryAssistanceMemberRow],
  migrations: [TemporaryAssistanceReadModel1765411200000, TemporaryAssistanceMembers1765656000000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const TEMPORARY_ASSISTANCE_PROJECTION_NAME = 'temporary-assistance';
