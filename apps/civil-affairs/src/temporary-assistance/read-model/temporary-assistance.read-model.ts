import { TemporaryAssistanceRow } from './temporary-assistance.entities.js';
import { TemporaryAssistanceReadModel1765411200000 } from './migrations/1765411200000-temporary-assistance-read-model.js';

/** The temporary-assistance read model and the migrations that shape its table, in order. */
export const temporaryAssistanceReadModel = {
  entities: [TemporaryAssistanceRow],
  migrations: [TemporaryAssistanceReadModel1765411200000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const TEMPORARY_ASSISTANCE_PROJECTION_NAME = 'temporary-assistance';
