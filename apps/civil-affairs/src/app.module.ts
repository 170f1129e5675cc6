import { Module } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { ServiceRuntimeModule } from '@platform/config';
import { DatabaseModule } from '@platform/event-store';
import { MessagingModule } from '@platform/messaging';
import { PolicyModule } from '@platform/policy-nest';
import { CivilAffairsModule } from './civil-affairs.module.js';

/** The civil-affairs service on its own: its own schema, PostgreSQL and Kafka from configuration. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ service: 'civil-affairs', requireDatabaseUrl: true }),
    DatabaseModule,
    AuthModule.forRoot(),
    MessagingModule.forRoot(),
    PolicyModule.forRoot({ administration: false }),
    CivilAffairsModule,
  ],
})
export class AppModule {}
