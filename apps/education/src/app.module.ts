import { Module } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { ServiceRuntimeModule } from '@platform/config';
import { DatabaseModule } from '@platform/event-store';
import { MessagingModule } from '@platform/messaging';
import { PolicyModule } from '@platform/policy-nest';
import { EducationModule } from './education.module.js';

/** The education service on its own: its own schema, PostgreSQL and Kafka from configuration. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ service: 'education', requireDatabaseUrl: true }),
    DatabaseModule,
    AuthModule.forRoot(),
    MessagingModule.forRoot(),
    PolicyModule.forRoot({ administration: false }),
    EducationModule,
  ],
})
export class AppModule {}
