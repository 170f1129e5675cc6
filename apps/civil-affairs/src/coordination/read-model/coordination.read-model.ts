import { CoordinationDecisionRow, CoordinationItemRow } from './coordination.entities.js';
import { CoordinationReadModel1765929600000 } from './migrations/1765929600000-coordination-read-model.js';

/** The coordination read model and the migrations that shape its tables, in order. */
export const coordinationReadModel = {
  entities: [CoordinationItemRow, CoordinationDecisionRow],
  migrations: [CoordinationReadModel1765929600000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const COORDINATION_PROJECTION_NAME = 'coordination';
