import { Module } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { ServiceRuntimeModule } from '@platform/config';
import { DatabaseModule } from '@platform/event-store';
import { MessagingModule } from '@platform/messaging';
import { PolicyModule } from '@platform/policy-nest';
import { HealthModule } from './health.module.js';

/** The health service on its own: its own schema, PostgreSQL and Kafka from configuration. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ service: 'health', requireDatabaseUrl: true }),
    DatabaseModule,
    AuthModule.forRoot(),
    MessagingModule.forRoot(),
    PolicyModule.forRoot({ administration: false }),
    HealthModule,
  ],
})
export class AppModule {}
