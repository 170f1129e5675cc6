import { Module } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { ServiceRuntimeModule } from '@platform/config';
import { DatabaseModule } from '@platform/event-store';
import { MessagingModule } from '@platform/messaging';
import { PolicyModule } from '@platform/policy-nest';
import { IntakeModule } from './intake.module.js';

/** The intake service on its own: its own schema, PostgreSQL and Kafka from configuration. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ service: 'intake', requireDatabaseUrl: true }),
    DatabaseModule,
    AuthModule.forRoot(),
    MessagingModule.forRoot(),
    PolicyModule.forRoot({ administration: true }),
    IntakeModule,
  ],
})
export class AppModule {}
