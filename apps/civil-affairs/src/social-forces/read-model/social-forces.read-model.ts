import { SocialForcesReadModel1766016000000 } from './migrations/1766016000000-social-forces-read-model.js';
import {
  PurchasedServiceProjectRow,
  SocialForceProviderRow,
  SocialServiceRow,
} from './social-forces.entities.js';

/** The social-forces read model and the migrations that shape its tables, in order. */
export const socialForcesReadModel = {
  entities: [SocialForceProviderRow, SocialServiceRow, PurchasedServiceProjectRow],
  migrations: [SocialForcesReadModel1766016000000],
};

/** The projection's name: its checkpoint key in `projection_checkpoints`. */
export const SOCIAL_FORCES_PROJECTION_NAME = 'social-forces';
