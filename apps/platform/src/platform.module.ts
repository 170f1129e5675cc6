import { Module } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { ServiceRuntimeModule } from '@platform/config';
import { DatabaseModule } from '@platform/event-store';
import { MessagingModule } from '@platform/messaging';
import { PolicyModule } from '@platform/policy-nest';
// The platform app is the composition root of the embedded default: the only app that imports
// other apps, and only their department modules (enforced by .dependency-cruiser.cjs).
import { CivilAffairsModule } from '../../civil-affairs/src/civil-affairs.module.js';
import { EducationModule } from '../../education/src/education.module.js';
import { HealthModule } from '../../health/src/health.module.js';
import { HousingModule } from '../../housing/src/housing.module.js';
import { IntakeModule } from '../../intake/src/intake.module.js';
import { OversightModule } from '../../oversight/src/oversight.module.js';
import { WebUiModule } from './web-ui.module.js';

/** Every department in one process, each in its own schema of one database. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ service: 'platform' }),
    DatabaseModule,
    AuthModule.forRoot(),
    MessagingModule.forRoot(),
    // Versioned policy tables for every department, and their administration (/admin/policy).
    PolicyModule.forRoot({ administration: true }),
    IntakeModule,
    CivilAffairsModule,
    HealthModule,
    HousingModule,
    EducationModule,
    OversightModule,
    // The browser UI (apps/web, built into dist/web) at `/`.
    WebUiModule,
  ],
})
export class PlatformModule {}
